import { Module } from '@nestjs/common';
import { CaseCommandHandler } from './case-command.handler.js';
import { CaseDeadlineReader } from './case-deadlines.js';
import { CaseStepsController } from './case-steps/case-steps.controller.js';
import { CasesController } from './cases.controller.js';
import { GetCaseHandler } from './get-case/get-case.handler.js';
import { CountCasesHandler, ListCasesHandler } from './list-cases/list-cases.handler.js';

/**
 * Cases (诉求): open-case (its DTO; the controller opens), case-steps (every step on an
 * existing case, one route each), get-case, list-cases (the worklist, the dispatch queue and
 * the counts under the same filters); one case command handler for every command, and the
 * deadline reader the replies (and the reports) compute each clock's deadline with.
 */
@Module({
  controllers: [CasesController, CaseStepsController],
  providers: [
    CaseCommandHandler,
    GetCaseHandler,
    ListCasesHandler,
    CountCasesHandler,
    CaseDeadlineReader,
  ],
  exports: [CaseDeadlineReader],
})
export class CasesModule {}
