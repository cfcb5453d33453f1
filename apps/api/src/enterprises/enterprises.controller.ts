import { principalOf } from '../auth/access.guard.js';
import { CASE_COLUMNS, positional, scopeCondition } from '../auth/scope-sql.js';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
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
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPreconditionFailedResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  ValidateIf,
} from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import {
  ENTERPRISE_TAGS,
  enterpriseDecider,
  EnterpriseErrors,
  enterpriseStreamId,
  normaliseCreditCode,
  notFound,
  type EnterpriseCommand,
  type EnterpriseProfile,
  mayTake,
  type Principal,
} from '#domain';
import {
  handleCommand,
  withFacts,
  type CommandRequest,
  type CommandContext,
  type CommandResult,
  type EventStore,
} from '#event-store';
import { CaseView, containing, EnterpriseView, VisitView } from '#read-model';
import { ErrorDto } from '../http/errors.js';
import { OptionalNotNull } from '../http/validators.js';
import { IsCreditCode } from '../http/credit-code.validator.js';
import { CommandReplyDto, commandReply } from '../http/replies.js';
import { RequestContexts } from '../http/request-context.js';
import { CursorValue, decodeCursor, PageDto, toPage } from '../http/cursor.js';
import { ReadConsistency } from '../infrastructure/read-consistency.js';
import { EVENT_STORE } from '../infrastructure/tokens.js';
import { Catalogues } from '../reference/reference.controller.js';
import { VisitDto } from '../visits/visit.dto.js';

