import type { CaseEvent, CaseOutcome, CaseStatus, Satisfaction } from '../case/case.js';
import { assertNever } from '../shared/decider.js';
import { caseClock, pendingAlerts, slaTableAt, type SlaPolicyChange } from '../calendar/sla.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { caseDeadlines } from '../sla/deadlines.js';

/**
 * What the leaders' metrics know of one case: its dimensions and counts, kept up to date
 * event by event, and the SLA-relevant part of its history, from which its clocks are
 * derived again whenever the calendar or the policies change.
 */
export interface CaseFacts {
  caseId: string;
  street: string;
  category: string;
  channel: string;
  priority: string;
  visitLevel: string | null;
  leadDepartment: string | null;
  coDepartments: string[];
  status: CaseStatus;
  openedAt: string;
  outcome: CaseOutcome | null;
  satisfaction: Satisfaction | null;
  /** Departments that returned the case (退单), once per return. */
  returnedBy: string[];
  /** Departments that transferred it on (转办), once per transfer. */
  transferredFrom: string[];
  reworked: number;
  supervised: number;
  lastEventAt: string;
  /** The clock's events, with only the data the clock reads. */
  history: CaseEvent[];
}

/** The case's clocks as of its last event (so the figures depend on the log alone). */
export interface CaseSla {
  firstResponseDueAt: string;
  firstRespondedAt: string | null;
  firstResponseOnTime: boolean | null;
  firstResponseMinutes: number | null;
  resolutionDueAt: string;
  resolvedAt: string | null;
  resolvedOnTime: boolean | null;
  resolutionMinutes: number | null;
  /** The interim-update deadline (null: none; see CaseClock). */
  interimUpdateDueAt: string | null;
  paused: boolean;
  withdrawn: boolean;
  /** Withdrawn or closed: no clock runs. */
  stopped: boolean;
  /** The earliest deadline still running or overdue (not met, not paused); null: none. */
  nextDueAt: string | null;
  firstResponseOverdue: boolean;
  resolutionOverdue: boolean;
  /** When the clock worker should next look at the case (a warning or a deadline); null: never. */
  nextAlertAt: string | null;
}

const CLOCK_EVENTS = new Set<CaseEvent['type']>([
  'CaseOpened',
  'CaseDispatched',
  'CaseTransferred',
  'CaseReturned',
  'CaseProgressNoted',
  'CaseFirstResponseRecorded',
  'CasePaused',
  'CaseResumed',
  'CaseExtensionApproved',
  'CaseResolved',
  'CaseReworkOrdered',
  'CaseWithdrawn',
  'CaseClosed',
  'CaseDeadlineApproaching',
  'CaseOverdue',
]);

/** The event with only what `caseClock` reads: keeps the stored history small. */
function compact(event: CaseEvent): CaseEvent {
  const { caseId, at } = event.data;
  switch (event.type) {
    case 'CaseOpened':
      return {
        type: event.type,
        data: { ...event.data, description: '', enterpriseName: '', caseId, at },
      };
    case 'CaseExtensionApproved':
      return { type: event.type, data: { caseId, at, dueAt: event.data.dueAt, comment: null } };
    case 'CaseDeadlineApproaching':
    case 'CaseOverdue':
      return { type: event.type, data: { ...event.data } } as CaseEvent;
    default:
      return { type: event.type, data: { caseId, at } } as CaseEvent;
  }
}

