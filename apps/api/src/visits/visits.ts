import { principalOf } from '../auth/access.guard.js';
import { scopeCondition } from '../auth/scope-sql.js';
import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  Post,
  Query as QueryParams,
  Req,
  Res,
} from '@nestjs/common';
import { Can } from '../auth/policy.js';
import {
  Command,
  CommandBus,
  CommandHandler,
  Query,
  QueryBus,
  QueryHandler,
  type ICommandHandler,
  type IQueryHandler,
} from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsString, Length, ValidateNested } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import {
  CASE_PRIORITIES,
  caseStreamId,
  notFound,
  VISIT_LEVELS,
  visitStreamId,
  visitWithCasesDecider,
  type Principal,
} from '#domain';
import {
  entityIdFor,
  formatPosition,
  handleMultiStreamCommand,
  type CommandContext,
  type EventStore,
} from '#event-store';
import { VisitView } from '#read-model';
import { CursorValue, decodeCursor, PageDto, toPage } from '../http/cursor.js';
import { ErrorDto } from '../http/errors.js';
import { CalendarDate, RecentDate, OptionalNotNull } from '../http/validators.js';
import { RequestContexts } from '../http/request-context.js';
import { ReadConsistency } from '../infrastructure/read-consistency.js';
import { EVENT_STORE } from '../infrastructure/tokens.js';
import { Catalogues } from '../reference/reference.js';
import { enterpriseFacts } from '../cases/cases.commands.js';

export class ProblemDto {
  @ApiProperty({ example: 'industrial_space', description: 'A category code' })
  @Length(1, 40)
  @IsString()
  category!: string;

  @ApiProperty({ example: '扩产需要约3000平方米过渡厂房' })
  @Length(1, 4000)
  @IsString()
  description!: string;

  @ApiPropertyOptional({ enum: CASE_PRIORITIES, default: 'normal' })
  @OptionalNotNull()
  @IsIn(CASE_PRIORITIES as unknown as string[], {
    message: `priority must be one of ${CASE_PRIORITIES.join(', ')}`,
  })
  priority?: (typeof CASE_PRIORITIES)[number];
}

export class LogVisitDto {
  @ApiProperty({ description: 'Credit code of the enterprise visited' })
  @Length(18, 40)
  @IsString()
  enterpriseId!: string;

  @ApiProperty({ example: '2026-11-20', description: 'The day of the visit (Shenzhen time)' })
  @RecentDate('visitedOn')
  visitedOn!: string;

  @ApiProperty({
    enum: VISIT_LEVELS,
    description: 'Who led it: a district leader, a department, or the street',
  })
  @IsIn(VISIT_LEVELS as unknown as string[], {
    message: `level must be one of ${VISIT_LEVELS.join(', ')}`,
  })
  level!: (typeof VISIT_LEVELS)[number];

  @ApiProperty({ type: [String], example: ['王科长'] })
  @Length(1, 50, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(20)
  @IsArray()
  officers!: string[];

  @ApiPropertyOptional({ type: [String], example: ['副区长'] })
  @OptionalNotNull()
  @Length(1, 50, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(20)
  @IsArray()
  leaders?: string[];

  @ApiProperty({ example: '了解企业扩产计划及用地需求' })
  @Length(1, 4000)
  @IsString()
  summary!: string;

  @ApiPropertyOptional({
    type: [ProblemDto],
    description: 'Each opens a case; none is fine — the visit still counts',
  })
  @OptionalNotNull()
  @ValidateNested({ each: true })
  @Type(() => ProblemDto)
  @ArrayMaxSize(20)
  @IsArray()
  problems?: ProblemDto[];
}

export class VisitReplyDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: [String], description: 'The cases opened for the problems, in order' })
  caseIds!: string[];
  @ApiProperty({
    example: '812:1044',
    description: 'Send as X-Consistent-With to read your own write',
  })
  position!: string;
}

export class VisitDto {
  @ApiProperty() id!: string;
  @ApiProperty() enterpriseId!: string;
  @ApiProperty() enterpriseName!: string;
  @ApiProperty() street!: string;
  @ApiProperty() visitedOn!: string;
  @ApiProperty({ enum: VISIT_LEVELS }) level!: string;
  @ApiProperty({ type: [String] }) officers!: string[];
  @ApiProperty({ type: [String] }) leaders!: string[];
  @ApiProperty() summary!: string;
  @ApiProperty({ type: [String] }) caseIds!: string[];
  @ApiProperty() loggedAt!: Date;
}

