import { forbidden, notFound } from '../shared/errors.js';
import type { CaseCommand, CaseState } from '../case/case.js';
import type { Assignment, Role } from './account.js';

/** Who is acting: an authenticated account, as its access token says. */
export interface Principal extends Assignment {
  userId: string;
  username: string;
  displayName: string;
}

/**
 * Everything a route can ask permission for. Each HTTP route names exactly one action; the
 * table below says which roles may take it, and `caseAccess` narrows case actions to the
 * cases a principal can see. This file is the whole access policy.
 */
export const ACTIONS = {
  /** Public: health, login, refresh. */
  public: [],
  /** Any signed-in account: who am I, change my password, log out, read reference data. */
  self: ['officer', 'dispatcher', 'handler', 'leader', 'admin'],
  'reference.read': ['officer', 'dispatcher', 'handler', 'leader', 'admin'],
  'reference.manage': ['admin'],
  'sla.read': ['officer', 'dispatcher', 'handler', 'leader', 'admin'],
  'sla.manage': ['admin'],
  'user.manage': ['admin'],
  'enterprise.read': ['officer', 'dispatcher', 'handler', 'leader'],
  'enterprise.write': ['officer', 'dispatcher'],
  'enterprise.archive': ['dispatcher'],
  'visit.read': ['officer', 'dispatcher', 'leader'],
  'visit.log': ['officer'],
  'campaign.read': ['officer', 'dispatcher', 'leader'],
  'campaign.manage': ['dispatcher', 'leader'],
  'metrics.read': ['dispatcher', 'leader'],
  /** See a case and its timeline (scoped by caseAccess). */
  'case.read': ['officer', 'dispatcher', 'handler', 'leader'],
  'case.open': ['officer', 'dispatcher'],
  'case.queue': ['dispatcher', 'leader'],
  'case.dispatch': ['dispatcher'],
  /** Accept, return, respond, request an extension, pause, resume, resolve: the lead department's work. */
  'case.lead': ['handler'],
  /**
   * Transfer (转办) to another lead department with a reason: the lead department's handlers,
   * or the dispatcher re-routing a case the centre dispatched (改派), as a service desk's
   * dispatcher moves a ticket to another group. A co-handler may not.
   */
  'case.transfer': ['handler', 'dispatcher'],
  /** Progress notes: the lead or a co-handling department. */
  'case.contribute': ['handler'],
  /** Approve or refuse an extension (延期审批): the enterprise service centre, or a leader. */
  'case.decide_extension': ['dispatcher', 'leader'],
  /** Callback (回访) and close (销号): the enterprise service centre. */
  'case.callback': ['dispatcher'],
  'case.withdraw': ['officer', 'dispatcher'],
  'case.supervise': ['leader'],
  'case.comment': ['officer', 'dispatcher', 'handler', 'leader'],
} as const satisfies Record<string, readonly Role[]>;
export type Action = keyof typeof ACTIONS;

export const mayTake = (role: Role, action: Action) =>
  (ACTIONS[action] as readonly Role[]).includes(role);

/** What a case says about who may see it. */
export interface CaseScope {
  leadDepartment: string | null;
  coDepartments: readonly string[];
  street: string;
  /** The user who opened it (or logged the visit it came from). */
  openedBy: string | null;
  /** Every department that led or co-handled it at some point (see `handledBy`). */
  handledBy?: readonly string[];
}

/**
 * The departments that led or co-handled a case at some point, in order of arrival: a
 * department keeps read-only sight of a case it worked on and then returned or transferred.
 */
export function handledBy(events: readonly { type: string; data: object }[]): string[] {
  const seen = new Set<string>();
  for (const { type, data } of events) {
    if (type === 'CaseDispatched') {
      const d = data as { leadDepartment: string; coDepartments: readonly string[] };
      for (const department of [d.leadDepartment, ...d.coDepartments]) seen.add(department);
    } else if (type === 'CaseTransferred') {
      seen.add((data as { toDepartment: string }).toDepartment);
    }
  }
  return [...seen];
}

/** What the decider's state of a case says about who may see it; null: no such case. */
export function caseScopeOf(state: CaseState, openedBy: string | null): CaseScope | null {
  if (state.status === 'none') return null;
  return {
    leadDepartment: state.leadDepartment,
    coDepartments: state.coDepartments,
    street: state.street,
    openedBy,
    handledBy: handledBy(state.history),
  };
}

/**
 * How far a principal reaches into one case: `none` (it must look as if it did not exist),
 * `read` (a department that handled it before: the case and its timeline, no steps),
 * `see` (read, comment, contribute), or `lead` (the lead department's handler).
 */
