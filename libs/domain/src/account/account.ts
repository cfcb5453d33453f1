import { assertNever, type Command, type Decider, type Event } from '../shared/decider.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { requireText } from '../shared/text.js';
import { requireKnown, type Catalogue } from '../reference/reference-data.js';

/**
 * User accounts. One stream per username, so a second account with the same name is a
 * stream conflict rather than a race between two look-ups. The password arrives already
 * hashed (argon2id, at the edge): the domain never sees a password, only decides who may
 * log in, when an account locks, and what a change of role means.
 */
export const ACCOUNT_STREAM_TYPE = 'user';
export const accountStreamId = (username: string) => `user-${username}`;

/** 走访干部, 分拨员, 承办人, 领导, 管理员. */
export const ROLES = ['officer', 'dispatcher', 'handler', 'leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Assignment {
  role: Role;
  /** Required for handlers: the department whose cases they work on. */
  department: string | null;
  /** Required for officers: the street they sweep. */
  street: string | null;
}

export interface LockoutPolicy {
  /** Failed logins in a row that lock the account. */
  maxFailures: number;
  /** How long a lock lasts. */
  lockMinutes: number;
}
export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockMinutes: 15 };

export type CreateUser = Command<
  'CreateUser',
  Assignment & {
    userId: string;
    username: string;
    displayName: string;
    passwordHash: string;
    /** The password was chosen by someone else (an admin): the user must change it. */
    mustChangePassword: boolean;
    catalogue: Catalogue;
  }
>;
export type ChangeAssignment = Command<'ChangeAssignment', Assignment & { catalogue: Catalogue }>;
/** `reset`: an admin set it (the user must change it); otherwise the user changed their own. */
export type ChangePassword = Command<'ChangePassword', { passwordHash: string; reset: boolean }>;
/** A login whose password matched; refused while the account is locked or disabled. */
export type RecordLogin = Command<'RecordLogin', { sessionId: string }>;
/** A login whose password did not match. */
export type RecordFailedLogin = Command<'RecordFailedLogin', { policy: LockoutPolicy }>;
export type UnlockUser = Command<'UnlockUser', Record<string, never>>;
export type DisableUser = Command<'DisableUser', { reason: string }>;
export type EnableUser = Command<'EnableUser', Record<string, never>>;
export type AccountCommand =
  | CreateUser
  | ChangeAssignment
  | ChangePassword
  | RecordLogin
  | RecordFailedLogin
  | UnlockUser
  | DisableUser
  | EnableUser;

type Base = { userId: string; at: string };
export type UserCreated = Event<
  'UserCreated',
  Base &
    Assignment & {
      username: string;
      displayName: string;
      passwordHash: string;
      mustChangePassword: boolean;
    }
>;
export type UserAssignmentChanged = Event<'UserAssignmentChanged', Base & Assignment>;
export type UserPasswordChanged = Event<
  'UserPasswordChanged',
  Base & { passwordHash: string; reset: boolean }
>;
export type UserLoggedIn = Event<'UserLoggedIn', Base & { sessionId: string }>;
export type UserLoginFailed = Event<'UserLoginFailed', Base & { failures: number }>;
export type UserLocked = Event<'UserLocked', Base & { until: string; failures: number }>;
export type UserUnlocked = Event<'UserUnlocked', Base>;
export type UserDisabled = Event<'UserDisabled', Base & { reason: string }>;
export type UserEnabled = Event<'UserEnabled', Base>;
export type AccountEvent =
  | UserCreated
  | UserAssignmentChanged
  | UserPasswordChanged
  | UserLoggedIn
  | UserLoginFailed
  | UserLocked
  | UserUnlocked
  | UserDisabled
  | UserEnabled;
export const ACCOUNT_EVENT_TYPES: readonly AccountEvent['type'][] = [
  'UserCreated',
  'UserAssignmentChanged',
  'UserPasswordChanged',
  'UserLoggedIn',
  'UserLoginFailed',
  'UserLocked',
  'UserUnlocked',
  'UserDisabled',
  'UserEnabled',
];
/** Events after which an account's open sessions must end (its tokens say something untrue). */
export const SESSION_ENDING_EVENTS: readonly AccountEvent['type'][] = [
  'UserAssignmentChanged',
  'UserPasswordChanged',
  'UserDisabled',
];