export function evolveFacts(facts: CaseFacts | null, event: CaseEvent): CaseFacts {
  if (event.type === 'CaseOpened') {
    const d = event.data;
    return {
      caseId: d.caseId,
      street: d.street,
      category: d.category,
      channel: d.channel,
      priority: d.priority,
      visitLevel: d.visitLevel ?? null,
      leadDepartment: null,
      coDepartments: [],
      status: 'new',
      openedAt: d.at,
      outcome: null,
      satisfaction: null,
      returnedBy: [],
      transferredFrom: [],
      reworked: 0,
      supervised: 0,
      lastEventAt: d.at,
      history: [compact(event)],
    };
  }
  if (!facts) throw new Error(`${event.type} for case ${event.data.caseId} before CaseOpened`);
  const next: CaseFacts = {
    ...facts,
    lastEventAt: event.data.at > facts.lastEventAt ? event.data.at : facts.lastEventAt,
    history: CLOCK_EVENTS.has(event.type) ? [...facts.history, compact(event)] : facts.history,
  };
  switch (event.type) {
    case 'CaseDispatched':
      return {
        ...next,
        status: 'dispatched',
        leadDepartment: event.data.leadDepartment,
        coDepartments: event.data.coDepartments,
      };
    case 'CaseAccepted':
      return { ...next, status: 'accepted' };
    case 'CaseReturned':
      return {
        ...next,
        status: 'returned',
        leadDepartment: null,
        coDepartments: [],
        returnedBy: [...facts.returnedBy, event.data.department],
      };
    case 'CaseTransferred':
      return {
        ...next,
        status: 'dispatched',
        leadDepartment: event.data.toDepartment,
        coDepartments: facts.coDepartments.filter((d) => d !== event.data.toDepartment),
        transferredFrom: [...facts.transferredFrom, event.data.fromDepartment],
      };
    case 'CasePaused':
      return { ...next, status: 'paused' };
    case 'CaseResumed':
      return { ...next, status: 'accepted' };
    case 'CaseResolved':
      return { ...next, status: 'resolved', outcome: event.data.outcome, satisfaction: null };
    case 'CaseCallbackRecorded':
      return { ...next, satisfaction: event.data.satisfaction };
    case 'CaseReworkOrdered':
      return { ...next, status: 'accepted', outcome: null, reworked: facts.reworked + 1 };
    case 'CaseClosed':
      return { ...next, status: 'closed' };
    case 'CaseWithdrawn':
      return { ...next, status: 'withdrawn' };
    case 'CaseSupervisionOrdered':
      return { ...next, supervised: facts.supervised + 1 };
    case 'CaseFirstResponseRecorded':
    case 'CaseProgressNoted':
    case 'CaseExtensionRequested':
    case 'CaseExtensionApproved':
    case 'CaseExtensionRefused':
    case 'CaseCommented':
    case 'CaseDeadlineApproaching':
    case 'CaseOverdue':
      return next;
    default:
      return assertNever(event);
  }
}

/** The case's clocks under a calendar and the policies, judged as of its last event. */
export function slaOf(
  facts: CaseFacts,
  calendar: WorkingCalendar,
  policies: readonly SlaPolicyChange[],
): CaseSla {
  const clock = caseClock(
    facts.history,
    slaTableAt(policies, new Date(facts.openedAt)),
    calendar,
    new Date(facts.lastEventAt),
  );
  const next = pendingAlerts(clock, calendar)[0];
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const deadlines = caseDeadlines(clock, calendar, new Date(facts.lastEventAt));
  const running = [deadlines.firstResponse, deadlines.interimUpdate, deadlines.resolution]
    .filter((d) => d.state === 'running' || d.state === 'overdue')
    .map((d) => d.dueAt!)
    .sort();
  return {
    firstResponseDueAt: clock.firstResponseDueAt.toISOString(),
    firstRespondedAt: iso(clock.firstRespondedAt),
    firstResponseOnTime: clock.firstRespondedAt ? clock.firstResponseOnTime : null,
    firstResponseMinutes: clock.firstResponseWorkingMinutes,
    resolutionDueAt: clock.resolutionDueAt.toISOString(),
    resolvedAt: iso(clock.resolvedAt),
    resolvedOnTime: clock.resolvedAt && !clock.withdrawn ? clock.resolvedOnTime : null,
    resolutionMinutes: clock.resolutionWorkingMinutes,
    interimUpdateDueAt: iso(clock.interimUpdateDueAt),
    paused: clock.paused,
    withdrawn: clock.withdrawn,
    stopped: clock.stopped,
    nextDueAt: running[0] ?? null,
    firstResponseOverdue: clock.firstResponseOverdue,
    resolutionOverdue: clock.resolutionOverdue && !clock.withdrawn,
    nextAlertAt: next ? next.readyAt.toISOString() : null,
  };
}

/** The counters every metric is made of; rates are ratios of them (see `ratesOf`). */
export const METRIC_COUNTERS = [
  'received',
  'responseDue',
  'responded',
  'respondedOnTime',
  'resolutionDue',
  'solved',
  'resolvedOnTime',
  'callbacks',
  'satisfied',
  'overdue',
  'escalated',
  'returned',
  'transferred',
  'reopened',
] as const;
export type MetricCounter = (typeof METRIC_COUNTERS)[number];
export type MetricCounters = Record<MetricCounter, number>;

