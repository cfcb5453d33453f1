/** What a case is promised, per category and priority (admin-configurable). */
export interface SlaPolicy {
  /** First response: `same_day` — by close of business on the intake day (next working day if after hours). */
  firstResponse: 'same_day';
  /** Interim updates while open, in working hours. */
  interimUpdateWorkingHours: number;
  /** Resolution target in working days after the intake day. */
  resolutionWorkingDays: number;
  /** A pre-breach warning this many working hours before each deadline (0: none). */
  warningWorkingHours: number;
  /** An overdue resolution orders 督办 automatically. */
  autoSuperviseOnOverdue: boolean;
}

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  firstResponse: 'same_day',
  interimUpdateWorkingHours: 16,
  resolutionWorkingDays: 10,
  warningWorkingHours: 2,
  autoSuperviseOnOverdue: false,
};

/** The fields an admin may set. */
export type SlaPolicySettings = Partial<Omit<SlaPolicy, 'firstResponse'>>;

export interface SlaPolicyTable {
  default: SlaPolicy;
  /** Keys `category/priority`, `category/*`, `*` + `/priority` or `*` + `/*`; the most specific wins. */
  overrides: Readonly<Record<string, SlaPolicySettings>>;
}

export function policyFor(table: SlaPolicyTable, category: string, priority: string): SlaPolicy {
  return {
    ...table.default,
    ...table.overrides['*/*'],
    ...table.overrides[`*/${priority}`],
    ...table.overrides[`${category}/*`],
    ...table.overrides[`${category}/${priority}`],
  };
}

/** One admin change of policy, effective for cases opened at or after `effectiveFrom`. */
export interface SlaPolicyChange {
  key: string;
  policy: SlaPolicySettings;
  /** ISO instant. */
  effectiveFrom: string;
}

/**
 * The policy table in force at an instant (a case's intake): per key, the change with the
 * latest `effectiveFrom` not after it; of two with the same date, the later one. A case
 * keeps the promise made when it arrived, whatever is changed later.
 */
export function slaTableAt(changes: readonly SlaPolicyChange[], instant: Date): SlaPolicyTable {
  const chosen = new Map<string, { from: number; policy: SlaPolicySettings }>();
  for (const change of changes) {
    const from = Date.parse(change.effectiveFrom);
    if (from > instant.getTime()) continue;
    const current = chosen.get(change.key);
    if (!current || from >= current.from) chosen.set(change.key, { from, policy: change.policy });
  }
  return {
    default: DEFAULT_SLA_POLICY,
    overrides: Object.fromEntries([...chosen].map(([key, { policy }]) => [key, policy])),
  };
}
