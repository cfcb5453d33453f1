import { assertNever, CAMPAIGN_EVENT_TYPES, type CampaignEvent } from '#domain';
import { CampaignView } from '../entities/campaign-view.entity.js';
import { rowProjection } from '../projection.js';

export const campaignViewProjection = rowProjection<CampaignView>({
  name: 'campaign_view',
  entity: CampaignView,
  table: 'campaign_view',
  handles: CAMPAIGN_EVENT_TYPES,
  keyOf: (event) => (event.data as CampaignEvent['data']).campaignId,
  evolve(row, recorded) {
    const event = recorded as unknown as CampaignEvent;
    switch (event.type) {
      case 'CampaignCreated': {
        const { campaignId, at, ...rest } = event.data;
        return {
          id: campaignId,
          ...rest,
          status: 'active',
          createdAt: new Date(at),
          version: recorded.streamPosition,
        };
      }
      case 'CampaignClosed':
        return row && { ...row, status: 'closed', version: recorded.streamPosition };
      default:
        return assertNever(event);
    }
  },
});
