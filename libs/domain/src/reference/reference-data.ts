import { assertNever, type Command, type Decider, type Event } from '../shared/decider.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { requireText } from '../shared/text.js';

/**
 * The district's reference data — streets, departments, case categories — kept as events in
 * one stream, changed by admin commands. Codes are stable identifiers; names may be Chinese.
 */
export const REFERENCE_STREAM_ID = 'reference-district';
export const REFERENCE_KINDS = ['street', 'department', 'category'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

export type DefineReference = Command<
  'DefineReference',
  { kind: ReferenceKind; code: string; name: string }
>;
export type RetireReference = Command<'RetireReference', { kind: ReferenceKind; code: string }>;
export type RenameReference = Command<
  'RenameReference',
  { kind: ReferenceKind; code: string; name: string }
>;
export type ReferenceCommand = DefineReference | RetireReference | RenameReference;

export type ReferenceDefined = Event<
  'ReferenceDefined',
  { kind: ReferenceKind; code: string; name: string; at: string }
>;
export type ReferenceRetired = Event<
  'ReferenceRetired',
  { kind: ReferenceKind; code: string; at: string }
>;
/** A name corrected or changed; the code, and every record that holds it, stay as they are. */
export type ReferenceRenamed = Event<
  'ReferenceRenamed',
  { kind: ReferenceKind; code: string; name: string; from: string; at: string }
>;
export type ReferenceEvent = ReferenceDefined | ReferenceRetired | ReferenceRenamed;
const EVENT_TYPES = {
  ReferenceDefined: true,
  ReferenceRetired: true,
  ReferenceRenamed: true,
} as const satisfies Record<ReferenceEvent['type'], true>;
/** Every reference event type (the compiler checks the list against the union). */
export const REFERENCE_EVENT_TYPES = Object.keys(EVENT_TYPES) as readonly ReferenceEvent['type'][];

export interface ReferenceEntry {
  code: string;
  name: string;
  active: boolean;
}
export type ReferenceState = Readonly<Record<ReferenceKind, ReadonlyMap<string, ReferenceEntry>>>;

export const ReferenceErrors = {
  invalidCode: 'REFERENCE.INVALID_CODE',
  invalidName: 'REFERENCE.INVALID_NAME',
  alreadyDefined: 'REFERENCE.ALREADY_DEFINED',
  notFound: 'REFERENCE.NOT_FOUND',
  alreadyRetired: 'REFERENCE.ALREADY_RETIRED',
  sameName: 'REFERENCE.SAME_NAME',
} as const;

const CODE = /^[a-z][a-z0-9_]{1,39}$/;

export const referenceDecider: Decider<ReferenceState, ReferenceCommand, ReferenceEvent> = {
  initialState: () => ({ street: new Map(), department: new Map(), category: new Map() }),

  decide(command, state) {
    const at = command.now.toISOString();
    const { kind, code } = command.data;
    const existing = state[kind].get(code);
    switch (command.type) {
      case 'DefineReference': {
        if (!CODE.test(code)) {
          throw invalid(
            ReferenceErrors.invalidCode,
            'code must be 2–40 lower-case letters, digits or _, starting with a letter',
            'code',
          );
        }
        if (existing) {
          throw conflict(
            ReferenceErrors.alreadyDefined,
            `The ${kind} ${code} is already defined as ${existing.name}`,
            {
              code,
              name: existing.name,
              active: existing.active,
            },
          );
        }
        const name = requireText(command.data.name, 'name', ReferenceErrors.invalidName, {
          max: 100,
        });
        return [{ type: 'ReferenceDefined', data: { kind, code, name, at } }];
      }
      case 'RetireReference': {
        if (!existing) throw notFound(ReferenceErrors.notFound, `No ${kind} has the code ${code}`);
        if (!existing.active)
          throw conflict(ReferenceErrors.alreadyRetired, `The ${kind} ${code} is already retired`);
        return [{ type: 'ReferenceRetired', data: { kind, code, at } }];
      }
      case 'RenameReference': {
        if (!existing) throw notFound(ReferenceErrors.notFound, `No ${kind} has the code ${code}`);
        const name = requireText(command.data.name, 'name', ReferenceErrors.invalidName, {
          max: 100,
        });
        if (name === existing.name)
          throw conflict(
            ReferenceErrors.sameName,
            `The ${kind} ${code} is already named ${existing.name}`,
          );
        return [{ type: 'ReferenceRenamed', data: { kind, code, name, from: existing.name, at } }];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    const next = new Map(state[event.data.kind]);
    switch (event.type) {
      case 'ReferenceDefined':
        next.set(event.data.code, { code: event.data.code, name: event.data.name, active: true });
        break;
      case 'ReferenceRetired': {
        const entry = next.get(event.data.code);
        if (entry) next.set(event.data.code, { ...entry, active: false });
        break;
      }
      case 'ReferenceRenamed': {
        const entry = next.get(event.data.code);
        if (entry) next.set(event.data.code, { ...entry, name: event.data.name });
        break;
      }
      default:
        return assertNever(event);
    }
    return { ...state, [event.data.kind]: next };
  },
};

/** The active codes of each kind: what other commands are checked against. */
export interface Catalogue {
  streets: ReadonlySet<string>;
  departments: ReadonlySet<string>;
  categories: ReadonlySet<string>;
}

export function catalogueOf(state: ReferenceState): Catalogue {
  const active = (kind: ReferenceKind) =>
    new Set([...state[kind].values()].filter((e) => e.active).map((e) => e.code));
  return {
    streets: active('street'),
    departments: active('department'),
    categories: active('category'),
  };
}

/** Refuses a code the catalogue does not hold (or holds retired), naming the field and the choices. */
export function requireKnown(
  set: ReadonlySet<string>,
  value: string,
  field: string,
  code: string,
): string {
  if (!set.has(value)) {
    const choices = [...set].sort().join(', ') || 'none configured';
    throw invalid(code, `${field} must be one of: ${choices}`, field);
  }
  return value;
}

/**
 * Longgang District's reference data, defined through the commands on first start so a new
 * installation is usable at once; admins change it afterwards.
 */
export const LONGGANG_DEFAULTS: Readonly<
  Record<ReferenceKind, readonly (readonly [string, string])[]>
> = {
  street: [
    ['pinghu', '平湖'],
    ['bantian', '坂田'],
    ['buji', '布吉'],
    ['nanwan', '南湾'],
    ['jihua', '吉华'],
    ['yuanshan', '园山'],
    ['henggang', '横岗'],
    ['longcheng', '龙城'],
    ['longgang', '龙岗'],
    ['baolong', '宝龙'],
    ['pingdi', '坪地'],
  ],
  department: [
    ['industry_it', '工业和信息化局'],
    ['development_reform', '发展和改革局'],
    ['investment_service', '投资推广和企业服务中心'],
    ['power_supply', '供电局'],
    ['tax', '税务局'],
    ['customs', '海关'],
    ['urban_renewal', '城市更新和土地整备局'],
    ['housing', '住房和建设局'],
    ['human_resources', '人力资源局'],
    ['finance', '财政局'],
  ],
  category: [
    ['power_supply', '供电/有序用电'],
    ['logistics', '物流运输'],
    ['talent_housing', '人才住房'],
    ['financing', '贷款融资'],
    ['subsidies', '补贴申报'],
    ['tax', '税收优惠'],
    ['recruitment', '高端人才招聘'],
    ['industrial_space', '产业空间'],
    ['planning', '调规'],
    ['approvals', '审批'],
    ['foreign_trade', '外贸/海关'],
    ['policy', '惠企政策解读'],
  ],
};
