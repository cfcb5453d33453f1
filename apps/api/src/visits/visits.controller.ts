import { Body, Controller, Get, Param, Post, Query as QueryParams, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { entityIdFor } from '#event-store';
import { principalOf } from '../auth/access.guard.js';
import { Can } from '../auth/policy.js';
import { created, CreateRoute } from '../http/create-route.js';
import { ErrorDto } from '../http/errors.js';
import { RequestContexts } from '../http/request-context.js';
import { ReadConsistency } from '../infrastructure/read-consistency.js';
import { GetVisitQuery } from './get-visit/get-visit.handler.js';
import { ListVisitsDto } from './list-visits/list-visits.dto.js';
import { ListVisitsQuery } from './list-visits/list-visits.handler.js';
import { LogVisitDto } from './log-visit/log-visit.dto.js';
import { LogVisitCommand } from './log-visit/log-visit.handler.js';
import { VisitDto, VisitListDto, VisitReplyDto } from './visit.dto.js';

@ApiTags('visits')
@Controller('visits')
export class VisitsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly contexts: RequestContexts,
    private readonly consistency: ReadConsistency,
  ) {}

  @Post()
  @Can('visit.log')
  @CreateRoute({
    summary: 'Log a visit (走访); each problem raised opens a case in the same transaction',
    reply: VisitReplyDto,
    idempotency: 'A phone that retries sends the same key: nothing is created twice',
    invalid: 'Invalid field (problems[i].field for a problem), ENTERPRISE.NOT_FOUND',
  })
  async log(
    @Body() body: LogVisitDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const context = this.contexts.command(request);
    const visitId = entityIdFor(context.commandId, 'visit');
    const { replayed, ...result } = await this.commands.execute(
      new LogVisitCommand(visitId, body, context),
    );
    created(reply, `/api/v1/visits/${visitId}`);
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return result;
  }

  @Get()
  @Can('visit.read')
  @ApiOperation({ summary: 'The visits (走访) within your reach, newest first' })
  @ApiOkResponse({ type: VisitListDto, description: 'Newest first' })
  @ApiBadRequestResponse({ type: ErrorDto })
  async list(
    @QueryParams() query: ListVisitsDto,
    @Req() request: FastifyRequest,
  ): Promise<VisitListDto> {
    await this.consistency.await(request, ['visit_view']);
    return this.queries.execute(new ListVisitsQuery(query, principalOf(request)));
  }

  @Get(':id')
  @Can('visit.read', { scope: 'visit' })
  @ApiOperation({ summary: 'One visit, with the cases its problems opened' })
  @ApiOkResponse({ type: VisitDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async get(@Param('id') id: string, @Req() request: FastifyRequest): Promise<VisitDto> {
    await this.consistency.await(request, ['visit_view']);
    return this.queries.execute(new GetVisitQuery(id));
  }
}
