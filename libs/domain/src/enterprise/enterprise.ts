import { assertNever, type Command, type Decider, type Event } from '../shared/decider.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { requireText } from '../shared/text.js';
import { requireKnown, type Catalogue } from '../reference/reference-data.js';
import { CREDIT_CODE_RULES, creditCodeProblem, normaliseCreditCode } from './credit-code.js';

export const ENTERPRISE_STREAM_TYPE = 'enterprise';
/** An enterprise's identity is its credit code: one stream per legal entity, so a second
 * registration of the same code is a stream conflict, not a race between two look-ups. */
export const enterpriseStreamId = (creditCode: string) => `enterprise-${creditCode}`;

/** 规上 (above designated size), 专精特新, 高新技术, 上市. */
export const ENTERPRISE_TAGS = [
  'above_designated_size',
  'specialised_new',
  'high_tech',
  'listed',
] as const;
export type EnterpriseTag = (typeof ENTERPRISE_TAGS)[number];

export interface EnterpriseProfile {
  name: string;
  street: string;
  building: string | null;
  industryCluster: string | null;
  tags: EnterpriseTag[];
  contactPerson: string | null;
  contactPhone: string | null;
}

export type RegisterEnterprise = Command<
  'RegisterEnterprise',
  { creditCode: string; catalogue: Catalogue } & Pick<EnterpriseProfile, 'name' | 'street'> &
    Partial<Omit<EnterpriseProfile, 'name' | 'street'>>
>;
export type UpdateEnterpriseProfile = Command<
  'UpdateEnterpriseProfile',
  { changes: Partial<EnterpriseProfile>; catalogue: Catalogue }
>;
export type ArchiveEnterprise = Command<'ArchiveEnterprise', { reason: string }>;
export type EnterpriseCommand = RegisterEnterprise | UpdateEnterpriseProfile | ArchiveEnterprise;

export type EnterpriseRegistered = Event<
  'EnterpriseRegistered',
  EnterpriseProfile & { enterpriseId: string; creditCode: string; registeredAt: string }
>;
export type EnterpriseProfileUpdated = Event<
  'EnterpriseProfileUpdated',
  { enterpriseId: string; changes: Partial<EnterpriseProfile>; at: string }
>;
export type EnterpriseArchived = Event<
  'EnterpriseArchived',
  { enterpriseId: string; reason: string; at: string }
>;
export type EnterpriseEvent = EnterpriseRegistered | EnterpriseProfileUpdated | EnterpriseArchived;
export const ENTERPRISE_EVENT_TYPES: readonly EnterpriseEvent['type'][] = [
  'EnterpriseRegistered',
  'EnterpriseProfileUpdated',
  'EnterpriseArchived',
];

export type EnterpriseState =
  | { status: 'unregistered' }
  | ({ status: 'registered' | 'archived'; enterpriseId: string } & EnterpriseProfile);

export const EnterpriseErrors = {
  alreadyRegistered: 'ENTERPRISE.ALREADY_REGISTERED',
  invalidCreditCode: 'ENTERPRISE.INVALID_CREDIT_CODE',
  invalidText: 'ENTERPRISE.INVALID_TEXT',
  invalidPhone: 'ENTERPRISE.INVALID_PHONE',
  unknownStreet: 'ENTERPRISE.UNKNOWN_STREET',
  notFound: 'ENTERPRISE.NOT_FOUND',
  archived: 'ENTERPRISE.ARCHIVED',
  noChange: 'ENTERPRISE.NO_CHANGE',
} as const;

/** Mainland mobile (1xxxxxxxxxx) or landline with area code (0755-12345678). */
const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

const optionalText = (value: string | null | undefined, field: string, max: number) =>
  value === undefined || value === null
    ? null
    : requireText(value, field, EnterpriseErrors.invalidText, { max });

