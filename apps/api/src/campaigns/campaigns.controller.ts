import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { entityIdFor } from '#event-store';
import { Can } from '../auth/policy.js';
import { ErrorDto } from '../http/errors.js';
import { createdReply, CreateRoute } from '../http/create-route.js';
import { CommandReplyDto, commandReply } from '../http/replies.js';
import { RequestContexts } from '../http/request-context.js';
import { ReadConsistency } from '../infrastructure/read-consistency.js';
import { CampaignCoverageDto, CampaignDto } from './campaign.dto.js';
import { CampaignCommandMessage } from './campaign-command.handler.js';
import { CreateCampaignDto } from './create-campaign/create-campaign.dto.js';
import { GetCampaignQuery } from './get-campaign/get-campaign.handler.js';
import { ListCampaignsQuery } from './list-campaigns/list-campaigns.handler.js';

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
  @CreateRoute({
    summary: 'Create a campaign (扫楼行动) over target buildings and/or enterprises',
    reply: CommandReplyDto,
    invalid: 'CAMPAIGN.INVALID_PERIOD, CAMPAIGN.NO_TARGETS, …',
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
    return createdReply(reply, `/api/v1/campaigns/${id}`, id, result);
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