class EnterpriseProfileFields {
  @ApiPropertyOptional({ example: '天安云谷2栋', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Length(1, 100)
  @IsString()
  building?: string | null;

  @ApiPropertyOptional({ example: '新一代信息技术', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Length(1, 100)
  @IsString()
  industryCluster?: string | null;

  @ApiPropertyOptional({
    enum: ENTERPRISE_TAGS,
    isArray: true,
    description: '规上, 专精特新, 高新技术, 上市',
  })
  @OptionalNotNull()
  @IsIn(ENTERPRISE_TAGS as unknown as string[], {
    each: true,
    message: `tags must each be one of ${ENTERPRISE_TAGS.join(', ')}`,
  })
  @ArrayMaxSize(4)
  @IsArray()
  tags?: (typeof ENTERPRISE_TAGS)[number][];

  @ApiPropertyOptional({ example: '李经理', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Length(1, 50)
  @IsString()
  contactPerson?: string | null;

  @ApiPropertyOptional({
    example: '13800138000',
    nullable: true,
    type: String,
    description: 'Mobile, or landline with area code',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Length(5, 20)
  @IsString()
  contactPhone?: string | null;
}

export class RegisterEnterpriseDto extends EnterpriseProfileFields {
  @ApiProperty({
    example: '91440300708461136T',
    description: 'Unified social credit code (GB 32100-2015); spaces and case are ignored',
  })
  @IsCreditCode()
  @IsString()
  creditCode!: string;

  @ApiProperty({ example: '深圳市坂田电子科技有限公司' })
  @Length(1, 200)
  @IsString()
  name!: string;

  @ApiProperty({ example: 'bantian', description: 'A street code from GET /reference' })
  @Length(1, 40)
  @IsString()
  street!: string;
}

export class UpdateEnterpriseDto extends EnterpriseProfileFields {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @Length(1, 200)
  @IsString()
  name?: string;

  @ApiPropertyOptional({ description: 'A street code' })
  @OptionalNotNull()
  @Length(1, 40)
  @IsString()
  street?: string;
}

export class ArchiveEnterpriseDto {
  @ApiProperty({ example: '企业已迁出龙岗' })
  @Length(1, 500)
  @IsString()
  reason!: string;
}

export class ListEnterprisesDto extends PageDto {
  @ApiPropertyOptional({ description: 'Street code' })
  @OptionalNotNull()
  @Length(1, 40)
  @IsString()
  street?: string;

  @ApiPropertyOptional({ enum: ENTERPRISE_TAGS })
  @OptionalNotNull()
  @IsIn(ENTERPRISE_TAGS as unknown as string[])
  tag?: string;

  @ApiPropertyOptional({ description: 'Part of the name or credit code' })
  @OptionalNotNull()
  @Length(1, 100)
  @IsString()
  q?: string;

  @ApiPropertyOptional({ default: false })
  @OptionalNotNull()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'includeArchived must be true or false' })
  includeArchived?: boolean;
}

export class EnterpriseDto {
  @ApiProperty({ description: 'The credit code' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() creditCode!: string;
  @ApiProperty() street!: string;
  @ApiProperty({ nullable: true, type: String }) building!: string | null;
  @ApiProperty({ nullable: true, type: String }) industryCluster!: string | null;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ nullable: true, type: String }) contactPerson!: string | null;
  @ApiProperty({ nullable: true, type: String }) contactPhone!: string | null;
  @ApiProperty() registeredAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) archivedAt!: Date | null;
  @ApiProperty() version!: number;
}

export class EnterpriseListDto {
  @ApiProperty({ type: [EnterpriseDto] }) items!: EnterpriseDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

/** A case as the enterprise 360 lists it. */
export class EnterpriseCaseDto {
  @ApiProperty() id!: string;
  @ApiProperty() category!: string;
  @ApiProperty() channel!: string;
  @ApiProperty() priority!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ nullable: true, type: String }) leadDepartment!: string | null;
  @ApiProperty() openedAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) resolvedAt!: Date | null;
  @ApiProperty({ nullable: true, type: String }) outcome!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The callback result' }) satisfaction!:
    string | null;
  @ApiProperty() description!: string;
}

export class Enterprise360Dto extends EnterpriseDto {
  @ApiProperty({ type: [VisitDto], description: 'Visits, newest first (at most 100)' })
  visits!: VisitDto[];
  @ApiProperty({ type: [EnterpriseCaseDto], description: 'Cases, newest first (at most 100)' })
  cases!: EnterpriseCaseDto[];
  @ApiProperty({
    description: 'Cases per status',
    type: 'object',
    additionalProperties: { type: 'number' },
  })
  caseCounts!: Record<string, number>;
  @ApiProperty({
    description: 'Callback results over all its cases',
    type: 'object',
    additionalProperties: { type: 'number' },
  })
  callbacks!: Record<string, number>;
}

export class EnterpriseCommandMessage extends Command<CommandResult> {
  constructor(
    readonly enterpriseId: string,
    readonly command: CommandRequest<EnterpriseCommand, 'catalogue'>,
    readonly context: CommandContext,
    /** From If-Match: the version the client saw. */
    readonly expectedVersion?: number,
  ) {
    super();
  }
}

@CommandHandler(EnterpriseCommandMessage)
export class EnterpriseCommandHandler implements ICommandHandler<EnterpriseCommandMessage> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly catalogues: Catalogues,
  ) {}

  async execute({
    enterpriseId,
    command,
    context,
    expectedVersion,
  }: EnterpriseCommandMessage): Promise<CommandResult> {
    return handleCommand(
      this.store,
      enterpriseDecider,
      enterpriseStreamId(normaliseCreditCode(enterpriseId)),
      withFacts(command, { catalogue: await this.catalogues.current() }),
      context,
      { expectedVersion },
    );
  }
}

export class GetEnterpriseQuery extends Query<Enterprise360Dto> {
  constructor(
    readonly id: string,
    /** Cases and visits shown are those this user may see. */
    readonly who: Principal,
  ) {
    super();
  }
}

@QueryHandler(GetEnterpriseQuery)
export class GetEnterpriseHandler implements IQueryHandler<GetEnterpriseQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ id, who }: GetEnterpriseQuery): Promise<Enterprise360Dto> {
    const code = normaliseCreditCode(id);
    const found = await this.dataSource.getRepository(EnterpriseView).findOneBy({ id: code });
    if (!found)
      throw notFound(
        EnterpriseErrors.notFound,
        `No enterprise is registered with credit code ${id}`,
      );
    const visitScope = mayTake(who.role, 'visit.read')
      ? scopeCondition(who, { street: 'v.street', madeBy: 'v.logged_by' })
      : { sql: 'FALSE', params: {} };
    const caseScope = scopeCondition(who, CASE_COLUMNS('c'));
    const raw = positional(caseScope.sql, caseScope.params, 1);
    const [visits, cases, counts, callbacks] = await Promise.all([
      this.dataSource
        .getRepository(VisitView)
        .createQueryBuilder('v')
        .where('v.enterprise_id = :code', { code })
        .andWhere(visitScope.sql, visitScope.params)
        .orderBy('v.visited_on', 'DESC')
        .addOrderBy('v.id', 'DESC')
        .limit(100)
        .getMany(),
      this.dataSource
        .getRepository(CaseView)
        .createQueryBuilder('c')
        .select([
          'c.id',
          'c.category',
          'c.channel',
          'c.priority',
          'c.status',
          'c.leadDepartment',
          'c.openedAt',
          'c.resolvedAt',
          'c.outcome',
          'c.satisfaction',
          'c.description',
        ])
        .where('c.enterprise_id = :code', { code })
        .andWhere(caseScope.sql, caseScope.params)
        .orderBy('c.opened_at', 'DESC')
        .addOrderBy('c.id', 'DESC')
        .limit(100)
        .getMany(),
      this.dataSource.query(
        `SELECT status, count(*)::int AS n FROM case_view c WHERE enterprise_id = $1 AND ${raw.sql} GROUP BY status`,
        [code, ...raw.values],
      ),
      this.dataSource.query(
        `SELECT satisfaction, count(*)::int AS n FROM case_view c WHERE enterprise_id = $1 AND satisfaction IS NOT NULL AND ${raw.sql} GROUP BY satisfaction`,
        [code, ...raw.values],
      ),
    ]);
    const tally = (rows: { n: number }[], key: string) =>
      Object.fromEntries(rows.map((r) => [(r as Record<string, unknown>)[key], r.n]));
    return {
      ...found,
      visits,
      cases,
      caseCounts: tally(counts, 'status'),
      callbacks: tally(callbacks, 'satisfaction'),
    };
  }
}

