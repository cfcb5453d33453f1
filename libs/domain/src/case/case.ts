import { assertNever, type Command, type Decider } from '../shared/decider.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { requireText } from '../shared/text.js';
import { parseInstant } from '../shared/dates.js';
import type { VisitLevel } from '../shared/visit-level.js';
import { EnterpriseErrors } from '../enterprise/enterprise.js';
import { requireKnown, type Catalogue } from '../reference/reference-data.js';
import {
  OPEN_STATUSES,
  type CaseChannel,
  type CaseEvent,
  type CaseOutcome,
  type CasePriority,
  type CaseStatus,
  type Satisfaction,
} from './case-events.js';
import { foldCase, type CaseLifecycle } from './lifecycle.js';

type C<T extends string, D> = Command<T, D>;
export interface EnterpriseFacts {
  enterpriseId: string;
  name: string;
  street: string;
  archived: boolean;
}
export type OpenCase = C<
  'OpenCase',
  {
    caseId: string;
    /** The enterprise as its stream says; null when not registered. */
    enterprise: EnterpriseFacts | null;
    category: string;
    channel: CaseChannel;
    priority: CasePriority;
    description: string;
    visitId?: string;
    /** Set when a visit opens the case: who led the visit. */
    visitLevel?: VisitLevel;
    catalogue: Catalogue;
  }
>;
export type DispatchCase = C<
  'DispatchCase',
  { leadDepartment: string; coDepartments: string[]; catalogue: Catalogue }
>;
export type AcceptCase = C<'AcceptCase', Record<string, never>>;
export type ReturnCase = C<'ReturnCase', { reason: string }>;
export type TransferCase = C<
  'TransferCase',
  { toDepartment: string; reason: string; catalogue: Catalogue }
>;
export type RecordFirstResponse = C<'RecordFirstResponse', { message: string }>;
export type NoteProgress = C<'NoteProgress', { note: string }>;
export type RequestExtension = C<'RequestExtension', { reason: string; requestedDueAt: string }>;
export type ApproveExtension = C<'ApproveExtension', { comment?: string }>;
export type RefuseExtension = C<'RefuseExtension', { reason: string }>;
export type PauseCase = C<'PauseCase', { reason: string }>;
export type ResumeCase = C<'ResumeCase', Record<string, never>>;
export type ResolveCase = C<'ResolveCase', { resolution: string; outcome: CaseOutcome }>;
export type RecordCallback = C<'RecordCallback', { satisfaction: Satisfaction; comment: string }>;
export type CloseCase = C<'CloseCase', Record<string, never>>;
export type WithdrawCase = C<'WithdrawCase', { reason: string }>;
export type OrderSupervision = C<'OrderSupervision', { instructions: string }>;
export type CommentOnCase = C<'CommentOnCase', { comment: string }>;
export type CaseCommand =
  | OpenCase
  | DispatchCase
  | AcceptCase
  | ReturnCase
  | TransferCase
  | RecordFirstResponse
  | NoteProgress
  | RequestExtension
  | ApproveExtension
  | RefuseExtension
  | PauseCase
  | ResumeCase
  | ResolveCase
  | RecordCallback
  | CloseCase
  | WithdrawCase
  | OrderSupervision
  | CommentOnCase;

/** What the decider knows of a case: the lifecycle, and every event so far (the SLA clock's input). */
export interface OpenCaseState extends CaseLifecycle {
  /** The enterprise's street: part of who may see the case. */
  street: string;
  history: readonly CaseEvent[];
}
export type CaseState = { status: 'none' } | OpenCaseState;

