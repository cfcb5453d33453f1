import type { Event } from '../shared/decider.js';
import type { VisitLevel } from '../shared/visit-level.js';

/**
 * The words of a case and the facts its stream records. The lifecycle (lifecycle.ts), the
 * decider (case.ts), the SLA clock (../sla) and every read model fold these events; each
 * names every event type, so a new one breaks the build wherever it must be handled.
 */
export const CASE_STREAM_TYPE = 'case';
export const caseStreamId = (caseId: string) => `case-${caseId}`;

export const CASE_CHANNELS = ['visit', 'hotline', 'leader', 'online'] as const;
export type CaseChannel = (typeof CASE_CHANNELS)[number];
export const CASE_PRIORITIES = ['normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];
export const CASE_OUTCOMES = ['solved', 'partly_solved', 'explained'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];
export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

/**
 * new → dispatched (派单) → accepted (签收) → resolved (办结) → closed (销号), with returned
 * (退单, back to the dispatch queue), paused (waiting for the enterprise), rework after an
 * unsatisfied callback (resolved → accepted), and withdrawn.
 */
export const CASE_STATUSES = [
  'new',
  'dispatched',
  'accepted',
  'returned',
  'paused',
  'resolved',
  'closed',
  'withdrawn',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** A case still being worked on. */
export const OPEN_STATUSES: readonly CaseStatus[] = [
  'new',
  'dispatched',
  'accepted',
  'returned',
  'paused',
];

/** The two SLA clocks of a case. */
export type SlaClockName = 'first_response' | 'interim_update' | 'resolution';

type E<T extends string, D> = Event<T, D & { caseId: string; at: string }>;
export type CaseOpened = E<
  'CaseOpened',
  {
    enterpriseId: string;
    enterpriseName: string;
    street: string;
    category: string;
    channel: CaseChannel;
    priority: CasePriority;
    description: string;
    visitId: string | null;
    /** Present on cases a visit opened. */
    visitLevel?: VisitLevel;
  }
>;
export type CaseDispatched = E<
  'CaseDispatched',
  { leadDepartment: string; coDepartments: string[] }
>;
export type CaseAccepted = E<'CaseAccepted', { department: string }>;
export type CaseReturned = E<'CaseReturned', { department: string; reason: string }>;
export type CaseTransferred = E<
  'CaseTransferred',
  { fromDepartment: string; toDepartment: string; reason: string }
>;
export type CaseFirstResponseRecorded = E<'CaseFirstResponseRecorded', { message: string }>;
export type CaseProgressNoted = E<'CaseProgressNoted', { note: string }>;
export type CaseExtensionRequested = E<
  'CaseExtensionRequested',
  { reason: string; requestedDueAt: string }
>;
export type CaseExtensionApproved = E<
  'CaseExtensionApproved',
  { dueAt: string; comment: string | null }
>;
export type CaseExtensionRefused = E<'CaseExtensionRefused', { reason: string }>;
export type CasePaused = E<'CasePaused', { reason: string }>;
export type CaseResumed = E<'CaseResumed', Record<never, never>>;
export type CaseResolved = E<'CaseResolved', { resolution: string; outcome: CaseOutcome }>;
export type CaseCallbackRecorded = E<
  'CaseCallbackRecorded',
  { satisfaction: Satisfaction; comment: string }
>;
export type CaseReworkOrdered = E<'CaseReworkOrdered', { reason: string }>;
export type CaseClosed = E<'CaseClosed', Record<never, never>>;
export type CaseWithdrawn = E<'CaseWithdrawn', { reason: string }>;
export type CaseSupervisionOrdered = E<
  'CaseSupervisionOrdered',
  { instructions: string; /** Ordered by the SLA policy, not a person. */ automatic?: true }
>;
/** A pre-breach warning: the deadline is near. */
export type CaseDeadlineApproaching = E<
  'CaseDeadlineApproaching',
  { clock: SlaClockName; dueAt: string }
>;
/** A deadline passed without the first response or the resolution. */
export type CaseOverdue = E<'CaseOverdue', { clock: SlaClockName; dueAt: string }>;
export type CaseCommented = E<'CaseCommented', { comment: string }>;
export type CaseEvent =
  | CaseOpened
  | CaseDispatched
  | CaseAccepted
  | CaseReturned
  | CaseTransferred
  | CaseFirstResponseRecorded
  | CaseProgressNoted
  | CaseExtensionRequested
  | CaseExtensionApproved
  | CaseExtensionRefused
  | CasePaused
  | CaseResumed
  | CaseResolved
  | CaseCallbackRecorded
  | CaseReworkOrdered
  | CaseClosed
  | CaseWithdrawn
  | CaseSupervisionOrdered
  | CaseCommented
  | CaseDeadlineApproaching
  | CaseOverdue;

export type CaseEventType = CaseEvent['type'];
export type CaseEventOf<T extends CaseEventType> = Extract<CaseEvent, { type: T }>;

const EVENT_TYPES = {
  CaseOpened: true,
  CaseDispatched: true,
  CaseAccepted: true,
  CaseReturned: true,
  CaseTransferred: true,
  CaseFirstResponseRecorded: true,
  CaseProgressNoted: true,
  CaseExtensionRequested: true,
  CaseExtensionApproved: true,
  CaseExtensionRefused: true,
  CasePaused: true,
  CaseResumed: true,
  CaseResolved: true,
  CaseCallbackRecorded: true,
  CaseReworkOrdered: true,
  CaseClosed: true,
  CaseWithdrawn: true,
  CaseSupervisionOrdered: true,
  CaseCommented: true,
  CaseDeadlineApproaching: true,
  CaseOverdue: true,
} as const satisfies Record<CaseEventType, true>;
/** Every case event type (the compiler checks the list against the union). */
export const CASE_EVENT_TYPES = Object.keys(EVENT_TYPES) as readonly CaseEventType[];
