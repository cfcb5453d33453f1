import type { CaseEvent, CaseEventType } from '../case/case-events.js';
import { foldCase, type CaseLifecycle } from '../case/lifecycle.js';
import { caseClock, pendingAlerts } from '../sla/case-clock.js';
import { slaTableAt, type SlaPolicyChange } from '../sla/policy.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { caseDeadlines } from '../sla/case-deadlines.js';

/**
 * What the leaders' metrics know of one case: its dimensions and counts, kept up to date
 * event by event, and the SLA-relevant part of its history, from which its clocks are
 * derived again whenever the calendar or the policies change.
 */
export interface CaseFacts extends CaseLifecycle {
  street: string;
  category: string;
  channel: string;
  priority: string;
  visitLevel: string | null;
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

/**
 * Per event type, what the clock needs of it (kept in `history`, with only the data the
 * clock and the lifecycle read, so the stored history stays small; a recorded event's
 * positions and metadata are left behind), or false: not kept.
 */
const FOR_THE_CLOCK = {
  CaseOpened: (e) => ({ type: e.type, data: { ...e.data, description: '', enterpriseName: '' } }),
  // Who holds the case matters to the interim-update clock.
  CaseDispatched: (e) => ({ type: e.type, data: e.data }),
  CaseAccepted: false,
  CaseReturned: (e) => ({ type: e.type, data: { ...e.data, reason: '' } }),
  CaseTransferred: (e) => ({ type: e.type, data: { ...e.data, reason: '' } }),
  CaseFirstResponseRecorded: (e) => ({ type: e.type, data: { ...e.data, message: '' } }),
  CaseProgressNoted: (e) => ({ type: e.type, data: { ...e.data, note: '' } }),
  CaseExtensionRequested: false,
  CaseExtensionApproved: (e) => ({ type: e.type, data: { ...e.data, comment: null } }),
  CaseExtensionRefused: false,
  CasePaused: (e) => ({ type: e.type, data: { ...e.data, reason: '' } }),
  CaseResumed: (e) => ({ type: e.type, data: e.data }),
  CaseResolved: (e) => ({ type: e.type, data: { ...e.data, resolution: '' } }),
  CaseCallbackRecorded: false,
  CaseReworkOrdered: (e) => ({ type: e.type, data: { ...e.data, reason: '' } }),
  CaseClosed: (e) => ({ type: e.type, data: e.data }),
  CaseWithdrawn: (e) => ({ type: e.type, data: { ...e.data, reason: '' } }),
  CaseSupervisionOrdered: false,
  CaseCommented: false,
  CaseDeadlineApproaching: (e) => ({ type: e.type, data: e.data }),
  CaseOverdue: (e) => ({ type: e.type, data: e.data }),
} satisfies { [T in CaseEventType]: false | ((e: Extract<CaseEvent, { type: T }>) => CaseEvent) };

function forTheClock(facts: CaseFacts, event: CaseEvent): CaseFacts {
  const compact = FOR_THE_CLOCK[event.type] as false | ((e: CaseEvent) => CaseEvent);
  return compact ? { ...facts, history: [...facts.history, compact(event)] } : facts;
}

const noted = (facts: CaseFacts, event: CaseEvent, before: CaseFacts): CaseFacts =>
  forTheClock(
    {
      ...facts,
      lastEventAt: event.data.at > before.lastEventAt ? event.data.at : before.lastEventAt,
    },
    event,
  );

/** The metrics' fold: the lifecycle, plus the case's dimensions, counts and clock history. */
export const evolveFacts = foldCase<CaseFacts>({
  opened: (event, lifecycle) => {
    const d = event.data;
    return forTheClock(
      {
        ...lifecycle,
        street: d.street,
        category: d.category,
        channel: d.channel,
        priority: d.priority,
        visitLevel: d.visitLevel ?? null,
        returnedBy: [],
        transferredFrom: [],
        reworked: 0,
        supervised: 0,
        lastEventAt: d.at,
        history: [],
      },
      event,
    );
  },
  on: {
    CaseDispatched: noted,
    CaseAccepted: noted,
    CaseReturned: (f, e, before) =>
      noted({ ...f, returnedBy: [...f.returnedBy, e.data.department] }, e, before),
    CaseTransferred: (f, e, before) =>
      noted({ ...f, transferredFrom: [...f.transferredFrom, e.data.fromDepartment] }, e, before),
    CaseFirstResponseRecorded: noted,
    CaseProgressNoted: noted,
    CaseExtensionRequested: noted,
    CaseExtensionApproved: noted,
    CaseExtensionRefused: noted,
    CasePaused: noted,
    CaseResumed: noted,
    CaseResolved: noted,
    CaseCallbackRecorded: noted,
    CaseReworkOrdered: (f, e, before) => noted({ ...f, reworked: f.reworked + 1 }, e, before),
    CaseClosed: noted,
    CaseWithdrawn: noted,
    CaseSupervisionOrdered: (f, e, before) =>
      noted({ ...f, supervised: f.supervised + 1 }, e, before),
    CaseCommented: noted,
    CaseDeadlineApproaching: noted,
    CaseOverdue: noted,
  },
});

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
