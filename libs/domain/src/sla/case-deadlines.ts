import type { SlaClockName } from '../case/case-events.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { shenzhenDateTime } from '../shared/shenzhen-time.js';
import type { CaseClock } from './case-clock.js';

/**
 * What a case owes and by when, per clock, at an instant: the figures every case reply and
 * worklist row carries. Derived from the same `CaseClock` the SLA clock raises its alerts
 * from and the metrics judge by, so a badge, an alert and a rate never disagree.
 */
export const DEADLINE_STATES = [
  'running',
  'paused',
  'met',
  'met_late',
  'overdue',
  'not_applicable',
] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];
export type DeadlineWarning = 'none' | 'approaching' | 'overdue';

export interface CaseDeadline {
  /** ISO instant; null when the clock has no deadline (not applicable). */
  dueAt: string | null;
  state: DeadlineState;
  /** Working minutes at `asOf`: > 0 left, < 0 overrun; null when met or not applicable. */
  workingMinutesLeft: number | null;
  warning: DeadlineWarning;
  /** false when `dueAt` falls in a year whose holidays are not known: a provisional figure. */
  calendarKnown: boolean;
  /** When it was met (met, met_late); null otherwise. */
  metAt: string | null;
}

export interface CaseDeadlines {
  /** The instant the figures are computed at. */
  asOf: string;
  firstResponse: CaseDeadline;
  interimUpdate: CaseDeadline;
  resolution: CaseDeadline;
}

/** The reply's clock names, by the clock names of the alerts. */
export const DEADLINE_CLOCKS = {
  firstResponse: 'first_response',
  interimUpdate: 'interim_update',
  resolution: 'resolution',
} as const satisfies Record<Exclude<keyof CaseDeadlines, 'asOf'>, SlaClockName>;

const NOT_APPLICABLE: CaseDeadline = {
  dueAt: null,
  state: 'not_applicable',
  workingMinutesLeft: null,
  warning: 'none',
  calendarKnown: true,
  metAt: null,
};

/**
 * Signed working minutes from `now` to `due`: positive while time is left, negative once
 * past (the office time since the deadline).
 */
export function workingMinutesLeft(calendar: WorkingCalendar, now: Date, due: Date): number {
  return now.getTime() <= due.getTime()
    ? calendar.workingMinutesBetween(now, due)
    : 0 - calendar.workingMinutesBetween(due, now) || 0;
}

/**
 * One clock at `now`. A deadline is met when the thing it waits for happened by it (late:
 * after it); overdue once `now` is past it (the instant the SLA clock's overdue alert becomes
 * ready); `warning` is approaching from `warningWorkingHours` before it, as the pre-breach
 * alert. A paused clock (the resolution and interim clocks while the case waits for the
 * enterprise) keeps moving its deadline and reads `paused`, whatever its figures.
 */
function deadline(
  calendar: WorkingCalendar,
  warningMinutes: number,
  now: Date,
  due: Date | null,
  done: Date | null,
  options: { stopped: boolean; paused: boolean },
): CaseDeadline {
  if (!due) return NOT_APPLICABLE;
  const dueAt = due.toISOString();
  const calendarKnown = calendar.knows(calendar.dateOf(due));
  if (done) {
    return {
      dueAt,
      state: done.getTime() <= due.getTime() ? 'met' : 'met_late',
      workingMinutesLeft: null,
      warning: 'none',
      calendarKnown,
      metAt: done.toISOString(),
    };
  }
  if (options.stopped) return NOT_APPLICABLE;
  const overdue = now.getTime() > due.getTime();
  const left = workingMinutesLeft(calendar, now, due);
  const approaching =
    warningMinutes > 0 &&
    now.getTime() >= calendar.subtractWorkingMinutes(due, warningMinutes).getTime();
  return {
    dueAt,
    state: options.paused ? 'paused' : overdue ? 'overdue' : 'running',
    workingMinutesLeft: left,
    warning: overdue ? 'overdue' : approaching ? 'approaching' : 'none',
    calendarKnown,
    metAt: null,
  };
}

/**
 * The three deadlines of a case from its clock, computed at `now` (the clock must have been
 * derived at the same `now`, so a running pause is counted up to it).
 *
 * - First response (首次回应): met by the first answer; pauses do not stop it; a withdrawn or
 *   closed case that never answered has none.
 * - Interim update (进展更新): due `interimUpdateWorkingHours` after the latest update; met
 *   (or met late) by the resolution; none before the first response, while no department
 *   holds the case, or once withdrawn.
 * - Resolution (办结): met by the latest resolution (rework sets it running again); none for
 *   a withdrawn case.
 */
export function caseDeadlines(
  clock: CaseClock,
  calendar: WorkingCalendar,
  now: Date,
): CaseDeadlines {
  const warning = clock.policy.warningWorkingHours * 60;
  const stopped = clock.stopped;
  const resolvedAt = clock.withdrawn ? null : clock.resolvedAt;
  return {
    asOf: now.toISOString(),
    firstResponse: deadline(
      calendar,
      warning,
      now,
      clock.firstResponseDueAt,
      clock.firstRespondedAt,
      { stopped, paused: false },
    ),
    interimUpdate: deadline(calendar, warning, now, clock.interimUpdateDueAt, resolvedAt, {
      stopped,
      paused: clock.paused,
    }),
    resolution: deadline(
      calendar,
      warning,
      now,
      clock.withdrawn ? null : clock.resolutionDueAt,
      resolvedAt,
      { stopped, paused: clock.paused },
    ),
  };
}

const CLOCK_WORDS: Record<SlaClockName, string> = {
  first_response: '首次回应',
  interim_update: '进展更新',
  resolution: '办结',
};

/** The words of an automatic 督办: Chinese, Shenzhen time. */
export const automaticSupervisionText = (clock: SlaClockName, dueAt: string) =>
  `${CLOCK_WORDS[clock]}时限 ${shenzhenDateTime(dueAt)} 已超期，系统自动督办`;