export class ListEnterprisesQuery extends Query<EnterpriseListDto> {
  constructor(readonly filter: ListEnterprisesDto) {
    super();
  }
}

@QueryHandler(ListEnterprisesQuery)
export class ListEnterprisesHandler implements IQueryHandler<ListEnterprisesQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filter }: ListEnterprisesQuery): Promise<EnterpriseListDto> {
    const limit = filter.limit ?? 50;
    const query = this.dataSource.getRepository(EnterpriseView).createQueryBuilder('e');
    if (filter.street) query.andWhere('e.street = :street', { street: filter.street });
    if (filter.tag) query.andWhere(':tag = ANY(e.tags)', { tag: filter.tag });
    if (!filter.includeArchived) query.andWhere('e.archived_at IS NULL');
    if (filter.q) {
      query.andWhere(`(e.name ILIKE :q ESCAPE '\\' OR e.id ILIKE :q ESCAPE '\\')`, {
        q: containing(filter.q),
      });
    }
    if (filter.cursor) {
      const [name, id] = decodeCursor(filter.cursor, [CursorValue.text, CursorValue.text]);
      query.andWhere('(e.name, e.id) > (:name, :id)', { name, id });
    }
    const rows = await query
      .orderBy('e.name', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (last) => [last.name, last.id]);
  }
}

/** The fields the client sent (undefined ones left out: absent means unchanged). */
const profileChanges = <T extends Partial<EnterpriseProfile>>(body: T) =>
  Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as T;

