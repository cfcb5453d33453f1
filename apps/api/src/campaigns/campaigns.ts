import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
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
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Length } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import {
  campaignDecider,
  CampaignErrors,
  campaignStreamId,
  notFound,
  type CampaignCommand,
} from '#domain';
import {
  entityIdFor,
  handleCommand,
  type CommandContext,
  type CommandRequest,
  type CommandResult,
  type EventStore,
} from '#event-store';
import { CampaignView } from '#read-model';
import { ErrorDto } from '../http/errors.js';
import { CalendarDate, OptionalNotNull } from '../http/validators.js';
import { CommandReplyDto, commandReply } from '../http/replies.js';
import { RequestContexts } from '../http/request-context.js';
import { ReadConsistency } from '../infrastructure/read-consistency.js';
import { EVENT_STORE } from '../infrastructure/tokens.js';

export class CreateCampaignDto {
  @ApiProperty({ example: '坂田街道秋季扫楼行动' })
  @Length(1, 200)
  @IsString()
  name!: string;

  @ApiProperty({ example: '2026-10-01' })
  @CalendarDate('startsOn')
  startsOn!: string;

  @ApiProperty({ example: '2026-11-30', description: 'Inclusive' })
  @CalendarDate('endsOn')
  endsOn!: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Target buildings or parks: every enterprise registered in them',
    example: ['天安云谷1栋'],
  })
  @OptionalNotNull()
  @Length(1, 100, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(500)
  @IsArray()
  buildings?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Target enterprises by credit code' })
  @OptionalNotNull()
  @Length(18, 40, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(5000)
  @IsArray()
  enterpriseIds?: string[];
}

export class CoverageRowDto {
  @ApiProperty({ nullable: true, type: String, description: 'null on the total row' }) street!:
    string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'null on a street’s subtotal row; "" for enterprises with no building',
  })
  building!: string | null;
  @ApiProperty() targets!: number;
  @ApiProperty({ description: 'Target enterprises visited in the period' }) visited!: number;
  @ApiProperty({ description: 'visited / targets, 0–1' }) coverage!: number;
}

export class CampaignDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() startsOn!: string;
  @ApiProperty() endsOn!: string;
  @ApiProperty({ type: [String] }) buildings!: string[];
  @ApiProperty({ type: [String] }) enterpriseIds!: string[];
  @ApiProperty({ enum: ['active', 'closed'] }) status!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() version!: number;
}

export class CampaignCoverageDto extends CampaignDto {
  @ApiProperty({ type: CoverageRowDto, description: 'The whole campaign' }) total!: CoverageRowDto;
  @ApiProperty({ type: [CoverageRowDto], description: 'Per street' }) streets!: CoverageRowDto[];
  @ApiProperty({ type: [CoverageRowDto], description: 'Per building within its street' })
  buildingsCoverage!: CoverageRowDto[];
}

export class CampaignCommandMessage extends Command<CommandResult> {
  constructor(
    readonly campaignId: string,
    readonly command: CommandRequest<CampaignCommand>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(CampaignCommandMessage)
export class CampaignCommandHandler implements ICommandHandler<CampaignCommandMessage> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  execute({ campaignId, command, context }: CampaignCommandMessage) {
    return handleCommand(
      this.store,
      campaignDecider,
      campaignStreamId(campaignId),
      command,
      context,
    );
  }
}

export class GetCampaignQuery extends Query<CampaignCoverageDto> {
  constructor(readonly id: string) {
    super();
  }
}

/**
 * Coverage = target enterprises visited in the period / target enterprises. Targets are the
 * named enterprises plus every active enterprise registered in a target building.
 */
@QueryHandler(GetCampaignQuery)
export class GetCampaignHandler implements IQueryHandler<GetCampaignQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ id }: GetCampaignQuery): Promise<CampaignCoverageDto> {
    const campaign = await this.dataSource.getRepository(CampaignView).findOneBy({ id });
    if (!campaign) throw notFound(CampaignErrors.notFound, `Campaign ${id} does not exist`);
    const rows: {
      street: string | null;
      building: string | null;
      targets: number;
      visited: number;
      grouping: number;
    }[] = await this.dataSource.query(
      `WITH targets AS (
         SELECT e.id, e.street, coalesce(e.building, '') AS building,
                EXISTS (SELECT 1 FROM visit_view v WHERE v.enterprise_id = e.id AND v.visited_on BETWEEN $3 AND $4) AS visited
         FROM enterprise_view e
         WHERE e.archived_at IS NULL AND (e.id = ANY($1) OR e.building = ANY($2)))
       SELECT street, building, count(*)::int AS targets, count(*) FILTER (WHERE visited)::int AS visited,
              GROUPING(street, building)::int AS grouping
       FROM targets GROUP BY ROLLUP (street, building) ORDER BY street NULLS LAST, building NULLS FIRST`,
      [campaign.enterpriseIds, campaign.buildings, campaign.startsOn, campaign.endsOn],
    );
    const row = (r: (typeof rows)[number]): CoverageRowDto => ({
      street: r.grouping === 3 ? null : r.street,
      building: r.grouping === 0 ? r.building : null,
      targets: r.targets,
      visited: r.visited,
      coverage: r.targets ? Math.round((r.visited / r.targets) * 10_000) / 10_000 : 0,
    });
    const total = rows.find((r) => r.grouping === 3);
    return {
      ...campaign,
      total: total
        ? row(total)
        : { street: null, building: null, targets: 0, visited: 0, coverage: 0 },
      streets: rows.filter((r) => r.grouping === 1).map(row),
      buildingsCoverage: rows.filter((r) => r.grouping === 0).map(row),
    };
  }
}

