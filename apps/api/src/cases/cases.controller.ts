import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { entityIdFor } from '#event-store';
import { principalOf } from '../auth/access.guard.js';
import { Can } from '../auth/policy.js';
import { createdReply, CreateRoute } from '../http/create-route.js';
import { ErrorDto } from '../http/errors.js';
import { CommandReplyDto } from '../http/replies.js';
import { RequestContexts } from '../http/request-context.js';
import { CachedRead } from '../infrastructure/read-cache.js';
import { ReadConsistency } from '../infrastructure/read-consistency.js';
import { CaseCountsDto, CaseDetailDto, CaseListDto } from './case.dto.js';
import { caseIdPipe } from './case-id.pipe.js';
import { CaseCommandMessage, type CaseRequest } from './case-command.handler.js';
import { GetCaseQuery } from './get-case/get-case.handler.js';
import { CaseFilterDto, ListCasesDto } from './list-cases/list-cases.dto.js';
import { CountCasesQuery, ListCasesQuery } from './list-cases/list-cases.handler.js';
import { OpenCaseDto } from './open-case/open-case.dto.js';

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
  @CreateRoute({
    summary: 'Open a case (诉求) for a registered enterprise',
    reply: CommandReplyDto,
    idempotency: 'Retrying with the same key returns the same case',
    invalid: 'Invalid field, ENTERPRISE.NOT_FOUND, CASE.UNKNOWN_CATEGORY',
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
    return createdReply(reply, `/api/v1/cases/${caseId}`, caseId, result);
  }

  @Get('cases/counts')
  @CachedRead()
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
  @CachedRead()
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
  @CachedRead()
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
}