export type AccountState =
  | { status: 'none' }
  | ({
      status: 'active' | 'disabled';
      userId: string;
      username: string;
      displayName: string;
      passwordHash: string;
      /** An admin reset the password: the user must choose a new one. */
      mustChangePassword: boolean;
      failures: number;
      lockedUntil: string | null;
    } & Assignment);

export const AccountErrors = {
  invalidUsername: 'ACCOUNT.INVALID_USERNAME',
  invalidText: 'ACCOUNT.INVALID_TEXT',
  weakPassword: 'ACCOUNT.WEAK_PASSWORD',
  alreadyExists: 'ACCOUNT.ALREADY_EXISTS',
  notFound: 'ACCOUNT.NOT_FOUND',
  assignment: 'ACCOUNT.INVALID_ASSIGNMENT',
  unknownDepartment: 'ACCOUNT.UNKNOWN_DEPARTMENT',
  unknownStreet: 'ACCOUNT.UNKNOWN_STREET',
  locked: 'ACCOUNT.LOCKED',
  disabled: 'ACCOUNT.DISABLED',
  notLocked: 'ACCOUNT.NOT_LOCKED',
  alreadyDisabled: 'ACCOUNT.ALREADY_DISABLED',
  notDisabled: 'ACCOUNT.NOT_DISABLED',
  noChange: 'ACCOUNT.NO_CHANGE',
  lastAdmin: 'ACCOUNT.LAST_ADMIN',
} as const;

export const USERNAME = /^[a-z][a-z0-9._-]{2,31}$/;
export const PASSWORD_RULE =
  '12 to 128 characters, with letters and digits, and not containing the username';

/** Lower-cases a username and checks its form (3–32 of a–z, 0–9, '.', '_', '-', starting with a letter). */
export function normaliseUsername(raw: string): string {
  const username = raw.trim().toLowerCase();
  if (!USERNAME.test(username)) {
    throw invalid(
      AccountErrors.invalidUsername,
      'username must be 3 to 32 characters of a-z, 0-9, ".", "_" or "-", starting with a letter',
      'username',
    );
  }
  return username;
}

/** The password rule, checked at the edge before hashing (the domain only sees hashes). */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < 12 || password.length > 128) return 'must be 12 to 128 characters';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return 'must contain letters and digits';
  if (password.toLowerCase().includes(username.toLowerCase()))
    return 'must not contain the username';
  return null;
}

function checkAssignment(a: Assignment, catalogue: Catalogue): Assignment {
  const department =
    a.department === null
      ? null
      : requireKnown(
          catalogue.departments,
          a.department,
          'department',
          AccountErrors.unknownDepartment,
        );
  const street =
    a.street === null
      ? null
      : requireKnown(catalogue.streets, a.street, 'street', AccountErrors.unknownStreet);
  if (a.role === 'handler' && department === null)
    throw invalid(AccountErrors.assignment, 'a handler needs a department', 'department');
  if (a.role === 'officer' && street === null)
    throw invalid(AccountErrors.assignment, 'an officer needs a street', 'street');
  if (a.role !== 'handler' && department !== null)
    throw invalid(AccountErrors.assignment, 'only handlers belong to a department', 'department');
  if (a.role !== 'officer' && street !== null)
    throw invalid(AccountErrors.assignment, 'only officers belong to a street', 'street');
  return { role: a.role, department, street };
}

type Existing = Exclude<AccountState, { status: 'none' }>;
function existing(state: AccountState): Existing {
  if (state.status === 'none') throw notFound(AccountErrors.notFound, 'No such user');
  return state;
}

/** Whether the account is locked at `now`. */
export const lockedAt = (state: AccountState, now: Date) =>
  state.status !== 'none' &&
  state.lockedUntil !== null &&
  Date.parse(state.lockedUntil) > now.getTime();