export const METRIC_DIMENSIONS = [
  'district',
  'lead_department',
  'co_department',
  'street',
  'category',
  'channel',
  'visit_level',
] as const;
export type MetricDimension = (typeof METRIC_DIMENSIONS)[number];

/**
 * Working-minute histogram buckets for the median and p90: 5 minutes under an hour,
 * 15 minutes under a working day (420 minutes), an hour under ten working days, then a
 * working day up to 60 working days; one last bucket beyond.
 */
const BUCKET_EDGES: readonly number[] = (() => {
  const edges: number[] = [];
  for (let m = 5; m <= 60; m += 5) edges.push(m);
  for (let m = 75; m <= 420; m += 15) edges.push(m);
  for (let m = 480; m <= 4200; m += 60) edges.push(m);
  for (let m = 4620; m <= 25200; m += 420) edges.push(m);
  return edges;
})();
export const HISTOGRAM_BUCKETS = BUCKET_EDGES.length + 1;

/** The bucket of a duration: bucket i holds minutes in (edge[i-1], edge[i]]. */
export function bucketOf(minutes: number): number {
  let lo = 0;
  let hi = BUCKET_EDGES.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (minutes <= BUCKET_EDGES[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The q-quantile (0.5: median) of a histogram, as its bucket's upper edge in working
 * minutes; null for an empty histogram; Infinity beyond the last edge (60 working days).
 */
export function quantileOf(histogram: readonly number[], q: number): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]!;
    if (seen >= Math.max(rank, 1)) return BUCKET_EDGES[i] ?? Infinity;
  }
  return Infinity;
}

/** What one case adds to one (day, dimension, key) cell of the daily metrics. */
export interface Contribution {
  /** The intake day in Shenzhen (YYYY-MM-DD): a case counts in the period it arrived in. */
  day: string;
  dimension: MetricDimension;
  key: string;
  counters: MetricCounters;
  /** Histogram bucket of the working minutes to first response / to resolution, if any. */
  responseBucket: number | null;
  resolutionBucket: number | null;
}

const SHENZHEN_OFFSET = 8 * 3600_000;
const localDay = (iso: string) =>
  new Date(Date.parse(iso) + SHENZHEN_OFFSET).toISOString().slice(0, 10);

/** Every counter at 0. */
export const zeroCounters = (): MetricCounters =>
  Object.fromEntries(METRIC_COUNTERS.map((c) => [c, 0])) as MetricCounters;

/**
 * The case's contributions to the daily metrics, one per dimension key it belongs to.
 * Definitions (all counted on the intake day):
 * - received: the case;
 * - responseDue: answered, or overdue for its first answer; respondedOnTime: answered by the
 *   same-day deadline; responded: answered at all;
 * - resolutionDue: resolved, or overdue for resolution (withdrawn cases are not judged);
 *   solved: resolved as solved or partly solved; resolvedOnTime: resolved by its deadline;
 * - callbacks / satisfied: the latest callback, satisfied or basically satisfied;
 * - overdue: missed either deadline; escalated: 督办 ordered at least once; returned,
 *   transferred: per return or transfer, counted for the department that did it (for the
 *   lead-department dimension); reopened: reworks after an unsatisfied callback.
 */