@ApiTags('enterprises')
@Controller('enterprises')
export class EnterprisesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly contexts: RequestContexts,
    private readonly consistency: ReadConsistency,
  ) {}

  @Post()
  @Can('enterprise.write')
  @ApiOperation({
    summary: 'Register an enterprise under its unified social credit code (GB 32100-2015)',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retrying with the same key returns the first result',
  })
  @ApiCreatedResponse({ type: CommandReplyDto })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description: 'A field is missing or breaks a rule (a wrong check character, an unknown street)',
  })
  @ApiConflictResponse({
    type: ErrorDto,
    description:
      'ENTERPRISE.ALREADY_REGISTERED: the credit code is taken; details name the enterprise',
  })
  async register(
    @Body() body: RegisterEnterpriseDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const id = normaliseCreditCode(body.creditCode);
    const result = await this.commands.execute(
      new EnterpriseCommandMessage(
        id,
        { type: 'RegisterEnterprise', data: profileChanges(body) },
        this.contexts.command(request),
      ),
    );
    void reply.status(201).header('location', `/api/v1/enterprises/${id}`);
    return commandReply(reply, id, result);
  }

  @Patch(':id')
  @Can('enterprise.write')
  @ApiOperation({
    summary:
      "Update an enterprise's profile: name, street, building, cluster, tags, contactPerson, contactPhone",
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The ETag (version) you saw; a newer version answers 412',
  })
  @ApiPreconditionFailedResponse({
    type: ErrorDto,
    description: 'If-Match does not match the current version',
  })
  @ApiOkResponse({
    type: CommandReplyDto,
    description: 'Only the fields sent are changed; null clears an optional field',
  })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Invalid field, or ENTERPRISE.NO_CHANGE' })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'ENTERPRISE.ARCHIVED' })
  async update(
    @Param('id') id: string,
    @Body() body: UpdateEnterpriseDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new EnterpriseCommandMessage(
        id,
        { type: 'UpdateEnterpriseProfile', data: { changes: profileChanges(body) } },
        this.contexts.command(request),
        this.contexts.expectedVersion(request),
      ),
    );
    return commandReply(reply, normaliseCreditCode(id), result);
  }

  @Post(':id/archive')
  @Can('enterprise.archive')
  @ApiOperation({ summary: 'Archive an enterprise: no new cases can be opened for it' })
  @HttpCode(200)
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The ETag (version) you saw; a newer version answers 412',
  })
  @ApiPreconditionFailedResponse({ type: ErrorDto })
  @ApiOkResponse({ type: CommandReplyDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'ENTERPRISE.ARCHIVED' })
  async archive(
    @Param('id') id: string,
    @Body() body: ArchiveEnterpriseDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new EnterpriseCommandMessage(
        id,
        { type: 'ArchiveEnterprise', data: { reason: body.reason } },
        this.contexts.command(request),
        this.contexts.expectedVersion(request),
      ),
    );
    return commandReply(reply, normaliseCreditCode(id), result);
  }

  @Get()
  @Can('enterprise.read')
  @ApiOperation({ summary: 'The enterprises, by name, filtered by street, tag or a name search' })
  @ApiOkResponse({ type: EnterpriseListDto, description: 'By name' })
  @ApiBadRequestResponse({ type: ErrorDto })
  async list(
    @QueryParams() query: ListEnterprisesDto,
    @Req() request: FastifyRequest,
  ): Promise<EnterpriseListDto> {
    await this.consistency.await(request, ['enterprise_view']);
    return this.queries.execute(new ListEnterprisesQuery(query));
  }

  @Get(':id')
  @Can('enterprise.read')
  @ApiOperation({
    summary: 'The enterprise 360: profile, visits, cases with outcomes and callback results',
  })
  @ApiHeader({
    name: 'X-Consistent-With',
    required: false,
    description: 'A position from a command reply: wait until it is applied',
  })
  @ApiOkResponse({
    type: Enterprise360Dto,
    description: 'Enterprise 360: profile, visits, cases and their outcomes, callback results',
  })
  @ApiNotFoundResponse({ type: ErrorDto })
  async get(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Enterprise360Dto> {
    await this.consistency.await(request, ['enterprise_view', 'case_view', 'visit_view']);
    const found = await this.queries.execute(new GetEnterpriseQuery(id, principalOf(request)));
    void reply.header('etag', `"${found.version}"`);
    return found;
  }
}
