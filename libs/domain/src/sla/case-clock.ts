import type {
  CaseDeadlineApproaching,
  CaseEvent,
  CaseOverdue,
  SlaClockName,
} from '../case/case-events.js';
import { foldCase, unchanged, type CaseLifecycle } from '../case/lifecycle.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { policyFor, type SlaPolicy, type SlaPolicyTable } from './policy.js';

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

/** The clock's own columns, folded on top of the case's lifecycle (instants as epoch ms). */
interface ClockFold extends CaseLifecycle {
  /** The resolution deadline before pauses: the policy's, or the latest approved extension. */
  base: number;
  pausedWorkingMinutes: number;
  pausedSince: number | null;
  /** Working minutes paused since `base` was set: they move the deadline. */
  pausedAfterBase: number;
  pausedAtResolution: number;
  /** The first answer: a recorded first response, or the resolution if it came first. */
  firstAnsweredAt: number | null;
  withdrawnAt: number | null;
  raised: ReadonlySet<string>;
  /** The interim clock's anchor: the latest update; null while it does not run. */
  updatedAt: number | null;
  /** Working minutes paused since `updatedAt`: they move the interim deadline. */
  pausedSinceUpdate: number;
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
  const minutesBetween = (from: number, to: number) =>
    calendar.workingMinutesBetween(new Date(from), new Date(to));
  const atOf = (event: CaseEvent) => Date.parse(event.data.at);
  /** Where the pause counts from for the interim clock: not before its latest update. */
  const interimFrom = (c: ClockFold, pausedSince: number) =>
    c.updatedAt !== null && c.updatedAt > pausedSince ? c.updatedAt : pausedSince;
  const endPause = (c: ClockFold, at: number): ClockFold => {
    if (c.pausedSince === null) return c;
    const minutes = minutesBetween(c.pausedSince, at);
    return {
      ...c,
      pausedSince: null,
      pausedWorkingMinutes: c.pausedWorkingMinutes + minutes,
      pausedAfterBase: c.pausedAfterBase + minutes,
      pausedSinceUpdate: c.pausedSinceUpdate + minutesBetween(interimFrom(c, c.pausedSince), at),
    };
  };
  /** An update (进展) restarts the interim clock, once the case has been answered. */
  const update = (c: ClockFold, e: CaseEvent): ClockFold =>
    c.firstAnsweredAt === null ? c : { ...c, updatedAt: atOf(e), pausedSinceUpdate: 0 };
  const raise = (c: ClockFold, e: CaseDeadlineApproaching | CaseOverdue): ClockFold => ({
    ...c,
    raised: new Set(c.raised).add(
      alertKey({
        clock: e.data.clock,
        stage: e.type === 'CaseOverdue' ? 'overdue' : 'warning',
        dueAt: e.data.dueAt,
      }),
    ),
  });
  // The clock's own columns, on top of the lifecycle (which knows the resolution in force:
  // rework takes it back, and the resolution clock runs on).
  const step = foldCase<ClockFold>({
    opened: (_, lifecycle) => ({
      ...lifecycle,
      base: calendar.addWorkingDays(openedAt, policy.resolutionWorkingDays).getTime(),
      pausedWorkingMinutes: 0,
      pausedSince: null,
      pausedAfterBase: 0,
      pausedAtResolution: 0,
      firstAnsweredAt: null,
      withdrawnAt: null,
      raised: new Set(),
      updatedAt: null,
      pausedSinceUpdate: 0,
    }),
    on: {
      // A department (again) holds an answered case: its updates are due from now.
      CaseDispatched: update,
      CaseAccepted: unchanged,
      // No department holds it: no updates are due until one does.
      CaseReturned: (c) => ({ ...c, updatedAt: null }),
      CaseTransferred: update,
      CaseFirstResponseRecorded: (c, e) =>
        update({ ...c, firstAnsweredAt: c.firstAnsweredAt ?? atOf(e) }, e),
      CaseProgressNoted: update,
      CaseExtensionRequested: unchanged,
      // The new date already allows for what came before it, a running pause included.
      CaseExtensionApproved: (c, e) => {
        const at = atOf(e);
        const moved = { ...c, base: Date.parse(e.data.dueAt), pausedAfterBase: 0 };
        if (c.pausedSince === null) return moved;
        return {
          ...moved,
          pausedWorkingMinutes: c.pausedWorkingMinutes + minutesBetween(c.pausedSince, at),
          pausedSince: at,
        };
      },
      CaseExtensionRefused: unchanged,
      CasePaused: (c, e) => ({ ...c, pausedSince: atOf(e) }),
      CaseResumed: (c, e) => endPause(c, atOf(e)),
      CaseResolved: (c, e) => ({
        ...c,
        firstAnsweredAt: c.firstAnsweredAt ?? atOf(e),
        pausedAtResolution: c.pausedWorkingMinutes,
      }),
      CaseCallbackRecorded: unchanged,
      CaseReworkOrdered: update,
      CaseClosed: (c, e) => endPause(c, atOf(e)),
      CaseWithdrawn: (c, e) => ({ ...endPause(c, atOf(e)), withdrawnAt: atOf(e) }),
      CaseSupervisionOrdered: unchanged,
      CaseCommented: unchanged,
      CaseDeadlineApproaching: raise,
      CaseOverdue: raise,
    },
  });
  let c: ClockFold | null = null;
  for (const event of events) c = step(c, event);
  const s = c!;
  const date = (ms: number | null) => (ms === null ? null : new Date(ms));
  const firstRespondedAt = date(s.firstAnsweredAt);
  const resolvedAt = s.resolution ? new Date(s.resolution.at) : null;
  const withdrawnAt = date(s.withdrawnAt);
  // A pause still running counts up to now.
  const running = s.pausedSince !== null ? minutesBetween(s.pausedSince, now.getTime()) : 0;
  const resolutionDueAt = calendar.addWorkingMinutes(new Date(s.base), s.pausedAfterBase + running);
  const interimRunning =
    s.pausedSince !== null ? minutesBetween(interimFrom(s, s.pausedSince), now.getTime()) : 0;
  const interimUpdateDueAt =
    s.updatedAt === null
      ? null
      : calendar.addWorkingMinutes(
          new Date(s.updatedAt),
          policy.interimUpdateWorkingHours * 60 + s.pausedSinceUpdate + interimRunning,
        );
  // Judged as of now, or as of the withdrawal: a promise broken before it stays broken.
  const asOf = withdrawnAt && withdrawnAt.getTime() < now.getTime() ? withdrawnAt : now;
  const judge = (done: Date | null, due: Date) =>
    done ? done.getTime() <= due.getTime() : asOf.getTime() > due.getTime() ? false : null;
  const overdueRaised = (clock: SlaClockName, due: Date) =>
    s.raised.has(alertKey({ clock, stage: 'overdue', dueAt: due.toISOString() }));
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
      ? Math.max(0, calendar.workingMinutesBetween(openedAt, resolvedAt) - s.pausedAtResolution)
      : null,
    interimUpdateDueAt,
    pausedWorkingMinutes: s.pausedWorkingMinutes + running,
    paused: s.pausedSince !== null,
    stopped: withdrawnAt !== null || s.status === 'closed',
    withdrawn: withdrawnAt !== null,
    raised: s.raised,
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
