import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { entityIdFor } from '#event-store';
import { principalOf } from '../auth/access.guard.js';
import { Can } from '../auth/policy.js';
import { ErrorDto, HttpProblem } from '../http/errors.js';
import { CommandReplyDto, commandReply } from '../http/replies.js';
import { RequestContexts } from '../http/request-context.js';
import { ReadConsistency } from '../infrastructure/read-consistency.js';
import { CaseCommandMessage, type CaseRequest } from './cases.commands.js';
import {
  CallbackDto,
  CaseCountsDto,
  CaseDetailDto,
  CaseFilterDto,
  CaseListDto,
  CommentDto,
  DispatchCaseDto,
  ExtensionApprovalDto,
  ExtensionRequestDto,
  FirstResponseDto,
  ListCasesDto,
  OpenCaseDto,
  ProgressDto,
  ReasonDto,
  ResolveCaseDto,
  SupervisionDto,
  TransferCaseDto,
} from './cases.dto.js';
import { CountCasesQuery, GetCaseQuery, ListCasesQuery } from './cases.queries.js';

export const caseIdPipe = new ParseUUIDPipe({
  exceptionFactory: () =>
    new HttpProblem(400, 'REQUEST.INVALID', 'id must be a UUID', [
      { field: 'id', rule: 'isUuid', message: 'id must be a UUID' },
    ]),
});

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

@ApiTags('cases')
@Controller()
export class CasesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly contexts: RequestContexts,
    private readonly consistency: ReadConsistency,
  ) {}

  @Post('cases')
  @Can('case.open')
  @ApiOperation({ summary: 'Open a case (诉求) for a registered enterprise' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retrying with the same key returns the same case',
  })
  @ApiCreatedResponse({ type: CommandReplyDto })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description: 'Invalid field, ENTERPRISE.NOT_FOUND, CASE.UNKNOWN_CATEGORY',
  })
  @ApiConflictResponse({ type: ErrorDto, description: 'ENTERPRISE.ARCHIVED' })
  async open(
    @Body() body: OpenCaseDto,
    @Req() request: Req,
    @Res({ passthrough: true }) reply: Rep,
  ) {
    const context = this.contexts.command(request);
    // The id derives from the command id: a retry (same Idempotency-Key) names the same case.
    const caseId = entityIdFor(context.commandId, 'case');
    const result = await this.commands.execute(
      new CaseCommandMessage(
        caseId,
        {
          type: 'OpenCase',
          enterpriseId: body.enterpriseId,
          data: {
            category: body.category,
            channel: body.channel,
            priority: body.priority ?? 'normal',
            description: body.description,
          },
        } as CaseRequest,
        context,
      ),
    );
    void reply.status(201).header('location', `/api/v1/cases/${caseId}`);
    return commandReply(reply, caseId, result);
  }

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

  @Get('cases/counts')
  @Can('case.read')
  @ApiOperation({
    summary:
      'Cases per status and per queue (overdue, due soon, paused, extension pending, supervised), under the worklist filters',
  })
  @ApiOkResponse({ type: CaseCountsDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  async counts(@Query() filter: CaseFilterDto, @Req() request: Req): Promise<CaseCountsDto> {
    await this.consistency.await(request, ['case_view', 'case_sla']);
    return this.queries.execute(new CountCasesQuery(filter, principalOf(request)));
  }

  @Get('cases/:id')
  @Can('case.read', { scope: 'case' })
  @ApiOperation({ summary: 'A case and its full timeline: every event, who, when, what changed' })
  @ApiHeader({
    name: 'X-Consistent-With',
    required: false,
    description: 'A position from a command reply: wait until it is applied',
  })
  @ApiOkResponse({ type: CaseDetailDto, description: 'ETag carries its version' })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiServiceUnavailableResponse({
    type: ErrorDto,
    description: 'READ_MODEL.BEHIND: X-Consistent-With was not reached in time',
  })
  async get(
    @Param('id', caseIdPipe) id: string,
    @Req() request: Req,
    @Res({ passthrough: true }) reply: Rep,
  ) {
    await this.consistency.await(request, ['case_view', 'case_timeline', 'case_sla']);
    const found = await this.queries.execute(new GetCaseQuery(id));
    void reply.header('etag', `"${found.version}"`);
    return found;
  }

  @Get('cases')
  @Can('case.read')
  @ApiOperation({
    summary:
      'The case worklist with each clock’s deadline: filter (overdue, due within N working hours, paused, extension pending, handled by us …), search, sort (due first for handlers), page',
  })
  @ApiHeader({ name: 'X-Consistent-With', required: false })
  @ApiOkResponse({ type: CaseListDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  async list(@Query() query: ListCasesDto, @Req() request: Req): Promise<CaseListDto> {
    await this.consistency.await(request, ['case_view', 'case_sla']);
    return this.queries.execute(new ListCasesQuery(query, principalOf(request)));
  }

  @Get('dispatch-queue')
  @Can('case.queue')
  @ApiOperation({ summary: 'The dispatch queue: new and returned cases, oldest first' })
  @ApiHeader({ name: 'X-Consistent-With', required: false })
  @ApiOkResponse({ type: CaseListDto })
  async queue(@Query() query: ListCasesDto, @Req() request: Req): Promise<CaseListDto> {
    await this.consistency.await(request, ['case_view', 'case_sla']);
    return this.queries.execute(
      new ListCasesQuery(
        { ...query, status: ['new', 'returned'], sort: query.sort ?? 'oldest' },
        principalOf(request),
      ),
    );
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