const remember = (c: OpenCaseState, event: CaseEvent): OpenCaseState => ({
  ...c,
  history: [...c.history, event],
});
/** The decider's fold: the lifecycle, plus the history. */
const evolveCase = foldCase<OpenCaseState>({
  opened: (event, lifecycle) => ({ ...lifecycle, street: event.data.street, history: [event] }),
  on: {
    CaseDispatched: remember,
    CaseAccepted: remember,
    CaseReturned: remember,
    CaseTransferred: remember,
    CaseFirstResponseRecorded: remember,
    CaseProgressNoted: remember,
    CaseExtensionRequested: remember,
    CaseExtensionApproved: remember,
    CaseExtensionRefused: remember,
    CasePaused: remember,
    CaseResumed: remember,
    CaseResolved: remember,
    CaseCallbackRecorded: remember,
    CaseReworkOrdered: remember,
    CaseClosed: remember,
    CaseWithdrawn: remember,
    CaseSupervisionOrdered: remember,
    CaseCommented: remember,
    CaseDeadlineApproaching: remember,
    CaseOverdue: remember,
  },
});

export const CaseErrors = {
  notFound: 'CASE.NOT_FOUND',
  alreadyExists: 'CASE.ALREADY_EXISTS',
  illegalTransition: 'CASE.ILLEGAL_TRANSITION',
  unknownCategory: 'CASE.UNKNOWN_CATEGORY',
  unknownDepartment: 'CASE.UNKNOWN_DEPARTMENT',
  leadAlsoCoHandler: 'CASE.LEAD_ALSO_CO_HANDLER',
  sameDepartment: 'CASE.TRANSFER_TO_SAME_DEPARTMENT',
  alreadyResponded: 'CASE.ALREADY_RESPONDED',
  extensionPending: 'CASE.EXTENSION_PENDING',
  noExtensionPending: 'CASE.NO_EXTENSION_PENDING',
  invalidDueDate: 'CASE.INVALID_DUE_DATE',
  alreadyCalledBack: 'CASE.ALREADY_CALLED_BACK',
  callbackRequired: 'CASE.CALLBACK_REQUIRED',
  invalidText: 'CASE.INVALID_TEXT',
} as const;

const STATUS_WORDS: Record<CaseStatus, string> = {
  new: 'new, waiting for dispatch',
  dispatched: 'dispatched, waiting for the department to accept it',
  accepted: 'accepted and being handled',
  returned: 'returned to the dispatch queue',
  paused: 'paused, waiting for the enterprise',
  resolved: 'resolved',
  closed: 'closed',
  withdrawn: 'withdrawn',
};

/** The case, or CASE.NOT_FOUND when its stream is empty. */
export function existing(state: CaseState): OpenCaseState {
  if (state.status === 'none') throw notFound(CaseErrors.notFound, 'The case does not exist');
  return state;
}

/** Refuses a step the case's status does not allow, saying what status it is in. */
function requireStatus(
  state: CaseState,
  allowed: readonly CaseStatus[],
  action: string,
): OpenCaseState {
  const current = existing(state);
  if (!allowed.includes(current.status)) {
    throw conflict(
      CaseErrors.illegalTransition,
      `Cannot ${action}: the case is ${STATUS_WORDS[current.status]} (status: ${current.status})`,
      {
        status: current.status,
        allowedFrom: allowed,
      },
    );
  }
  return current;
}

const text = (value: string, field: string, max = 4000) =>
  requireText(value, field, CaseErrors.invalidText, { max });

