import { ACCOUNT_EVENT_TYPES, assertNever, type AccountEvent } from '#domain';
import { UserAccount } from '../entities/user-account.entity.js';
import { rowProjection } from '../projection.js';

/** The admin's list of accounts: everything about a user but the password hash. */
export const userAccountProjection = rowProjection<UserAccount, AccountEvent>({
  name: 'user_account',
  entity: UserAccount,
  table: 'user_account',
  handles: ACCOUNT_EVENT_TYPES,
  keyOf: (event) => event.data.userId,
  evolve(row, event) {
    const version = event.streamPosition;
    if (event.type === 'UserCreated') {
      const d = event.data;
      return {
        id: d.userId,
        username: d.username,
        displayName: d.displayName,
        role: d.role,
        department: d.department,
        street: d.street,
        status: 'active',
        mustChangePassword: d.mustChangePassword,
        failures: 0,
        lockedUntil: null,
        createdAt: new Date(d.at),
        lastLoginAt: null,
        version,
      };
    }
    if (!row) throw new Error(`${event.type} for user ${event.data.userId} before UserCreated`);
    const next = { ...row, version };
    switch (event.type) {
      case 'UserAssignmentChanged':
        return {
          ...next,
          role: event.data.role,
          department: event.data.department,
          street: event.data.street,
        };
      case 'UserPasswordChanged':
        return { ...next, mustChangePassword: event.data.reset, failures: 0, lockedUntil: null };
      case 'UserLoggedIn':
        return { ...next, failures: 0, lockedUntil: null, lastLoginAt: new Date(event.data.at) };
      case 'UserLoginFailed':
        return { ...next, failures: event.data.failures, lockedUntil: null };
      case 'UserLocked':
        return { ...next, lockedUntil: new Date(event.data.until) };
      case 'UserUnlocked':
        return { ...next, failures: 0, lockedUntil: null };
      case 'UserDisabled':
        return { ...next, status: 'disabled' };
      case 'UserEnabled':
        return { ...next, status: 'active' };
      default:
        return assertNever(event);
    }
  },
});