export function contributionsOf(facts: CaseFacts, sla: CaseSla): Contribution[] {
  const day = localDay(facts.openedAt);
  const resolved = sla.resolvedAt !== null && !sla.withdrawn;
  const base = zeroCounters();
  base.received = 1;
  base.responded = sla.firstRespondedAt ? 1 : 0;
  base.responseDue = sla.firstRespondedAt || sla.firstResponseOverdue ? 1 : 0;
  base.respondedOnTime = sla.firstResponseOnTime === true ? 1 : 0;
  base.resolutionDue = resolved || sla.resolutionOverdue ? 1 : 0;
  base.solved =
    resolved && (facts.outcome === 'solved' || facts.outcome === 'partly_solved') ? 1 : 0;
  base.resolvedOnTime = resolved && sla.resolvedOnTime === true ? 1 : 0;
  base.callbacks = facts.satisfaction ? 1 : 0;
  base.satisfied =
    facts.satisfaction === 'satisfied' || facts.satisfaction === 'basically_satisfied' ? 1 : 0;
  base.overdue =
    sla.firstResponseOnTime === false ||
    sla.resolvedOnTime === false ||
    sla.firstResponseOverdue ||
    sla.resolutionOverdue
      ? 1
      : 0;
  base.escalated = facts.supervised > 0 ? 1 : 0;
  base.returned = facts.returnedBy.length;
  base.transferred = facts.transferredFrom.length;
  base.reopened = facts.reworked;
  const responseBucket =
    sla.firstResponseMinutes === null ? null : bucketOf(sla.firstResponseMinutes);
  const resolutionBucket =
    resolved && sla.resolutionMinutes !== null ? bucketOf(sla.resolutionMinutes) : null;
  const cell = (dimension: MetricDimension, key: string): Contribution => ({
    day,
    dimension,
    key,
    counters: { ...base },
    responseBucket,
    resolutionBucket,
  });
  const cells = [
    cell('district', 'all'),
    cell('street', facts.street),
    cell('category', facts.category),
    cell('channel', facts.channel),
    ...(facts.visitLevel ? [cell('visit_level', facts.visitLevel)] : []),
    ...facts.coDepartments.map((d) => cell('co_department', d)),
  ];
  // The lead department answers for the case; returns and transfers count against the
  // departments that made them.
  const lead = cell('lead_department', facts.leadDepartment ?? '-');
  lead.counters.returned = facts.returnedBy.filter((d) => d === facts.leadDepartment).length;
  lead.counters.transferred = facts.transferredFrom.filter(
    (d) => d === facts.leadDepartment,
  ).length;
  cells.push(lead);
  const others = new Set(
    [...facts.returnedBy, ...facts.transferredFrom].filter((d) => d !== facts.leadDepartment),
  );
  for (const department of others) {
    const only: Contribution = {
      day,
      dimension: 'lead_department',
      key: department,
      counters: zeroCounters(),
      responseBucket: null,
      resolutionBucket: null,
    };
    only.counters.returned = facts.returnedBy.filter((d) => d === department).length;
    only.counters.transferred = facts.transferredFrom.filter((d) => d === department).length;
    cells.push(only);
  }
  return cells;
}

export interface MetricRates {
  /** 当日回应率: answered by the same-day deadline, among cases whose answer is due. */
  sameDayResponseRate: number | null;
  /** 响应率: answered at all, among cases whose answer is due. */
  responseRate: number | null;
  /** 解决率: solved or partly solved, among cases whose resolution is due. */
  resolutionRate: number | null;
  /** Resolved by the deadline, among cases whose resolution is due. */
  onTimeResolutionRate: number | null;
  /** 满意率: satisfied or basically satisfied, among callbacks. */
  satisfactionRate: number | null;
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

export function ratesOf(c: MetricCounters): MetricRates {
  return {
    sameDayResponseRate: ratio(c.respondedOnTime, c.responseDue),
    responseRate: ratio(c.responded, c.responseDue),
    resolutionRate: ratio(c.solved, c.resolutionDue),
    onTimeResolutionRate: ratio(c.resolvedOnTime, c.resolutionDue),
    satisfactionRate: ratio(c.satisfied, c.callbacks),
  };
}

export interface ScoreWeights {
  response: number;
  resolution: number;
  satisfaction: number;
}
export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = {
  response: 30,
  resolution: 35,
  satisfaction: 35,
};

/**
 * The weighted score (0–100) of the three rates: 响应率, 解决率, 满意率. A rate with no
 * cases behind it is left out and the other weights scaled up; no rates → null.
 */
export function scoreOf(rates: MetricRates, weights: ScoreWeights = DEFAULT_SCORE_WEIGHTS) {
  const parts = [
    [rates.responseRate, weights.response],
    [rates.resolutionRate, weights.resolution],
    [rates.satisfactionRate, weights.satisfaction],
  ].filter((p): p is [number, number] => p[0] !== null);
  const weight = parts.reduce((s, [, w]) => s + w, 0);
  if (weight === 0) return null;
  return (parts.reduce((s, [r, w]) => s + r * w, 0) / weight) * 100;
}