export const caseDecider: Decider<CaseState, CaseCommand, CaseEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state): CaseEvent[] {
    const at = command.now.toISOString();
    switch (command.type) {
      case 'OpenCase': {
        const d = command.data;
        if (state.status !== 'none')
          throw conflict(CaseErrors.alreadyExists, `Case ${d.caseId} already exists`);
        if (!d.enterprise)
          throw invalid(
            EnterpriseErrors.notFound,
            'enterpriseId names no registered enterprise',
            'enterpriseId',
          );
        if (d.enterprise.archived) {
          throw conflict(
            EnterpriseErrors.archived,
            `${d.enterprise.name} is archived: no new cases can be opened for it`,
          );
        }
        requireKnown(d.catalogue.categories, d.category, 'category', CaseErrors.unknownCategory);
        return [
          {
            type: 'CaseOpened',
            data: {
              caseId: d.caseId,
              enterpriseId: d.enterprise.enterpriseId,
              enterpriseName: d.enterprise.name,
              street: d.enterprise.street,
              category: d.category,
              channel: d.channel,
              priority: d.priority,
              description: text(d.description, 'description'),
              visitId: d.visitId ?? null,
              ...(d.visitLevel ? { visitLevel: d.visitLevel } : {}),
              at,
            },
          },
        ];
      }
      case 'DispatchCase': {
        const c = requireStatus(state, ['new', 'returned'], 'dispatch the case');
        const { leadDepartment, catalogue } = command.data;
        requireKnown(
          catalogue.departments,
          leadDepartment,
          'leadDepartment',
          CaseErrors.unknownDepartment,
        );
        const coDepartments = [...new Set(command.data.coDepartments)];
        for (const co of coDepartments)
          requireKnown(catalogue.departments, co, 'coDepartments', CaseErrors.unknownDepartment);
        if (coDepartments.includes(leadDepartment)) {
          throw invalid(
            CaseErrors.leadAlsoCoHandler,
            'coDepartments must not include the lead department',
            'coDepartments',
          );
        }
        return [
          { type: 'CaseDispatched', data: { caseId: c.caseId, leadDepartment, coDepartments, at } },
        ];
      }
      case 'AcceptCase': {
        const c = requireStatus(state, ['dispatched'], 'accept the case');
        return [
          { type: 'CaseAccepted', data: { caseId: c.caseId, department: c.leadDepartment!, at } },
        ];
      }
      case 'ReturnCase': {
        const c = requireStatus(state, ['dispatched', 'accepted'], 'return the case');
        return [
          {
            type: 'CaseReturned',
            data: {
              caseId: c.caseId,
              department: c.leadDepartment!,
              reason: text(command.data.reason, 'reason', 1000),
              at,
            },
          },
        ];
      }
      case 'TransferCase': {
        const c = requireStatus(state, ['dispatched', 'accepted'], 'transfer the case');
        const to = requireKnown(
          command.data.catalogue.departments,
          command.data.toDepartment,
          'toDepartment',
          CaseErrors.unknownDepartment,
        );
        if (to === c.leadDepartment)
          throw invalid(
            CaseErrors.sameDepartment,
            `toDepartment is already the lead department (${to})`,
            'toDepartment',
          );
        return [
          {
            type: 'CaseTransferred',
            data: {
              caseId: c.caseId,
              fromDepartment: c.leadDepartment!,
              toDepartment: to,
              reason: text(command.data.reason, 'reason', 1000),
              at,
            },
          },
        ];
      }
      case 'RecordFirstResponse': {
        const c = requireStatus(
          state,
          ['dispatched', 'accepted', 'paused'],
          'record a first response',
        );
        if (c.firstResponseAt) {
          throw conflict(
            CaseErrors.alreadyResponded,
            `The case already has its first response, recorded at ${c.firstResponseAt}`,
            {
              status: c.status,
            },
          );
        }
        return [
          {
            type: 'CaseFirstResponseRecorded',
            data: { caseId: c.caseId, message: text(command.data.message, 'message'), at },
          },
        ];
      }
      case 'NoteProgress': {
        const c = requireStatus(state, ['accepted', 'paused'], 'note progress');
        return [
          {
            type: 'CaseProgressNoted',
            data: { caseId: c.caseId, note: text(command.data.note, 'note'), at },
          },
        ];
      }
      case 'RequestExtension': {
        const c = requireStatus(state, ['accepted', 'paused'], 'request an extension');
        if (c.pendingExtension)
          throw conflict(
            CaseErrors.extensionPending,
            'An extension request is already waiting for a decision',
            { status: c.status },
          );
        // An explicit offset: a local time without one would depend on the server's time zone.
        const due = parseInstant(command.data.requestedDueAt);
        if (Number.isNaN(due) || due <= command.now.getTime()) {
          throw invalid(
            CaseErrors.invalidDueDate,
            'requestedDueAt must be a future date-time with its offset, such as 2026-12-31T18:00:00+08:00',
            'requestedDueAt',
          );
        }
        return [
          {
            type: 'CaseExtensionRequested',
            data: {
              caseId: c.caseId,
              reason: text(command.data.reason, 'reason', 1000),
              requestedDueAt: new Date(due).toISOString(),
              at,
            },
          },
        ];
      }
      case 'ApproveExtension':
      case 'RefuseExtension': {
        const c = requireStatus(state, ['accepted', 'paused'], 'decide an extension');
        if (!c.pendingExtension)
          throw conflict(
            CaseErrors.noExtensionPending,
            'No extension request is waiting for a decision',
            { status: c.status },
          );
        return command.type === 'ApproveExtension'
          ? [
              {
                type: 'CaseExtensionApproved',
                data: {
                  caseId: c.caseId,
                  dueAt: c.pendingExtension.requestedDueAt,
                  comment:
                    command.data.comment === undefined
                      ? null
                      : text(command.data.comment, 'comment', 1000),
                  at,
                },
              },
            ]
          : [
              {
                type: 'CaseExtensionRefused',
                data: { caseId: c.caseId, reason: text(command.data.reason, 'reason', 1000), at },
              },
            ];
      }
      case 'PauseCase': {
        const c = requireStatus(state, ['accepted'], 'pause the case');
        return [
          {
            type: 'CasePaused',
            data: { caseId: c.caseId, reason: text(command.data.reason, 'reason', 1000), at },
          },
        ];
      }
      case 'ResumeCase': {
        const c = requireStatus(state, ['paused'], 'resume the case');
        return [{ type: 'CaseResumed', data: { caseId: c.caseId, at } }];
      }
      case 'ResolveCase': {
        const c = requireStatus(state, ['accepted'], 'resolve the case');
        return [
          {
            type: 'CaseResolved',
            data: {
              caseId: c.caseId,
              resolution: text(command.data.resolution, 'resolution'),
              outcome: command.data.outcome,
              at,
            },
          },
        ];
      }
      case 'RecordCallback': {
        const c = requireStatus(state, ['resolved'], 'record a callback');
        if (c.satisfaction)
          throw conflict(
            CaseErrors.alreadyCalledBack,
            `The enterprise was already called back (${c.satisfaction})`,
            { status: c.status },
          );
        const { satisfaction } = command.data;
        const comment = text(command.data.comment, 'comment', 2000);
        const recorded: CaseEvent = {
          type: 'CaseCallbackRecorded',
          data: { caseId: c.caseId, satisfaction, comment, at },
        };
        // 不满意 sends the case back to its department (退回重办).
        return satisfaction === 'unsatisfied'
          ? [
              recorded,
              { type: 'CaseReworkOrdered', data: { caseId: c.caseId, reason: comment, at } },
            ]
          : [recorded];
      }
      case 'CloseCase': {
        const c = requireStatus(state, ['resolved'], 'close the case');
        if (!c.satisfaction)
          throw conflict(
            CaseErrors.callbackRequired,
            'The enterprise must be called back before the case is closed',
            { status: c.status },
          );
        return [{ type: 'CaseClosed', data: { caseId: c.caseId, at } }];
      }
      case 'WithdrawCase': {
        const c = requireStatus(state, OPEN_STATUSES, 'withdraw the case');
        return [
          {
            type: 'CaseWithdrawn',
            data: { caseId: c.caseId, reason: text(command.data.reason, 'reason', 1000), at },
          },
        ];
      }
      case 'OrderSupervision': {
        const c = requireStatus(state, [...OPEN_STATUSES, 'resolved'], 'order supervision');
        return [
          {
            type: 'CaseSupervisionOrdered',
            data: {
              caseId: c.caseId,
              instructions: text(command.data.instructions, 'instructions', 2000),
              at,
            },
          },
        ];
      }
      case 'CommentOnCase': {
        const c = existing(state);
        return [
          {
            type: 'CaseCommented',
            data: { caseId: c.caseId, comment: text(command.data.comment, 'comment', 2000), at },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },

  evolve: (state, event) => evolveCase(state.status === 'none' ? null : state, event),
};