export function caseAccess(who: Principal, c: CaseScope): 'none' | 'read' | 'see' | 'lead' {
  switch (who.role) {
    case 'dispatcher':
    case 'leader':
      return 'see';
    case 'handler':
      if (who.department === null) return 'none';
      if (c.leadDepartment === who.department) return 'lead';
      if (c.coDepartments.includes(who.department)) return 'see';
      return c.handledBy?.includes(who.department) ? 'read' : 'none';
    case 'officer':
      return c.openedBy === who.userId || (who.street !== null && c.street === who.street)
        ? 'see'
        : 'none';
    case 'admin':
      return 'none';
  }
}

/** The same rule for lists: which cases a principal's worklist may contain. */
export type CaseListScope =
  | { kind: 'all' }
  | { kind: 'department'; department: string }
  | { kind: 'officer'; userId: string; street: string | null }
  | { kind: 'nothing' };

export function caseListScope(who: Principal): CaseListScope {
  switch (who.role) {
    case 'dispatcher':
    case 'leader':
      return { kind: 'all' };
    case 'handler':
      return who.department === null
        ? { kind: 'nothing' }
        : { kind: 'department', department: who.department };
    case 'officer':
      return { kind: 'officer', userId: who.userId, street: who.street };
    case 'admin':
      return { kind: 'nothing' };
  }
}

/**
 * Actions on one case that need the lead department rather than sight of the case: the lead's
 * steps, and a transfer when a handler asks (a dispatcher transfers any case it dispatched).
 */
export const needsLead = (action: Action, role: Role) =>
  action === 'case.lead' || (action === 'case.transfer' && role === 'handler');

export const AccessErrors = {
  denied: 'ACCESS.DENIED',
  notLead: 'ACCESS.NOT_LEAD',
  readOnly: 'ACCESS.READ_ONLY',
  caseNotFound: 'CASE.NOT_FOUND',
} as const;

/** The action each case command is: the route that sends it names the same one. */
export const CASE_COMMAND_ACTIONS = {
  OpenCase: 'case.open',
  DispatchCase: 'case.dispatch',
  AcceptCase: 'case.lead',
  ReturnCase: 'case.lead',
  TransferCase: 'case.transfer',
  RecordFirstResponse: 'case.lead',
  NoteProgress: 'case.contribute',
  RequestExtension: 'case.lead',
  ApproveExtension: 'case.decide_extension',
  RefuseExtension: 'case.decide_extension',
  PauseCase: 'case.lead',
  ResumeCase: 'case.lead',
  ResolveCase: 'case.lead',
  RecordCallback: 'case.callback',
  CloseCase: 'case.callback',
  WithdrawCase: 'case.withdraw',
  OrderSupervision: 'case.supervise',
  CommentOnCase: 'case.comment',
} as const satisfies Record<CaseCommand['type'], Action>;

/**
 * Whether a principal may take an action on a case, decided on the case as it stands
 * (null: it does not exist). The command handler calls this on the very state it decides
 * and appends on, inside the same attempt: the append's expected version then protects the
 * permission as well as the transition — a transfer and a late command from the old lead
 * department cannot both win. The HTTP guard may ask the same question early.
 *
 * Refusals: ACCESS.DENIED (403) for the role, CASE.NOT_FOUND (404, as if it did not exist)
 * out of reach, ACCESS.READ_ONLY (403) for anything but reading by a department that handled
 * it before, ACCESS.NOT_LEAD (403) for a lead-only step by anyone but the lead department.
 */
export function authorizeOnCase(who: Principal, action: Action, c: CaseScope | null): void {
  if (!mayTake(who.role, action)) {
    const roles = (ACTIONS[action] as readonly string[]).join(', ');
    throw forbidden(
      AccessErrors.denied,
      `${/^[aeiou]/.test(who.role) ? 'An' : 'A'} ${who.role} may not do this (${action}: ${roles} only)`,
    );
  }
  // Opening: the case does not exist yet (the decider refuses one that does).
  if (action === 'case.open') return;
  const reach = c ? caseAccess(who, c) : 'none';
  if (reach === 'none') throw notFound(AccessErrors.caseNotFound, 'The case does not exist');
  // A department that handled the case before reads it, and does nothing more.
  if (reach === 'read' && action !== 'case.read')
    throw forbidden(
      AccessErrors.readOnly,
      'Your department no longer handles this case (returned or transferred): it is read-only for you',
    );
  if (needsLead(action, who.role) && reach !== 'lead') {
    throw forbidden(
      AccessErrors.notLead,
      "Only the lead department's handlers may do this; co-handlers may add progress and comments",
    );
  }
}
