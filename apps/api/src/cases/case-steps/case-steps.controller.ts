import { applyDecorators, Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Can } from '../../auth/policy.js';
import { ErrorDto } from '../../http/errors.js';
import { CommandReplyDto, commandReply } from '../../http/replies.js';
import { RequestContexts } from '../../http/request-context.js';
import { caseIdPipe } from '../case-id.pipe.js';
import { CaseCommandMessage, type CaseRequest } from '../case-command.handler.js';
import {
  CallbackDto,
  CommentDto,
  DispatchCaseDto,
  ExtensionApprovalDto,
  ExtensionRequestDto,
  FirstResponseDto,
  ProgressDto,
  ReasonDto,
  ResolveCaseDto,
  SupervisionDto,
  TransferCaseDto,
} from './case-steps.dto.js';

/** The documentation every step on an existing case shares. */
const Step = (summary: string) =>
  applyDecorators(
    HttpCode(200),
    ApiOperation({ summary }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Retrying with the same key returns the first result',
    }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The ETag (version) you saw; a newer version answers 412',
    }),
    ApiOkResponse({ type: CommandReplyDto }),
    ApiBadRequestResponse({ type: ErrorDto }),
    ApiNotFoundResponse({ type: ErrorDto, description: 'CASE.NOT_FOUND' }),
    ApiConflictResponse({
      type: ErrorDto,
      description:
        'CASE.ILLEGAL_TRANSITION (the message says the current status) or a more specific refusal',
    }),
    ApiPreconditionFailedResponse({
      type: ErrorDto,
      description: 'If-Match does not match the current version',
    }),
    ApiUnprocessableEntityResponse({
      type: ErrorDto,
      description: 'IDEMPOTENCY.KEY_REUSED: the Idempotency-Key was used for a different request',
    }),
  );

type Req = FastifyRequest;
type Rep = FastifyReply;

/**
 * Every step on an existing case: one route each, all through the case command handler
 * (who may is decided there, on the state the step is appended to).
 */
