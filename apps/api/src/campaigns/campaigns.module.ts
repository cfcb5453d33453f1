import { Module } from '@nestjs/common';
import { CampaignCommandHandler } from './campaign-command.handler.js';
import { CampaignsController } from './campaigns.controller.js';
import { GetCampaignHandler } from './get-campaign/get-campaign.handler.js';
import { ListCampaignsHandler } from './list-campaigns/list-campaigns.handler.js';

/**
 * Campaigns (扫楼行动): create-campaign (its DTO; create and close share the campaign
 * command handler), get-campaign (coverage), list-campaigns, and one controller.
 */
@Module({
  controllers: [CampaignsController],
  providers: [CampaignCommandHandler, GetCampaignHandler, ListCampaignsHandler],
})
export class CampaignsModule {}
