import { assertNever, type Command, type Decider, type Event } from '../shared/decider.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { requireText } from '../shared/text.js';
import { isCalendarDate } from '../shared/dates.js';
import { creditCodeProblem, normaliseCreditCode } from '../enterprise/credit-code.js';

export const campaignStreamId = (campaignId: string) => `campaign-${campaignId}`;

/**
 * A sweep (扫楼行动) over target buildings and/or enterprises in a period. Its coverage —
 * target enterprises visited in the period over all targets — is computed from the visits.
 */
export type CreateCampaign = Command<
  'CreateCampaign',
  {
    campaignId: string;
    name: string;
    startsOn: string;
    endsOn: string;
    buildings: string[];
    enterpriseIds: string[];
  }
>;
export type CloseCampaign = Command<'CloseCampaign', Record<string, never>>;
export type CampaignCommand = CreateCampaign | CloseCampaign;

export type CampaignCreated = Event<
  'CampaignCreated',
  {
    campaignId: string;
    name: string;
    startsOn: string;
    endsOn: string;
    buildings: string[];
    enterpriseIds: string[];
    at: string;
  }
>;
export type CampaignClosed = Event<'CampaignClosed', { campaignId: string; at: string }>;
export type CampaignEvent = CampaignCreated | CampaignClosed;
export const CAMPAIGN_EVENT_TYPES: readonly CampaignEvent['type'][] = [
  'CampaignCreated',
  'CampaignClosed',
];

export type CampaignState =
  { status: 'none' } | { status: 'active' | 'closed'; campaignId: string; name: string };

export const CampaignErrors = {
  alreadyExists: 'CAMPAIGN.ALREADY_EXISTS',
  notFound: 'CAMPAIGN.NOT_FOUND',
  alreadyClosed: 'CAMPAIGN.ALREADY_CLOSED',
  invalidPeriod: 'CAMPAIGN.INVALID_PERIOD',
  noTargets: 'CAMPAIGN.NO_TARGETS',
  invalidTarget: 'CAMPAIGN.INVALID_TARGET',
  invalidText: 'CAMPAIGN.INVALID_TEXT',
} as const;

export const campaignDecider: Decider<CampaignState, CampaignCommand, CampaignEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    const at = command.now.toISOString();
    switch (command.type) {
      case 'CreateCampaign': {
        const d = command.data;
        if (state.status !== 'none')
          throw conflict(CampaignErrors.alreadyExists, `Campaign ${d.campaignId} already exists`);
        if (!isCalendarDate(d.startsOn))
          throw invalid(
            CampaignErrors.invalidPeriod,
            'startsOn must be a date, YYYY-MM-DD',
            'startsOn',
          );
        if (!isCalendarDate(d.endsOn) || d.endsOn < d.startsOn) {
          throw invalid(
            CampaignErrors.invalidPeriod,
            'endsOn must be a date (YYYY-MM-DD) on or after startsOn',
            'endsOn',
          );
        }
        const buildings = [
          ...new Set(
            d.buildings.map((b, i) =>
              requireText(b, `buildings[${i}]`, CampaignErrors.invalidText, { max: 100 }),
            ),
          ),
        ];
        const enterpriseIds = [...new Set(d.enterpriseIds.map(normaliseCreditCode))];
        enterpriseIds.forEach((id, i) => {
          if (creditCodeProblem(id))
            throw invalid(
              CampaignErrors.invalidTarget,
              `enterpriseIds[${i}] is not a valid credit code`,
              `enterpriseIds[${i}]`,
            );
        });
        if (buildings.length + enterpriseIds.length === 0) {
          throw invalid(
            CampaignErrors.noTargets,
            'A campaign needs at least one target building or enterprise',
            'buildings',
          );
        }
        const name = requireText(d.name, 'name', CampaignErrors.invalidText, { max: 200 });
        return [
          {
            type: 'CampaignCreated',
            data: {
              campaignId: d.campaignId,
              name,
              startsOn: d.startsOn,
              endsOn: d.endsOn,
              buildings,
              enterpriseIds,
              at,
            },
          },
        ];
      }
      case 'CloseCampaign': {
        if (state.status === 'none')
          throw notFound(CampaignErrors.notFound, 'The campaign does not exist');
        if (state.status === 'closed')
          throw conflict(CampaignErrors.alreadyClosed, `${state.name} is already closed`, {
            status: 'closed',
          });
        return [{ type: 'CampaignClosed', data: { campaignId: state.campaignId, at } }];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'CampaignCreated':
        return { status: 'active', campaignId: event.data.campaignId, name: event.data.name };
      case 'CampaignClosed':
        return state.status === 'none' ? state : { ...state, status: 'closed' };
      default:
        return assertNever(event);
    }
  },
};