export const accountDecider: Decider<AccountState, AccountCommand, AccountEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    const at = command.now.toISOString();
    switch (command.type) {
      case 'CreateUser': {
        const { catalogue, userId, passwordHash, mustChangePassword, ...rest } = command.data;
        const username = normaliseUsername(rest.username);
        if (state.status !== 'none') {
          throw conflict(AccountErrors.alreadyExists, `The username ${username} is taken`, {
            userId: state.userId,
          });
        }
        const displayName = requireText(
          rest.displayName,
          'displayName',
          AccountErrors.invalidText,
          {
            max: 50,
          },
        );
        const assignment = checkAssignment(rest, catalogue);
        return [
          {
            type: 'UserCreated',
            data: {
              userId,
              username,
              displayName,
              passwordHash,
              mustChangePassword,
              ...assignment,
              at,
            },
          },
        ];
      }
      case 'ChangeAssignment': {
        const user = existing(state);
        const next = checkAssignment(command.data, command.data.catalogue);
        if (
          next.role === user.role &&
          next.department === user.department &&
          next.street === user.street
        )
          throw invalid(AccountErrors.noChange, 'The request changes nothing', 'role');
        return [{ type: 'UserAssignmentChanged', data: { userId: user.userId, ...next, at } }];
      }
      case 'ChangePassword': {
        const user = existing(state);
        return [
          {
            type: 'UserPasswordChanged',
            data: {
              userId: user.userId,
              passwordHash: command.data.passwordHash,
              reset: command.data.reset,
              at,
            },
          },
        ];
      }
      case 'RecordLogin': {
        const user = existing(state);
        if (user.status === 'disabled')
          throw conflict(AccountErrors.disabled, 'This account is disabled');
        if (lockedAt(user, command.now)) {
          throw conflict(AccountErrors.locked, `This account is locked until ${user.lockedUntil}`, {
            lockedUntil: user.lockedUntil,
          });
        }
        return [
          {
            type: 'UserLoggedIn',
            data: { userId: user.userId, sessionId: command.data.sessionId, at },
          },
        ];
      }
      case 'RecordFailedLogin': {
        const user = existing(state);
        // While locked, attempts are refused before the password is checked: nothing to record.
        if (lockedAt(user, command.now)) return [];
        // A lock that has run out starts the count afresh.
        const failures = (user.lockedUntil === null ? user.failures : 0) + 1;
        const { maxFailures, lockMinutes } = command.data.policy;
        const events: AccountEvent[] = [
          { type: 'UserLoginFailed', data: { userId: user.userId, failures, at } },
        ];
        if (failures >= maxFailures) {
          const until = new Date(command.now.getTime() + lockMinutes * 60_000).toISOString();
          events.push({ type: 'UserLocked', data: { userId: user.userId, until, failures, at } });
        }
        return events;
      }
      case 'UnlockUser': {
        const user = existing(state);
        if (!lockedAt(user, command.now) && user.failures === 0)
          throw conflict(AccountErrors.notLocked, 'This account is not locked');
        return [{ type: 'UserUnlocked', data: { userId: user.userId, at } }];
      }
      case 'DisableUser': {
        const user = existing(state);
        if (user.status === 'disabled')
          throw conflict(AccountErrors.alreadyDisabled, 'This account is already disabled');
        const reason = requireText(command.data.reason, 'reason', AccountErrors.invalidText, {
          max: 500,
        });
        return [{ type: 'UserDisabled', data: { userId: user.userId, reason, at } }];
      }
      case 'EnableUser': {
        const user = existing(state);
        if (user.status !== 'disabled')
          throw conflict(AccountErrors.notDisabled, 'This account is not disabled');
        return [{ type: 'UserEnabled', data: { userId: user.userId, at } }];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    if (event.type === 'UserCreated') {
      const { at: _at, ...rest } = event.data;
      return { status: 'active', ...rest, failures: 0, lockedUntil: null };
    }
    if (state.status === 'none') return state;
    switch (event.type) {
      case 'UserAssignmentChanged':
        return {
          ...state,
          role: event.data.role,
          department: event.data.department,
          street: event.data.street,
        };
      case 'UserPasswordChanged':
        return {
          ...state,
          passwordHash: event.data.passwordHash,
          mustChangePassword: event.data.reset,
          failures: 0,
          lockedUntil: null,
        };
      case 'UserLoggedIn':
        return { ...state, failures: 0, lockedUntil: null };
      case 'UserLoginFailed':
        return { ...state, failures: event.data.failures, lockedUntil: null };
      case 'UserLocked':
        return { ...state, lockedUntil: event.data.until };
      case 'UserUnlocked':
        return { ...state, failures: 0, lockedUntil: null };
      case 'UserDisabled':
        return { ...state, status: 'disabled' };
      case 'UserEnabled':
        return { ...state, status: 'active' };
      default:
        return assertNever(event);
    }
  },
};