export class VisitListDto {
  @ApiProperty({ type: [VisitDto] }) items!: VisitDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ListVisitsDto extends PageDto {
  @ApiPropertyOptional() @OptionalNotNull() @Length(18, 40) @IsString() enterpriseId?: string;
  @ApiPropertyOptional({ description: 'Street code' })
  @OptionalNotNull()
  @Length(1, 40)
  @IsString()
  street?: string;
  @ApiPropertyOptional({ enum: VISIT_LEVELS })
  @OptionalNotNull()
  @IsIn(VISIT_LEVELS as unknown as string[], {
    message: `level must be one of ${VISIT_LEVELS.join(', ')}`,
  })
  level?: string;
  @ApiPropertyOptional({ example: '2026-11-01' })
  @OptionalNotNull()
  @CalendarDate('from')
  from?: string;
  @ApiPropertyOptional({ example: '2026-11-30', description: 'Inclusive' })
  @OptionalNotNull()
  @CalendarDate('to')
  to?: string;
}

export class LogVisitCommand extends Command<VisitReplyDto & { replayed: boolean }> {
  constructor(
    readonly visitId: string,
    readonly body: LogVisitDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * A visit and the cases its problems open are written in one transaction, through the
 * multi-stream command path. A retry (same Idempotency-Key) derives the same ids and is
 * answered with the first result.
 */
@CommandHandler(LogVisitCommand)
export class LogVisitHandler implements ICommandHandler<LogVisitCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly catalogues: Catalogues,
  ) {}

  async execute({
    visitId,
    body,
    context,
  }: LogVisitCommand): Promise<VisitReplyDto & { replayed: boolean }> {
    const caseIds = (body.problems ?? []).map((_, i) =>
      entityIdFor(context.commandId, `visit-case-${i}`),
    );
    const result = await handleMultiStreamCommand(
      this.store,
      visitWithCasesDecider,
      visitStreamId(visitId),
      {
        type: 'LogVisit',
        data: {
          visitId,
          enterprise: await enterpriseFacts(this.store, body.enterpriseId),
          visitedOn: body.visitedOn,
          level: body.level,
          officers: body.officers,
          leaders: body.leaders ?? [],
          summary: body.summary,
          problems: (body.problems ?? []).map((p, i) => ({
            caseId: caseIds[i]!,
            category: p.category,
            description: p.description,
            priority: p.priority ?? 'normal',
          })),
          catalogue: await this.catalogues.current(),
        },
      },
      context,
      { alsoWrites: caseIds.map(caseStreamId) },
    );
    return {
      id: visitId,
      caseIds,
      position: formatPosition(result.position!),
      replayed: result.replayed,
    };
  }
}

export class ListVisitsQuery extends Query<VisitListDto> {
  constructor(
    readonly filter: ListVisitsDto,
    readonly who: Principal,
  ) {
    super();
  }
}

@QueryHandler(ListVisitsQuery)
export class ListVisitsHandler implements IQueryHandler<ListVisitsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filter, who }: ListVisitsQuery): Promise<VisitListDto> {
    const limit = filter.limit ?? 50;
    const scope = scopeCondition(who, { street: 'v.street', madeBy: 'v.logged_by' });
    const q = this.dataSource
      .getRepository(VisitView)
      .createQueryBuilder('v')
      .where(scope.sql, scope.params);
    if (filter.enterpriseId)
      q.andWhere('v.enterprise_id = :e', { e: filter.enterpriseId.toUpperCase() });
    if (filter.street) q.andWhere('v.street = :s', { s: filter.street });
    if (filter.level) q.andWhere('v.level = :l', { l: filter.level });
    if (filter.from) q.andWhere('v.visited_on >= :from', { from: filter.from });
    if (filter.to) q.andWhere('v.visited_on <= :to', { to: filter.to });
    if (filter.cursor) {
      const [on, id] = decodeCursor(filter.cursor, [CursorValue.date, CursorValue.uuid]);
      q.andWhere('(v.visited_on, v.id) < (:on, :id)', { on, id });
    }
    const rows = await q
      .orderBy('v.visited_on', 'DESC')
      .addOrderBy('v.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (last) => [last.visitedOn, last.id]);
  }
}

export class GetVisitQuery extends Query<VisitDto> {
  constructor(readonly id: string) {
    super();
  }
}

@QueryHandler(GetVisitQuery)
export class GetVisitHandler implements IQueryHandler<GetVisitQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ id }: GetVisitQuery): Promise<VisitDto> {
    const found = await this.dataSource.getRepository(VisitView).findOneBy({ id });
    if (!found) throw notFound('VISIT.NOT_FOUND', `Visit ${id} does not exist`);
    return found;
  }
}

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
  @ApiOperation({
    summary: 'Log a visit (走访); each problem raised opens a case in the same transaction',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A phone that retries sends the same key: nothing is created twice',
  })
  @ApiCreatedResponse({ type: VisitReplyDto })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description: 'Invalid field (problems[i].field for a problem), ENTERPRISE.NOT_FOUND',
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
    void reply.status(201).header('location', `/api/v1/visits/${visitId}`);
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
