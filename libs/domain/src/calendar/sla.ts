import type { CaseEvent } from '../case/case.js';
import type { WorkingCalendar } from './working-calendar.js';

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

export type SlaClockName = 'first_response' | 'interim_update' | 'resolution';
export type SlaAlertStage = 'warning' | 'overdue';

/** A deadline alert the clock worker raises, once per case, clock, stage and deadline. */
export interface SlaAlert {
  clock: SlaClockName;
  stage: SlaAlertStage;
  /** The deadline it is about (ISO). */
  dueAt: string;
  /** When it becomes due to be raised: the warning time, or just after the deadline. */
  readyAt: Date;
}

export const alertKey = (a: Pick<SlaAlert, 'clock' | 'stage' | 'dueAt'>) =>
  `${a.clock}:${a.stage}:${a.dueAt}`;

export interface CaseClock {
  policy: SlaPolicy;
  openedAt: Date;
  firstResponseDueAt: Date;
  /** The first answer: a recorded first response, or the resolution if it came first. */
  firstRespondedAt: Date | null;
  /** null while the first response is still awaited and not yet due. */
  firstResponseOnTime: boolean | null;
  /** Working minutes from intake to the first answer. */
  firstResponseWorkingMinutes: number | null;
  /** The resolution deadline, moved by pauses (their working time) and approved extensions. */
  resolutionDueAt: Date;
  resolvedAt: Date | null;
  resolvedOnTime: boolean | null;
  /** Working minutes from intake to the (latest) resolution, less the time paused. */
  resolutionWorkingMinutes: number | null;
  /**
   * The interim-update deadline (进展更新): `interimUpdateWorkingHours` after the latest
   * update — the first response, a progress note, a rework order, or the case reaching a
   * department again (dispatch, transfer) once it has been answered — plus the working time
   * paused since. null before the first response and while no department holds the case
   * (returned). After a resolution it is the deadline that was in force then.
   */
  interimUpdateDueAt: Date | null;
  /** Working minutes the case spent paused, waiting for the enterprise. */
  pausedWorkingMinutes: number;
  paused: boolean;
  /** Withdrawn or closed: no clock runs. */
  stopped: boolean;
  withdrawn: boolean;
  /** Alerts already raised (`alertKey`). */
  raised: ReadonlySet<string>;
  /** An overdue alert was raised for the current deadline. */
  firstResponseOverdue: boolean;
  resolutionOverdue: boolean;
}

/**
 * The SLA clocks of one case, derived from its events alone: change the policy or the
 * calendar and replaying the events gives the new deadlines.
 *
 * - First response: the same-day promise from the intake instant; pauses do not stop it.
 *   A resolution before any recorded first response counts as the first answer.
 * - Resolution: N working days after the intake day; the working time spent paused is
 *   added; an approved extension sets a new deadline (later pauses still add to it).
 * - A resolution is the latest `CaseResolved` (after rework the clock runs on).
 * - Withdrawal stops the clocks: a withdrawn case is not judged on resolution, and its first
 *   response only if that was already late when it was withdrawn.
 */
