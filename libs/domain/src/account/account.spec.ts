import {
  accountDecider,
  AccountErrors,
  DEFAULT_LOCKOUT,
  lockedAt,
  normaliseUsername,
  passwordProblem,
  type AccountEvent,
  type CreateUser,
  type UserCreated,
} from './account.js';
import { caseAccess, caseListScope, handledBy, mayTake, type Principal } from './access.js';
import { specificationFor } from '../testing/specification.js';
import { aCatalogue, at, T0 } from '../testing/builders.js';
import { fold } from '../shared/decider.js';

const spec = specificationFor(accountDecider);
const catalogue = aCatalogue();
const userId = '7b0e3b9e-2d4c-4c1e-9a59-3b7e0f6c1a01';
const create = (data: Partial<CreateUser['data']> = {}): CreateUser => ({
  type: 'CreateUser',
  data: {
    userId,
    username: 'Zhao.Power',
    displayName: ' 赵工 ',
    role: 'handler',
    department: 'power_supply',
    street: null,
    passwordHash: '$argon2id$hash',
    mustChangePassword: true,
    catalogue,
    ...data,
  },
  now: T0,
});
const created: UserCreated = {
  type: 'UserCreated',
  data: {
    userId,
    username: 'zhao.power',
    displayName: '赵工',
    role: 'handler',
    department: 'power_supply',
    street: null,
    passwordHash: '$argon2id$hash',
    mustChangePassword: true,
    at: T0.toISOString(),
  },
};
const failed = (failures: number, minute = 0): AccountEvent => ({
  type: 'UserLoginFailed',
  data: { userId, failures, at: at(minute).toISOString() },
});
const policy = DEFAULT_LOCKOUT;

describe('the account decider', () => {
  it('creates an account with a normalised username and a checked assignment', () => {
    spec.given([]).when(create()).then([created]);
  });

  it('refuses a taken username, a bad username and assignments that do not fit the role', () => {
    spec.given([created]).when(create()).thenThrows(AccountErrors.alreadyExists);
    spec
      .given([])
      .when(create({ username: '1abc' }))
      .thenThrows(AccountErrors.invalidUsername);
    spec
      .given([])
      .when(create({ department: null }))
      .thenThrows(AccountErrors.assignment, 'handler needs a department');
    spec
      .given([])
      .when(create({ role: 'officer', department: null }))
      .thenThrows(AccountErrors.assignment, 'officer needs a street');
    spec
      .given([])
      .when(create({ role: 'leader' }))
      .thenThrows(AccountErrors.assignment, 'only handlers');
    spec
      .given([])
      .when(create({ department: 'ministry_of_magic' }))
      .thenThrows(AccountErrors.unknownDepartment);
  });

  it('counts failed logins and locks at the limit, until the lock runs out', () => {
    const four = [created, failed(1), failed(2), failed(3), failed(4)];
    spec
      .given(four)
      .when({ type: 'RecordFailedLogin', data: { policy }, now: at(5) })
      .then([
        { type: 'UserLoginFailed', data: { userId, failures: 5, at: at(5).toISOString() } },
        {
          type: 'UserLocked',
          data: { userId, until: at(20).toISOString(), failures: 5, at: at(5).toISOString() },
        },
      ]);
    const locked = fold(accountDecider, [
      ...four,
      failed(5, 5),
      {
        type: 'UserLocked',
        data: { userId, until: at(20).toISOString(), failures: 5, at: at(5).toISOString() },
      },
    ] as AccountEvent[]);
    expect(lockedAt(locked, at(19))).toBe(true);
    expect(lockedAt(locked, at(20))).toBe(false);
    // While locked, a correct password is refused and a wrong one records nothing.
    const history = [
      ...four,
      failed(5, 5),
      {
        type: 'UserLocked',
        data: { userId, until: at(20).toISOString(), failures: 5, at: at(5).toISOString() },
      },
    ] as AccountEvent[];
    spec
      .given(history)
      .when({ type: 'RecordLogin', data: { sessionId: 's' }, now: at(10) })
      .thenThrows(AccountErrors.locked);
    spec
      .given(history)
      .when({ type: 'RecordFailedLogin', data: { policy }, now: at(10) })
      .then([]);
    // After the lock, the count starts again.
    spec
      .given(history)
      .when({ type: 'RecordFailedLogin', data: { policy }, now: at(21) })
      .then([{ type: 'UserLoginFailed', data: { userId, failures: 1, at: at(21).toISOString() } }]);
  });

  it('refuses a disabled account and lets an admin enable it again', () => {
    const disabled: AccountEvent = {
      type: 'UserDisabled',
      data: { userId, reason: '离职', at: at(1).toISOString() },
    };
    spec
      .given([created, disabled])
      .when({ type: 'RecordLogin', data: { sessionId: 's' }, now: at(2) })
      .thenThrows(AccountErrors.disabled);
    spec
      .given([created, disabled])
      .when({ type: 'DisableUser', data: { reason: 'x' }, now: at(2) })
      .thenThrows(AccountErrors.alreadyDisabled);
    spec
      .given([created, disabled])
      .when({ type: 'EnableUser', data: {}, now: at(2) })
      .then([{ type: 'UserEnabled', data: { userId, at: at(2).toISOString() } }]);
  });

  it('changes the assignment only when something changes', () => {
    spec
      .given([created])
      .when({
        type: 'ChangeAssignment',
        data: { role: 'handler', department: 'power_supply', street: null, catalogue },
        now: at(1),
      })
      .thenThrows(AccountErrors.noChange);
    spec
      .given([created])
      .when({
        type: 'ChangeAssignment',
        data: { role: 'dispatcher', department: null, street: null, catalogue },
        now: at(1),
      })
      .then([
        {
          type: 'UserAssignmentChanged',
          data: {
            userId,
            role: 'dispatcher',
            department: null,
            street: null,
            at: at(1).toISOString(),
          },
        },
      ]);
  });

  it('holds passwords to the rule', () => {
    expect(passwordProblem('short1', 'zhao')).toMatch(/12 to 128/);
    expect(passwordProblem('onlyletterslong', 'zhao')).toMatch(/letters and digits/);
    expect(passwordProblem('zhao-123456789', 'zhao')).toMatch(/username/);
    expect(passwordProblem('Longgang-2026-ok', 'zhao')).toBeNull();
    expect(normaliseUsername(' Wang.Li ')).toBe('wang.li');
  });
});

