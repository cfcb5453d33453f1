import { Module } from '@nestjs/common';
import { GetVisitHandler } from './get-visit/get-visit.handler.js';
import { ListVisitsHandler } from './list-visits/list-visits.handler.js';
import { LogVisitHandler } from './log-visit/log-visit.handler.js';
import { VisitsController } from './visits.controller.js';

/**
 * Visits (走访): one folder per use case — log-visit (the multi-stream command that opens
 * a case per problem raised), list-visits, get-visit — and one controller for the routes.
 */
@Module({
  controllers: [VisitsController],
  providers: [LogVisitHandler, ListVisitsHandler, GetVisitHandler],
})
export class VisitsModule {}
