import type { CaseEvent } from '../case/case.js';
import type { WorkingCalendar } from './working-calendar.js';

/** What a case is promised, per category and priority (admin-configurable). */
export interface SlaPolicy {
  /** First response: `same_day` — by close of business on the intake day (next working day if after hours). */
  firstResponse: 'same_day';
  /** Interim updates while open, in working hours (for pre-breach warnings). */
  interimUpdateWorkingHours: number;
  /** Resolution target in working days after the intake day. */
  resolutionWorkingDays: number;
}

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  firstResponse: 'same_day',
  interimUpdateWorkingHours: 16,
  resolutionWorkingDays: 10,
};

export interface SlaPolicyTable {
  default: SlaPolicy;
  /** Keys `category/priority`, `category/*` or `*` + `/priority`; the most specific wins. */
  overrides: Readonly<Record<string, Partial<SlaPolicy>>>;
}

export function policyFor(table: SlaPolicyTable, category: string, priority: string): SlaPolicy {
  return {
    ...table.default,
    ...table.overrides[`*/${priority}`],
    ...table.overrides[`${category}/*`],
    ...table.overrides[`${category}/${priority}`],
  };
}

export interface CaseClock {
  openedAt: Date;
  firstResponseDueAt: Date;
  firstRespondedAt: Date | null;
  /** null while the first response is still awaited and not yet due. */
  firstResponseOnTime: boolean | null;
  /** The resolution deadline, moved by pauses (their working time) and approved extensions. */
  resolutionDueAt: Date;
  resolvedAt: Date | null;
  resolvedOnTime: boolean | null;
  /** Working minutes the case spent paused, waiting for the enterprise. */
  pausedWorkingMinutes: number;
  paused: boolean;
}

/**
 * The SLA clocks of one case, derived from its events alone: change the policy or the
 * calendar and replaying the events gives the new deadlines.
 *
 * - First response: the same-day promise from the intake instant; pauses do not stop it.
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
  let firstRespondedAt: Date | null = null;
  let resolvedAt: Date | null = null;
  let withdrawnAt: Date | null = null;

  for (const event of events.slice(1)) {
    const at = new Date(event.data.at);
    switch (event.type) {
      case 'CaseFirstResponseRecorded':
        firstRespondedAt ??= at;
        break;
      case 'CasePaused':
        pausedSince = at;
        break;
      case 'CaseResumed':
        if (pausedSince) {
          const minutes = calendar.workingMinutesBetween(pausedSince, at);
          pausedWorkingMinutes += minutes;
          pausedAfterBase += minutes;
          pausedSince = null;
        }
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
        break;
      case 'CaseReworkOrdered':
        resolvedAt = null;
        break;
      case 'CaseWithdrawn':
      case 'CaseClosed':
        // The clocks stop: a running pause ends here.
        if (pausedSince) {
          const minutes = calendar.workingMinutesBetween(pausedSince, at);
          pausedWorkingMinutes += minutes;
          pausedAfterBase += minutes;
          pausedSince = null;
        }
        if (event.type === 'CaseWithdrawn') withdrawnAt = at;
        break;
      default:
        break;
    }
  }
  // A pause still running counts up to now.
  const running = pausedSince ? calendar.workingMinutesBetween(pausedSince, now) : 0;
  const resolutionDueAt = calendar.addWorkingMinutes(base, pausedAfterBase + running);
  // Judged as of now, or as of the withdrawal: a promise broken before it stays broken.
  const asOf = withdrawnAt && withdrawnAt.getTime() < now.getTime() ? withdrawnAt : now;
  const judge = (done: Date | null, due: Date) =>
    done ? done.getTime() <= due.getTime() : asOf.getTime() > due.getTime() ? false : null;
  return {
    openedAt,
    firstResponseDueAt,
    firstRespondedAt,
    firstResponseOnTime: judge(firstRespondedAt, firstResponseDueAt),
    resolutionDueAt,
    resolvedAt,
    // A withdrawn case is not judged on resolution.
    resolvedOnTime: withdrawnAt ? null : judge(resolvedAt, resolutionDueAt),
    pausedWorkingMinutes: pausedWorkingMinutes + running,
    paused: pausedSince !== null,
  };
}