export class ListCampaignsQuery extends Query<CampaignDto[]> {}

@QueryHandler(ListCampaignsQuery)
export class ListCampaignsHandler implements IQueryHandler<ListCampaignsQuery> {
  constructor(private readonly dataSource: DataSource) {}
  execute() {
    return this.dataSource
      .getRepository(CampaignView)
      .find({ order: { startsOn: 'DESC', id: 'ASC' } });
  }
}

@ApiTags('campaigns')
@Controller('campaigns')
export class CampaignsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly contexts: RequestContexts,
    private readonly consistency: ReadConsistency,
  ) {}

  @Post()
  @Can('campaign.manage')
  @ApiOperation({
    summary: 'Create a campaign (扫楼行动) over target buildings and/or enterprises',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: CommandReplyDto })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description: 'CAMPAIGN.INVALID_PERIOD, CAMPAIGN.NO_TARGETS, …',
  })
  async create(
    @Body() body: CreateCampaignDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const context = this.contexts.command(request);
    const id = entityIdFor(context.commandId, 'campaign');
    const data = {
      campaignId: id,
      name: body.name,
      startsOn: body.startsOn,
      endsOn: body.endsOn,
      buildings: body.buildings ?? [],
      enterpriseIds: body.enterpriseIds ?? [],
    };
    const result = await this.commands.execute(
      new CampaignCommandMessage(id, { type: 'CreateCampaign', data }, context),
    );
    void reply.status(201).header('location', `/api/v1/campaigns/${id}`);
    return commandReply(reply, id, result);
  }

  @Post(':id/close')
  @Can('campaign.manage')
  @ApiOperation({ summary: 'Close a campaign (扫楼行动): its coverage is kept as it stands' })
  @HttpCode(200)
  @ApiOkResponse({ type: CommandReplyDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'CAMPAIGN.ALREADY_CLOSED' })
  async close(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(
      new CampaignCommandMessage(
        id,
        { type: 'CloseCampaign', data: {} },
        this.contexts.command(request),
      ),
    );
    return commandReply(reply, id, result);
  }

  @Get()
  @Can('campaign.read')
  @ApiOperation({ summary: 'The campaigns (扫楼行动), with their coverage' })
  @ApiOkResponse({ type: [CampaignDto] })
  async list(@Req() request: FastifyRequest): Promise<CampaignDto[]> {
    await this.consistency.await(request, ['campaign_view']);
    return this.queries.execute(new ListCampaignsQuery());
  }

  @Get(':id')
  @Can('campaign.read')
  @ApiOperation({ summary: 'A campaign with its coverage: total, per street, per building' })
  @ApiOkResponse({ type: CampaignCoverageDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async get(@Param('id') id: string, @Req() request: FastifyRequest): Promise<CampaignCoverageDto> {
    await this.consistency.await(request, ['campaign_view', 'enterprise_view', 'visit_view']);
    return this.queries.execute(new GetCampaignQuery(id));
  }
}