@ApiTags('cases')
@Controller()
export class CaseStepsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly contexts: RequestContexts,
  ) {}

  @Step('Dispatch (派单) to a lead department and co-handlers; from new or returned')
  @Post('cases/:id/dispatch')
  @Can('case.dispatch', { scope: 'case' })
  dispatch(
    @Param('id', caseIdPipe) id: string,
    @Body() b: DispatchCaseDto,
    @Req() q: Req,
    @Res({ passthrough: true }) r: Rep,
  ) {
    return this.step(
      id,
      {
        type: 'DispatchCase',
        data: { leadDepartment: b.leadDepartment, coDepartments: b.coDepartments ?? [] },
      },
      q,
      r,
    );
  }

  @Step('Accept (签收) a dispatched case')
  @Post('cases/:id/accept')
  @Can('case.lead', { scope: 'case' })
  accept(@Param('id', caseIdPipe) id: string, @Req() q: Req, @Res({ passthrough: true }) r: Rep) {
    return this.step(id, { type: 'AcceptCase', data: {} }, q, r);
  }

  @Step('Return (退单) to the dispatch queue with a reason')
  @Post('cases/:id/return')
  @Can('case.lead', { scope: 'case' })
  return(
    @Param('id', caseIdPipe) id: string,
    @Body() b: ReasonDto,
    @Req() q: Req,
    @Res({ passthrough: true }) r: Rep,
  ) {
    return this.step(id, { type: 'ReturnCase', data: { reason: b.reason } }, q, r);
  }

  @Step(
    'Transfer (转办) to another lead department with a reason (the lead, or a dispatcher re-routing); it must accept',
  )
  @Post('cases/:id/transfer')
  @Can('case.transfer', { scope: 'case' })
  transfer(
    @Param('id', caseIdPipe) id: string,
    @Body() b: TransferCaseDto,
    @Req() q: Req,
    @Res({ passthrough: true }) r: Rep,
  ) {
    return this.step(
      id,
      { type: 'TransferCase', data: { toDepartment: b.toDepartment, reason: b.reason } },
      q,
      r,
    );
  }

  @Step('Record the first response to the enterprise (首次回应)')
  @Post('cases/:id/first-response')
  @Can('case.lead', { scope: 'case' })
  respond(
    @Param('id', caseIdPipe) id: string,
    @Body() b: FirstResponseDto,
    @Req() q: Req,
    @Res({ passthrough: true }) r: Rep,
  ) {
    return this.step(id, { type: 'RecordFirstResponse', data: { message: b.message } }, q, r);
  }

  @Step('Note progress (进展)')
  @Post('cases/:id/progress')
  @Can('case.contribute', { scope: 'case' })
  progress(
    @Param('id', caseIdPipe) id: string,
    @Body() b: ProgressDto,
    @Req() q: Req,
    @Res({ passthrough: true }) r: Rep,
  ) {
    return this.step(id, { type: 'NoteProgress', data: { note: b.note } }, q, r);
  }

  @Step('Request an extension (延期) with a reason and a new due date')
  @Post('cases/:id/extension')
  @Can('case.lead', { scope: 'case' })
  extend(
    @Param('id', caseIdPipe) id: string,
    @Body() b: ExtensionRequestDto,
    @Req() q: Req,
    @Res({ passthrough: true }) r: Rep,
  ) {
    return this.step(
      id,
      { type: 'RequestExtension', data: { reason: b.reason, requestedDueAt: b.requestedDueAt } },
      q,
      r,
    );
  }

  @Step('Approve the waiting extension request (dispatcher or leader)')
  @Post('cases/:id/extension/approve')
  @Can('case.decide_extension', { scope: 'case' })
  approve(
    @Param('id', caseIdPipe) id: string,
    @Body() b: ExtensionApprovalDto,
    @Req() q: Req,
    @Res({ passthrough: true }) r: Rep,
  ) {
    return this.step(
      id,
      { type: 'ApproveExtension', data: b.comment === undefined ? {} : { comment: b.comment } },
      q,
      r,
    );
  }

  @Step('Refuse the waiting extension request, with a reason (dispatcher or leader)')
  @Post('cases/:id/extension/refuse')
  @Can('case.decide_extension', { scope: 'case' })
  refuse(
    @Param('id', caseIdPipe) id: string,
    @Body() b: ReasonDto,
    @Req() q: Req,
    @Res({ passthrough: true }) r: Rep,
  ) {
    return this.step(id, { type: 'RefuseExtension', data: { reason: b.reason } }, q, r);
  }

  @Step('Pause while waiting for the enterprise')
  @Post('cases/:id/pause')
  @Can('case.lead', { scope: 'case' })
  pause(
    @Param('id', caseIdPipe) id: string,
    @Body() b: ReasonDto,
    @Req() q: Req,
    @Res({ passthrough: true }) r: Rep,
  ) {
    return this.step(id, { type: 'PauseCase', data: { reason: b.reason } }, q, r);
  }

  @Step('Resume a paused case')
  @Post('cases/:id/resume')
  @Can('case.lead', { scope: 'case' })
  resume(@Param('id', caseIdPipe) id: string, @Req() q: Req, @Res({ passthrough: true }) r: Rep) {
    return this.step(id, { type: 'ResumeCase', data: {} }, q, r);
  }

  @Step('Resolve (办结) with the resolution and an outcome')
  @Post('cases/:id/resolve')
  @Can('case.lead', { scope: 'case' })
  resolve(
    @Param('id', caseIdPipe) id: string,
    @Body() b: ResolveCaseDto,
    @Req() q: Req,
    @Res({ passthrough: true }) r: Rep,
  ) {
    return this.step(
      id,
      { type: 'ResolveCase', data: { resolution: b.resolution, outcome: b.outcome } },
      q,
      r,
    );
  }

  @Step('Record the callback (回访); unsatisfied sends the case back for rework (退回重办)')
  @Post('cases/:id/callback')
  @Can('case.callback', { scope: 'case' })
  callback(
    @Param('id', caseIdPipe) id: string,
    @Body() b: CallbackDto,
    @Req() q: Req,
    @Res({ passthrough: true }) r: Rep,
  ) {
    return this.step(
      id,
      { type: 'RecordCallback', data: { satisfaction: b.satisfaction, comment: b.comment } },
      q,
      r,
    );
  }

  @Step('Close (销号) a resolved case after its callback')
  @Post('cases/:id/close')
  @Can('case.callback', { scope: 'case' })
  close(@Param('id', caseIdPipe) id: string, @Req() q: Req, @Res({ passthrough: true }) r: Rep) {
    return this.step(id, { type: 'CloseCase', data: {} }, q, r);
  }

  @Step('Withdraw: the enterprise no longer needs it')
  @Post('cases/:id/withdraw')
  @Can('case.withdraw', { scope: 'case' })
  withdraw(
    @Param('id', caseIdPipe) id: string,
    @Body() b: ReasonDto,
    @Req() q: Req,
    @Res({ passthrough: true }) r: Rep,
  ) {
    return this.step(id, { type: 'WithdrawCase', data: { reason: b.reason } }, q, r);
  }

  @Step('Order supervision (督办) with instructions')
  @Post('cases/:id/supervision')
  @Can('case.supervise', { scope: 'case' })
  supervise(
    @Param('id', caseIdPipe) id: string,
    @Body() b: SupervisionDto,
    @Req() q: Req,
    @Res({ passthrough: true }) r: Rep,
  ) {
    return this.step(
      id,
      { type: 'OrderSupervision', data: { instructions: b.instructions } },
      q,
      r,
    );
  }

  @Step('Comment on a case, in any status')
  @Post('cases/:id/comments')
  @Can('case.comment', { scope: 'case' })
  comment(
    @Param('id', caseIdPipe) id: string,
    @Body() b: CommentDto,
    @Req() q: Req,
    @Res({ passthrough: true }) r: Rep,
  ) {
    return this.step(id, { type: 'CommentOnCase', data: { comment: b.comment } }, q, r);
  }

  private async step(id: string, request: CaseRequest, http: Req, reply: Rep) {
    const message = new CaseCommandMessage(
      id,
      request,
      this.contexts.command(http),
      this.contexts.expectedVersion(http),
    );
    return commandReply(reply, id, await this.commands.execute(message));
  }
}