/** Validates and normalises whichever profile fields are present. */
function checkProfile(
  p: Partial<EnterpriseProfile>,
  catalogue: Catalogue,
): Partial<EnterpriseProfile> {
  const out: Partial<EnterpriseProfile> = {};
  if (p.name !== undefined)
    out.name = requireText(p.name, 'name', EnterpriseErrors.invalidText, { max: 200 });
  if (p.street !== undefined)
    out.street = requireKnown(
      catalogue.streets,
      p.street,
      'street',
      EnterpriseErrors.unknownStreet,
    );
  if (p.building !== undefined) out.building = optionalText(p.building, 'building', 100);
  if (p.industryCluster !== undefined)
    out.industryCluster = optionalText(p.industryCluster, 'industryCluster', 100);
  if (p.tags !== undefined) out.tags = [...new Set(p.tags)].sort();
  if (p.contactPerson !== undefined)
    out.contactPerson = optionalText(p.contactPerson, 'contactPerson', 50);
  if (p.contactPhone !== undefined) {
    const phone = p.contactPhone === null ? null : p.contactPhone.replace(/[\s]/g, '');
    if (phone !== null && !PHONE.test(phone)) {
      throw invalid(
        EnterpriseErrors.invalidPhone,
        'contactPhone must be a mobile number or a landline with area code',
        'contactPhone',
      );
    }
    out.contactPhone = phone;
  }
  return out;
}

function registered(state: EnterpriseState): Exclude<EnterpriseState, { status: 'unregistered' }> {
  if (state.status === 'unregistered')
    throw notFound(EnterpriseErrors.notFound, 'The enterprise is not registered');
  if (state.status === 'archived')
    throw conflict(EnterpriseErrors.archived, `${state.name} is archived`, { status: 'archived' });
  return state;
}

export const enterpriseDecider: Decider<EnterpriseState, EnterpriseCommand, EnterpriseEvent> = {
  initialState: () => ({ status: 'unregistered' }),

  decide(command, state) {
    const at = command.now.toISOString();
    switch (command.type) {
      case 'RegisterEnterprise': {
        const { catalogue, creditCode: raw, ...profile } = command.data;
        const creditCode = normaliseCreditCode(raw);
        const problem = creditCodeProblem(creditCode);
        if (problem)
          throw invalid(
            EnterpriseErrors.invalidCreditCode,
            `creditCode ${CREDIT_CODE_RULES[problem]}`,
            'creditCode',
          );
        if (state.status !== 'unregistered') {
          throw conflict(
            EnterpriseErrors.alreadyRegistered,
            `An enterprise with credit code ${creditCode} is already registered: ${state.name}`,
            { enterpriseId: state.enterpriseId, name: state.name },
          );
        }
        const checked = checkProfile(
          {
            building: null,
            industryCluster: null,
            tags: [],
            contactPerson: null,
            contactPhone: null,
            ...profile,
          },
          catalogue,
        ) as EnterpriseProfile;
        return [
          {
            type: 'EnterpriseRegistered',
            data: { enterpriseId: creditCode, creditCode, ...checked, registeredAt: at },
          },
        ];
      }
      case 'UpdateEnterpriseProfile': {
        const current = registered(state);
        const checked = checkProfile(command.data.changes, command.data.catalogue);
        const changes = Object.fromEntries(
          Object.entries(checked).filter(
            ([key, value]) =>
              JSON.stringify(current[key as keyof EnterpriseProfile]) !== JSON.stringify(value),
          ),
        ) as Partial<EnterpriseProfile>;
        if (Object.keys(changes).length === 0)
          throw invalid(EnterpriseErrors.noChange, 'The request changes nothing', 'changes');
        return [
          {
            type: 'EnterpriseProfileUpdated',
            data: { enterpriseId: current.enterpriseId, changes, at },
          },
        ];
      }
      case 'ArchiveEnterprise': {
        const current = registered(state);
        const reason = requireText(command.data.reason, 'reason', EnterpriseErrors.invalidText, {
          max: 500,
        });
        return [
          { type: 'EnterpriseArchived', data: { enterpriseId: current.enterpriseId, reason, at } },
        ];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'EnterpriseRegistered': {
        const { creditCode: _code, registeredAt: _at, ...rest } = event.data;
        return { status: 'registered', ...rest };
      }
      case 'EnterpriseProfileUpdated':
        return state.status === 'unregistered' ? state : { ...state, ...event.data.changes };
      case 'EnterpriseArchived':
        return state.status === 'unregistered' ? state : { ...state, status: 'archived' };
      default:
        return assertNever(event);
    }
  },
};
