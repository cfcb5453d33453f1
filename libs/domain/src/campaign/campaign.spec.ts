import {
  campaignDecider,
  CampaignErrors,
  type CampaignCreated,
  type CreateCampaign,
} from './campaign.js';
import { specificationFor } from '../testing/specification.js';
import { aCreditCode, at, T0 } from '../testing/builders.js';

const spec = specificationFor(campaignDecider);
const create = (data: Partial<CreateCampaign['data']> = {}): CreateCampaign => ({
  type: 'CreateCampaign',
  data: {
    campaignId: 'k-1',
    name: '坂田街道秋季扫楼',
    startsOn: '2026-10-01',
    endsOn: '2026-11-30',
    buildings: ['天安云谷1栋', '天安云谷1栋'],
    enterpriseIds: [aCreditCode(1).toLowerCase()],
    ...data,
  },
  now: T0,
});
const created: CampaignCreated = {
  type: 'CampaignCreated',
  data: {
    campaignId: 'k-1',
    name: '坂田街道秋季扫楼',
    startsOn: '2026-10-01',
    endsOn: '2026-11-30',
    buildings: ['天安云谷1栋'],
    enterpriseIds: [aCreditCode(1)],
    at: T0.toISOString(),
  },
};

describe('campaign', () => {
  it('creates a campaign over buildings and enterprises, without repeats', () =>
    spec.given([]).when(create()).then([created]));
  it('refuses a second creation', () =>
    spec.given([created]).when(create()).thenThrows(CampaignErrors.alreadyExists));
  it('refuses a period that ends before it starts, or is not made of dates', () => {
    spec
      .given([])
      .when(create({ endsOn: '2026-09-30' }))
      .thenThrows(CampaignErrors.invalidPeriod);
    spec
      .given([])
      .when(create({ startsOn: '2026-02-30' }))
      .thenThrows(CampaignErrors.invalidPeriod);
  });
  it('refuses a campaign with no target and an invalid credit code', () => {
    spec
      .given([])
      .when(create({ buildings: [], enterpriseIds: [] }))
      .thenThrows(CampaignErrors.noTargets);
    spec
      .given([])
      .when(create({ enterpriseIds: ['91440300708461136U'] }))
      .thenThrows(CampaignErrors.invalidTarget);
  });
  it('closes once', () => {
    spec
      .given([created])
      .when({ type: 'CloseCampaign', data: {}, now: at(1) })
      .then([{ type: 'CampaignClosed', data: { campaignId: 'k-1', at: at(1).toISOString() } }]);
    spec
      .given([created, { type: 'CampaignClosed', data: { campaignId: 'k-1', at: '' } }])
      .when({ type: 'CloseCampaign', data: {}, now: at(2) })
      .thenThrows(CampaignErrors.alreadyClosed);
    spec
      .given([])
      .when({ type: 'CloseCampaign', data: {}, now: at(2) })
      .thenThrows(CampaignErrors.notFound);
  });
});
