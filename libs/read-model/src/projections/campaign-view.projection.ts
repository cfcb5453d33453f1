import { assertNever, CAMPAIGN_EVENT_TYPES, type CampaignEvent } from '#domain';
import { CampaignView } from '../entities/campaign-view.entity.js';
import { rowProjection } from '../projection.js';

export const campaignViewProjection = rowProjection<CampaignView, CampaignEvent>({
  name: 'campaign_view',
  entity: CampaignView,
  table: 'campaign_view',
  handles: CAMPAIGN_EVENT_TYPES,
  keyOf: (event) => event.data.campaignId,
  evolve(row, event) {
    switch (event.type) {
      case 'CampaignCreated': {
        const { campaignId, at, ...rest } = event.data;
        return {
          id: campaignId,
          ...rest,
          status: 'active',
          createdAt: new Date(at),
          version: event.streamPosition,
        };
      }
      case 'CampaignClosed':
        return row && { ...row, status: 'closed', version: event.streamPosition };
      default:
        return assertNever(event);
    }
  },
});
