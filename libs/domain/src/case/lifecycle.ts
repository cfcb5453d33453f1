import type {
  CaseEvent,
  CaseEventOf,
  CaseEventType,
  CaseOpened,
  CaseOutcome,
  CaseStatus,
  Satisfaction,
} from './case-events.js';

/**
 * The lifecycle of a case, written once: its status, its lead and co-handling departments,
 * the extension waiting for a decision, the resolution in force and the callback on it.
 * The decider, the `case_view` read model, the metrics facts and the SLA clock all fold
 * this, and add only their own columns on top (`foldCase`).
 *
 * new → dispatched (派单) → accepted (签收) → resolved (办结) → closed (销号); returned (退单)
 * goes back to the dispatch queue and drops the departments; a transfer (转办) dispatches to
 * another lead; paused waits for the enterprise; an unsatisfied callback orders rework
 * (退回重办: resolved → accepted), which takes the resolution back — the case is no longer
 * solved anywhere — while the unsatisfied callback stays visible until the next resolution.
 */
export interface CaseLifecycle {
  caseId: string;
  status: CaseStatus;
  openedAt: string;
  leadDepartment: string | null;
  coDepartments: string[];
  firstResponseAt: string | null;
  /** The extension the lead department asked for, until it is approved or refused. */
  pendingExtension: { reason: string; requestedDueAt: string } | null;
  /** The deadline set by the latest approved extension; null: the SLA policy's. */
  dueAt: string | null;
  /** The resolution in force (办结); null while open, and again after rework is ordered. */
  resolution: { at: string; outcome: CaseOutcome } | null;
  /** The latest callback (回访) since the latest resolution. */
  satisfaction: Satisfaction | null;
}

/** The event types after the first: what a fold's handler table names. */
export type LaterCaseEventType = Exclude<CaseEventType, 'CaseOpened'>;

/** The lifecycle a case starts with. */
export function openedLifecycle(event: CaseOpened): CaseLifecycle {
  return {
    caseId: event.data.caseId,
    status: 'new',
    openedAt: event.data.at,
    leadDepartment: null,
    coDepartments: [],
    firstResponseAt: null,
    pendingExtension: null,
    dueAt: null,
    resolution: null,
    satisfaction: null,
  };
}

/**
 * The transition table: what each event after `CaseOpened` does to the lifecycle. Generic
 * over the state so that a fold keeps its own columns (they are spread along untouched).
 */
const TRANSITIONS = {
  CaseDispatched: (c, e) => ({
    ...c,
    status: 'dispatched',
    leadDepartment: e.data.leadDepartment,
    coDepartments: e.data.coDepartments,
  }),
  CaseAccepted: (c) => ({ ...c, status: 'accepted' }),
  CaseReturned: (c) => ({
    ...c,
    status: 'returned',
    leadDepartment: null,
    coDepartments: [],
    pendingExtension: null,
  }),
  CaseTransferred: (c, e) => ({
    ...c,
    status: 'dispatched',
    leadDepartment: e.data.toDepartment,
    coDepartments: c.coDepartments.filter((d) => d !== e.data.toDepartment),
    pendingExtension: null,
  }),
  CaseFirstResponseRecorded: (c, e) => ({ ...c, firstResponseAt: c.firstResponseAt ?? e.data.at }),
  CaseProgressNoted: (c) => c,
  CaseExtensionRequested: (c, e) => ({
    ...c,
    pendingExtension: { reason: e.data.reason, requestedDueAt: e.data.requestedDueAt },
  }),
  CaseExtensionApproved: (c, e) => ({ ...c, pendingExtension: null, dueAt: e.data.dueAt }),
  CaseExtensionRefused: (c) => ({ ...c, pendingExtension: null }),
  CasePaused: (c) => ({ ...c, status: 'paused' }),
  CaseResumed: (c) => ({ ...c, status: 'accepted' }),
  CaseResolved: (c, e) => ({
    ...c,
    status: 'resolved',
    resolution: { at: e.data.at, outcome: e.data.outcome },
    satisfaction: null,
  }),
  CaseCallbackRecorded: (c, e) => ({ ...c, satisfaction: e.data.satisfaction }),
  CaseReworkOrdered: (c) => ({ ...c, status: 'accepted', resolution: null }),
  CaseClosed: (c) => ({ ...c, status: 'closed' }),
  CaseWithdrawn: (c) => ({ ...c, status: 'withdrawn', pendingExtension: null }),
  CaseSupervisionOrdered: (c) => c,
  CaseCommented: (c) => c,
  CaseDeadlineApproaching: (c) => c,
  CaseOverdue: (c) => c,
} satisfies {
  [T in LaterCaseEventType]: <L extends CaseLifecycle>(c: L, e: CaseEventOf<T>) => L;
};

/**
 * One step of the lifecycle. `state` may carry a fold's own columns: they come back
 * unchanged. Throws when an event other than `CaseOpened` arrives first.
 */
export function evolveLifecycle<L extends CaseLifecycle>(state: L | null, event: CaseEvent): L {
  if (event.type === 'CaseOpened') {
    if (state) throw new Error(`case ${event.data.caseId} was opened twice`);
    return openedLifecycle(event) as L;
  }
  if (!state) throw new Error(`${event.type} for case ${event.data.caseId} before CaseOpened`);
  const transition = TRANSITIONS[event.type] as <S extends CaseLifecycle>(c: S, e: CaseEvent) => S;
  return transition(state, event);
}

/** Whether the case counts as solved now: resolved or closed as solved or partly solved. */
export function isSolved(c: Pick<CaseLifecycle, 'status' | 'resolution'>): boolean {
  return (
    (c.status === 'resolved' || c.status === 'closed') &&
    (c.resolution?.outcome === 'solved' || c.resolution?.outcome === 'partly_solved')
  );
}

/**
 * A fold of a case that keeps the lifecycle and adds its own columns: how the state starts,
 * and per event type after the first what it does to its own columns (every type named; the
 * compiler refuses a missing one). Each handler sees the state already moved by the
 * lifecycle, and the state before the event.
 */
export interface CaseFoldDefinition<S extends CaseLifecycle> {
  opened(event: CaseOpened, lifecycle: CaseLifecycle): S;
  on: CaseEventHandlers<S>;
}

/** Per event type after `CaseOpened`, a handler; `before` is the state before the event. */
export type CaseEventHandlers<S> = {
  readonly [T in LaterCaseEventType]: (state: S, event: CaseEventOf<T>, before: S) => S;
};

/** Calls the handler for the event's type (the table names every type). */
export function handleCaseEvent<S>(
  handlers: CaseEventHandlers<S>,
  state: S,
  event: Exclude<CaseEvent, CaseOpened>,
  before: S,
): S {
  const handler = handlers[event.type] as (state: S, event: CaseEvent, before: S) => S;
  return handler(state, event, before);
}

/** The step function of a fold defined by `CaseFoldDefinition`. */
export function foldCase<S extends CaseLifecycle>(definition: CaseFoldDefinition<S>) {
  return (state: S | null, event: CaseEvent): S => {
    if (event.type === 'CaseOpened') return definition.opened(event, openedLifecycle(event));
    if (!state) throw new Error(`${event.type} for case ${event.data.caseId} before CaseOpened`);
    return handleCaseEvent(definition.on, evolveLifecycle(state, event), event, state);
  };
}

/** For a fold's handler table: the event changes none of the fold's own columns. */
export const unchanged = <S>(state: S): S => state;