export function caseClock(
  events: readonly CaseEvent[],
  policyTable: SlaPolicyTable,
  calendar: WorkingCalendar,
  now: Date,
): CaseClock {
  const opened = events[0];
  if (!opened || opened.type !== 'CaseOpened')
    throw new Error('a case history starts with CaseOpened');
  const policy = policyFor(policyTable, opened.data.category, opened.data.priority);
  const openedAt = new Date(opened.data.at);
  const firstResponseDueAt = calendar.sameDayDeadline(openedAt);
  let base = calendar.addWorkingDays(openedAt, policy.resolutionWorkingDays);
  let pausedWorkingMinutes = 0;
  let pausedSince: Date | null = null;
  let pausedAfterBase = 0;
  let pausedAtResolution = 0;
  let firstRespondedAt: Date | null = null;
  let resolvedAt: Date | null = null;
  let withdrawnAt: Date | null = null;
  let closed = false;
  const raised = new Set<string>();
  // The interim clock: its anchor (the latest update) and the time paused since it.
  let updatedAt: Date | null = null;
  let pausedSinceUpdate = 0;
  const interimFrom = () =>
    pausedSince && updatedAt && updatedAt.getTime() > pausedSince.getTime()
      ? updatedAt
      : pausedSince;
  const update = (at: Date) => {
    updatedAt = at;
    pausedSinceUpdate = 0;
  };
  const endPause = (at: Date) => {
    if (!pausedSince) return;
    const minutes = calendar.workingMinutesBetween(pausedSince, at);
    pausedSinceUpdate += calendar.workingMinutesBetween(interimFrom()!, at);
    pausedWorkingMinutes += minutes;
    pausedAfterBase += minutes;
    pausedSince = null;
  };

  for (const event of events.slice(1)) {
    const at = new Date(event.data.at);
    switch (event.type) {
      case 'CaseFirstResponseRecorded':
        firstRespondedAt ??= at;
        update(at);
        break;
      case 'CaseProgressNoted':
      case 'CaseReworkOrdered':
        if (event.type === 'CaseReworkOrdered') resolvedAt = null;
        if (firstRespondedAt) update(at);
        break;
      case 'CaseDispatched':
      case 'CaseTransferred':
        // A department (again) holds an answered case: its updates are due from now.
        if (firstRespondedAt && !resolvedAt) update(at);
        break;
      case 'CaseReturned':
        updatedAt = null;
        break;
      case 'CasePaused':
        pausedSince = at;
        break;
      case 'CaseResumed':
        endPause(at);
        break;
      case 'CaseExtensionApproved':
        // The new date already allows for what came before it, a running pause included.
        base = new Date(event.data.dueAt);
        pausedAfterBase = 0;
        if (pausedSince) {
          pausedWorkingMinutes += calendar.workingMinutesBetween(pausedSince, at);
          pausedSince = at;
        }
        break;
      case 'CaseResolved':
        resolvedAt = at;
        firstRespondedAt ??= at;
        pausedAtResolution = pausedWorkingMinutes;
        break;
      case 'CaseWithdrawn':
        endPause(at);
        withdrawnAt = at;
        break;
      case 'CaseClosed':
        endPause(at);
        closed = true;
        break;
      case 'CaseDeadlineApproaching':
      case 'CaseOverdue':
        raised.add(
          alertKey({
            clock: event.data.clock,
            stage: event.type === 'CaseOverdue' ? 'overdue' : 'warning',
            dueAt: event.data.dueAt,
          }),
        );
        break;
      default:
        break;
    }
  }
  // A pause still running counts up to now.
  const running = pausedSince ? calendar.workingMinutesBetween(pausedSince, now) : 0;
  const resolutionDueAt = calendar.addWorkingMinutes(base, pausedAfterBase + running);
  const interimRunning = pausedSince ? calendar.workingMinutesBetween(interimFrom()!, now) : 0;
  const interimAnchor = updatedAt as Date | null;
  const interimUpdateDueAt = interimAnchor
    ? calendar.addWorkingMinutes(
        interimAnchor,
        policy.interimUpdateWorkingHours * 60 + pausedSinceUpdate + interimRunning,
      )
    : null;
  // Judged as of now, or as of the withdrawal: a promise broken before it stays broken.
  const asOf = withdrawnAt && withdrawnAt.getTime() < now.getTime() ? withdrawnAt : now;
  const judge = (done: Date | null, due: Date) =>
    done ? done.getTime() <= due.getTime() : asOf.getTime() > due.getTime() ? false : null;
  const overdueRaised = (clock: SlaClockName, due: Date) =>
    raised.has(alertKey({ clock, stage: 'overdue', dueAt: due.toISOString() }));
  return {
    policy,
    openedAt,
    firstResponseDueAt,
    firstRespondedAt,
    firstResponseOnTime: judge(firstRespondedAt, firstResponseDueAt),
    firstResponseWorkingMinutes: firstRespondedAt
      ? calendar.workingMinutesBetween(openedAt, firstRespondedAt)
      : null,
    resolutionDueAt,
    resolvedAt,
    // A withdrawn case is not judged on resolution.
    resolvedOnTime: withdrawnAt ? null : judge(resolvedAt, resolutionDueAt),
    resolutionWorkingMinutes: resolvedAt
      ? Math.max(0, calendar.workingMinutesBetween(openedAt, resolvedAt) - pausedAtResolution)
      : null,
    interimUpdateDueAt,
    pausedWorkingMinutes: pausedWorkingMinutes + running,
    paused: pausedSince !== null,
    stopped: withdrawnAt !== null || closed,
    withdrawn: withdrawnAt !== null,
    raised,
    firstResponseOverdue: !firstRespondedAt && overdueRaised('first_response', firstResponseDueAt),
    resolutionOverdue: !resolvedAt && overdueRaised('resolution', resolutionDueAt),
  };
}

/**
 * The alerts a case still has coming, in the order they fall due: for each running clock,
 * a warning `warningWorkingHours` before its deadline (when that is after intake) and the
 * overdue alert just after it. Already raised ones are left out; a resolution clock does not
 * alert while the case is paused (its deadline is still moving). When both stages of a
 * clock are ready, only the overdue one is raised.
 */
export function pendingAlerts(clock: CaseClock, calendar: WorkingCalendar): SlaAlert[] {
  if (clock.stopped) return [];
  const alerts: SlaAlert[] = [];
  const consider = (name: SlaClockName, due: Date) => {
    const dueAt = due.toISOString();
    const overdue = { clock: name, stage: 'overdue' as const, dueAt };
    if (clock.raised.has(alertKey(overdue))) return;
    const minutes = clock.policy.warningWorkingHours * 60;
    if (minutes > 0) {
      const warning = { clock: name, stage: 'warning' as const, dueAt };
      const readyAt = calendar.subtractWorkingMinutes(due, minutes);
      if (!clock.raised.has(alertKey(warning)) && readyAt.getTime() > clock.openedAt.getTime())
        alerts.push({ ...warning, readyAt });
    }
    alerts.push({ ...overdue, readyAt: new Date(due.getTime() + 1) });
  };
  if (!clock.firstRespondedAt) consider('first_response', clock.firstResponseDueAt);
  if (clock.interimUpdateDueAt && !clock.resolvedAt && !clock.paused)
    consider('interim_update', clock.interimUpdateDueAt);
  if (!clock.resolvedAt && !clock.paused) consider('resolution', clock.resolutionDueAt);
  return alerts.sort((a, b) => a.readyAt.getTime() - b.readyAt.getTime());
}

/** The alerts ready at `now`: per clock, the overdue one if ready, else a ready warning. */
export function readyAlerts(clock: CaseClock, calendar: WorkingCalendar, now: Date): SlaAlert[] {
  const ready = pendingAlerts(clock, calendar).filter((a) => a.readyAt.getTime() <= now.getTime());
  return ready.filter(
    (a) =>
      a.stage === 'overdue' || !ready.some((b) => b.clock === a.clock && b.stage === 'overdue'),
  );
}
