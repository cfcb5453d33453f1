import { Module } from '@nestjs/common';
import { EnterpriseCommandHandler } from './enterprise-command.handler.js';
import { EnterprisesController } from './enterprises.controller.js';
import { GetEnterpriseHandler } from './get-enterprise/get-enterprise.handler.js';
import { ListEnterprisesHandler } from './list-enterprises/list-enterprises.handler.js';

/**
 * Enterprises (企业): register-, update- and archive-enterprise (their DTOs; the three share
 * the enterprise command handler), get-enterprise (the 360 view with its cases and visits),
 * list-enterprises, and one controller.
 */
@Module({
  controllers: [EnterprisesController],
  providers: [EnterpriseCommandHandler, GetEnterpriseHandler, ListEnterprisesHandler],
})
export class EnterprisesModule {}