describe('the access policy', () => {
  const who = (role: Principal['role'], place: Partial<Principal> = {}): Principal => ({
    userId: `${role}-id`,
    username: role,
    displayName: role,
    role,
    department: null,
    street: null,
    ...place,
  });
  const aCase = {
    leadDepartment: 'power_supply',
    coDepartments: ['tax'],
    street: 'bantian',
    openedBy: 'officer-id',
  };

  it('gives each role its reach into a case', () => {
    expect(caseAccess(who('handler', { department: 'power_supply' }), aCase)).toBe('lead');
    expect(caseAccess(who('handler', { department: 'tax' }), aCase)).toBe('see');
    expect(caseAccess(who('handler', { department: 'customs' }), aCase)).toBe('none');
    expect(caseAccess(who('officer', { street: 'pinghu' }), aCase)).toBe('see'); // logged it
    expect(caseAccess(who('officer', { userId: 'x', street: 'bantian' }), aCase)).toBe('see');
    expect(caseAccess(who('officer', { userId: 'x', street: 'pinghu' }), aCase)).toBe('none');
    expect(caseAccess(who('dispatcher'), aCase)).toBe('see');
    expect(caseAccess(who('leader'), aCase)).toBe('see');
    expect(caseAccess(who('admin'), aCase)).toBe('none');
  });

  it('leaves a department that handled a case before read-only sight of it', () => {
    const history = [
      {
        type: 'CaseDispatched',
        data: { leadDepartment: 'customs', coDepartments: ['housing'] },
      },
      { type: 'CaseReturned', data: { department: 'customs' } },
      { type: 'CaseDispatched', data: { leadDepartment: 'tax', coDepartments: [] } },
      { type: 'CaseTransferred', data: { fromDepartment: 'tax', toDepartment: 'power_supply' } },
    ];
    expect(handledBy(history)).toEqual(['customs', 'housing', 'tax', 'power_supply']);
    const now = { ...aCase, coDepartments: [], handledBy: handledBy(history) };
    expect(caseAccess(who('handler', { department: 'customs' }), now)).toBe('read');
    expect(caseAccess(who('handler', { department: 'housing' }), now)).toBe('read');
    expect(caseAccess(who('handler', { department: 'power_supply' }), now)).toBe('lead');
    expect(caseAccess(who('handler', { department: 'hr' }), now)).toBe('none');
  });

  it('narrows lists the same way', () => {
    expect(caseListScope(who('leader'))).toEqual({ kind: 'all' });
    expect(caseListScope(who('handler', { department: 'tax' }))).toEqual({
      kind: 'department',
      department: 'tax',
    });
    expect(caseListScope(who('admin'))).toEqual({ kind: 'nothing' });
  });

  it('lets only leaders order supervision and only admins manage accounts', () => {
    expect(
      ['officer', 'dispatcher', 'handler', 'leader', 'admin'].filter((r) =>
        mayTake(r as Principal['role'], 'case.supervise'),
      ),
    ).toEqual(['leader']);
    expect(mayTake('admin', 'user.manage')).toBe(true);
    expect(mayTake('leader', 'user.manage')).toBe(false);
  });
});
