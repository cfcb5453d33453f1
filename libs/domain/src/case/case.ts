import { assertNever, type Command, type Decider, type Event } from '../shared/decider.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { requireText } from '../shared/text.js';
import { EnterpriseErrors } from '../enterprise/enterprise.js';

export const CASE_STREAM_TYPE = 'case';
export const caseStreamId = (caseId: string) => `case-${caseId}`;

/**
 * The problem categories heard in the field. A fixed list for now; the admin-managed
 * catalogue (reference data recorded as events) replaces it with the lifecycle work.
 */
export const CASE_CATEGORIES = [
  'power_supply',
  'logistics',
  'talent_housing',
  'financing',
  'subsidies',
  'tax',
  'recruitment',
  'industrial_space',
  'planning',
  'approvals',
  'foreign_trade',
  'policy',
] as const;
export type CaseCategory = (typeof CASE_CATEGORIES)[number];

export const CASE_STATUSES = ['open', 'assigned', 'responded', 'resolved'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export type OpenCase = Command<
  'OpenCase',
  {
    caseId: string;
    category: string;
    description: string;
    /** The enterprise as the application found it; null when it is not registered. */
    enterprise: { enterpriseId: string; name: string; street: string } | null;
  }
>;
export type AssignCase = Command<'AssignCase', { department: string }>;
export type RecordFirstResponse = Command<'RecordFirstResponse', { message: string }>;
export type ResolveCase = Command<'ResolveCase', { resolution: string }>;
export type CaseCommand = OpenCase | AssignCase | RecordFirstResponse | ResolveCase;

export type CaseOpened = Event<
  'CaseOpened',
  {
    caseId: string;
    enterpriseId: string;
    enterpriseName: string;
    street: string;
    category: CaseCategory;
    description: string;
    openedAt: string;
  }
>;
export type CaseAssigned = Event<
  'CaseAssigned',
  { caseId: string; department: string; assignedAt: string }
>;
export type CaseFirstResponseRecorded = Event<
  'CaseFirstResponseRecorded',
  { caseId: string; message: string; respondedAt: string }
>;
export type CaseResolved = Event<
  'CaseResolved',
  { caseId: string; resolution: string; resolvedAt: string }
>;
export type CaseEvent = CaseOpened | CaseAssigned | CaseFirstResponseRecorded | CaseResolved;
export const CASE_EVENT_TYPES: readonly CaseEvent['type'][] = [
  'CaseOpened',
  'CaseAssigned',
  'CaseFirstResponseRecorded',
  'CaseResolved',
];

export type CaseState =
  | { status: 'none' }
  | { status: CaseStatus; caseId: string; department: string | null; respondedAt: string | null };

export const CaseErrors = {
  notFound: 'CASE.NOT_FOUND',
  alreadyExists: 'CASE.ALREADY_EXISTS',
  unknownCategory: 'CASE.UNKNOWN_CATEGORY',
  invalidDescription: 'CASE.INVALID_DESCRIPTION',
  invalidDepartment: 'CASE.INVALID_DEPARTMENT',
  invalidMessage: 'CASE.INVALID_MESSAGE',
  invalidResolution: 'CASE.INVALID_RESOLUTION',
  alreadyAssigned: 'CASE.ALREADY_ASSIGNED',
  notAssigned: 'CASE.NOT_ASSIGNED',
  alreadyResponded: 'CASE.ALREADY_RESPONDED',
  alreadyResolved: 'CASE.ALREADY_RESOLVED',
} as const;

const isCategory = (value: string): value is CaseCategory =>
  (CASE_CATEGORIES as readonly string[]).includes(value);

type ExistingCase = Exclude<CaseState, { status: 'none' }>;

function existing(state: CaseState): ExistingCase {
  if (state.status === 'none') throw notFound(CaseErrors.notFound, 'The case does not exist');
  return state;
}

function refuseIfResolved(state: ExistingCase): void {
  if (state.status === 'resolved') {
    throw conflict(CaseErrors.alreadyResolved, 'The case is already resolved', {
      status: state.status,
    });
  }
}

function refuseIfUnassigned(state: ExistingCase): void {
  if (state.status === 'open') {
    throw conflict(
      CaseErrors.notAssigned,
      'The case is not assigned to a department yet (status: open)',
      {
        status: state.status,
      },
    );
  }
}

export const caseDecider: Decider<CaseState, CaseCommand, CaseEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    const at = command.now.toISOString();
    switch (command.type) {
      case 'OpenCase': {
        const { data } = command;
        if (state.status !== 'none') {
          throw conflict(CaseErrors.alreadyExists, `Case ${data.caseId} already exists`);
        }
        if (!data.enterprise) {
          throw invalid(
            EnterpriseErrors.notFound,
            'enterpriseId names no registered enterprise',
            'enterpriseId',
          );
        }
        if (!isCategory(data.category)) {
          throw invalid(
            CaseErrors.unknownCategory,
            `category must be one of ${CASE_CATEGORIES.join(', ')}`,
            'category',
          );
        }
        return [
          {
            type: 'CaseOpened',
            data: {
              caseId: data.caseId,
              enterpriseId: data.enterprise.enterpriseId,
              enterpriseName: data.enterprise.name,
              street: data.enterprise.street,
              category: data.category,
              description: requireText(
                data.description,
                'description',
                CaseErrors.invalidDescription,
                {
                  max: 4000,
                },
              ),
              openedAt: at,
            },
          },
        ];
      }
      case 'AssignCase': {
        const current = existing(state);
        refuseIfResolved(current);
        if (current.status !== 'open') {
          throw conflict(
            CaseErrors.alreadyAssigned,
            `The case is already assigned to ${current.department} (status: ${current.status})`,
            { status: current.status, department: current.department },
          );
        }
        const department = requireText(
          command.data.department,
          'department',
          CaseErrors.invalidDepartment,
          {
            max: 100,
          },
        );
        return [
          { type: 'CaseAssigned', data: { caseId: current.caseId, department, assignedAt: at } },
        ];
      }
      case 'RecordFirstResponse': {
        const current = existing(state);
        refuseIfResolved(current);
        refuseIfUnassigned(current);
        if (current.status === 'responded') {
          throw conflict(
            CaseErrors.alreadyResponded,
            `The case already has its first response, recorded at ${current.respondedAt}`,
            { status: current.status },
          );
        }
        const message = requireText(command.data.message, 'message', CaseErrors.invalidMessage, {
          max: 4000,
        });
        return [
          {
            type: 'CaseFirstResponseRecorded',
            data: { caseId: current.caseId, message, respondedAt: at },
          },
        ];
      }
      case 'ResolveCase': {
        const current = existing(state);
        refuseIfResolved(current);
        refuseIfUnassigned(current);
        const resolution = requireText(
          command.data.resolution,
          'resolution',
          CaseErrors.invalidResolution,
          {
            max: 4000,
          },
        );
        return [
          { type: 'CaseResolved', data: { caseId: current.caseId, resolution, resolvedAt: at } },
        ];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'CaseOpened':
        return { status: 'open', caseId: event.data.caseId, department: null, respondedAt: null };
      case 'CaseAssigned':
        return { ...existing(state), status: 'assigned', department: event.data.department };
      case 'CaseFirstResponseRecorded':
        return { ...existing(state), status: 'responded', respondedAt: event.data.respondedAt };
      case 'CaseResolved':
        return { ...existing(state), status: 'resolved' };
      default:
        return assertNever(event);
    }
  },
};
