import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  accountDecider,
  accountStreamId,
  AccountErrors,
  conflict,
  DomainError,
  forbidden,
  invalid,
  lockedAt,
  normaliseUsername,
  passwordProblem,
  SESSION_ENDING_EVENTS,
  unauthenticated,
  type AccountCommand,
  type AccountEvent,
  type AccountState,
  type Assignment,
  type Principal,
} from '#domain';
import {
  handleCommand,
  readState,
  type CommandContext,
  type CommandRequest,
  type CommandResult,
  type EventStore,
} from '#event-store';
import { UserAccount } from '#read-model';
import type { AppConfig } from '../config.js';
import {
  APP_CONFIG,
  CATALOGUES,
  CLOCK,
  EVENT_STORE,
  type CatalogueSource,
  type Clock,
} from '../infrastructure/tokens.js';
import {
  generatePassword,
  hashPassword,
  verifyAgainstNothing,
  verifyPassword,
} from './passwords.js';
import { Sessions, type TokenPair } from './sessions.js';

type Existing = Exclude<AccountState, { status: 'none' }>;
export const accountPrincipal = (s: Existing): Principal => ({
  userId: s.userId,
  username: s.username,
  displayName: s.displayName,
  role: s.role,
  department: s.department,
  street: s.street,
});

const passwordNotRepeated = () =>
  conflict(
    'IDEMPOTENCY.SECRET_NOT_REPEATED',
    'This request was already carried out and its generated password shown in that reply only; reset the password to get a new one',
  );
const disabled = () => forbidden(AccountErrors.disabled, 'This account is disabled');
const sessionEnded = () =>
  unauthenticated('AUTH.SESSION_ENDED', 'This session has ended: log in again');

const weak = (problem: string, field: string) =>
  invalid(AccountErrors.weakPassword, `${field} ${problem}`, field);

/**
 * Accounts: creating and changing them (admin), logging in and out, passwords. Account
 * changes go through the account decider like any other command; the session table only
 * follows them (an event that makes tokens untrue ends the account's sessions).
 */
@Injectable()
export class Accounts implements OnApplicationBootstrap {
  private readonly logger = new Logger('Accounts');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CATALOGUES) private readonly catalogues: CatalogueSource,
    private readonly sessions: Sessions,
    private readonly dataSource: DataSource,
  ) {}

  /** How many failed logins in a row lock an account, and for how long. */
  private get lockout() {
    return {
      maxFailures: this.config.LOGIN_MAX_FAILURES,
      lockMinutes: this.config.LOGIN_LOCK_MINUTES,
    };
  }

  catalogue() {
    return this.catalogues.current();
  }

  async state(username: string): Promise<AccountState> {
    return (await readState(this.store, accountDecider, accountStreamId(username))).state;
  }

  /** Runs an account command; ends the account's sessions when the events say so. */
  async run(
    username: string,
    command: CommandRequest<AccountCommand>,
    context: CommandContext,
  ): Promise<CommandResult> {
    const result = await handleCommand(
      this.store,
      accountDecider,
      accountStreamId(username),
      command,
      context,
    );
    if (SESSION_ENDING_EVENTS.some((t) => t === this.eventFor(command.type))) {
      const state = await this.state(username);
      // Also on a replayed command: a first run may have stopped before this step.
      if (state.status !== 'none')
        await this.sessions.revokeAll(state.userId, `${command.type} by ${context.actor}`);
    }
    return result;
  }

  private eventFor(type: AccountCommand['type']): AccountEvent['type'] | null {
    return (
      (
        {
          ChangeAssignment: 'UserAssignmentChanged',
          ChangePassword: 'UserPasswordChanged',
          DisableUser: 'UserDisabled',
        } as Partial<Record<AccountCommand['type'], AccountEvent['type']>>
      )[type] ?? null
    );
  }

  /** Creates an account; without a password, generates one (returned once, to be changed). */
  async create(
    input: Pick<Assignment, 'role'> & {
      department?: string | null;
      street?: string | null;
      username: string;
      displayName: string;
      password?: string;
    },
    context: CommandContext,
    options: { mustChangePassword?: boolean } = {},
  ): Promise<{ userId: string; result: CommandResult; temporaryPassword?: string }> {
    const username = normaliseUsername(input.username);
    const password = input.password ?? generatePassword();
    const problem = passwordProblem(password, username);
    if (problem) throw weak(problem, 'password');
    const userId = randomUUID();
    const result = await this.run(
      username,
      {
        type: 'CreateUser',
        data: {
          userId,
          username,
          displayName: input.displayName,
          role: input.role,
          department: input.department ?? null,
          street: input.street ?? null,
          passwordHash: await hashPassword(password),
          mustChangePassword: options.mustChangePassword ?? true,
          catalogue: await this.catalogues.current(),
        },
      },
      context,
    );
    if (result.replayed && input.password === undefined) throw passwordNotRepeated();
    const state = await this.state(username);
    return {
      userId: state.status === 'none' ? userId : state.userId,
      result,
      ...(input.password === undefined ? { temporaryPassword: password } : {}),
    };
  }

  async login(
    rawUsername: string,
    password: string,
    client: { ip?: string; userAgent?: string },
    correlationId: string,
  ): Promise<TokenPair & { mustChangePassword: boolean }> {
    const invalidCredentials = unauthenticated(
      'AUTH.INVALID_CREDENTIALS',
      'The username or password is wrong',
    );
    let username: string;
    try {
      username = normaliseUsername(rawUsername);
    } catch {
      await verifyAgainstNothing(password);
      throw invalidCredentials;
    }
    const state = await this.state(username);
    const now = this.clock.now();
    if (state.status === 'none') {
      await verifyAgainstNothing(password);
      throw invalidCredentials;
    }
    if (lockedAt(state, now)) throw this.locked(state.lockedUntil!, now);
    const context = (): CommandContext => ({
      commandId: randomUUID(),
      actor: state.userId,
      actorDetails: accountPrincipal(state),
      client,
      correlationId,
      now,
    });
    if (!(await verifyPassword(state.passwordHash, password))) {
      await this.run(
        username,
        { type: 'RecordFailedLogin', data: { policy: this.lockout } },
        context(),
      );
      const after = await this.state(username);
      if (lockedAt(after, now)) {
        this.logger.warn(`account ${username} locked after repeated failed logins`);
        throw this.locked((after as Existing).lockedUntil!, now);
      }
      throw invalidCredentials;
    }
    if (state.status === 'disabled') throw disabled();
    const sessionId = randomUUID();
    try {
      await handleCommand(
        this.store,
        accountDecider,
        accountStreamId(username),
        { type: 'RecordLogin', data: { sessionId } },
        context(),
      );
    } catch (error) {
      // Locked or disabled between the read above and now: answer as if seen above.
      if (error instanceof DomainError && error.code === AccountErrors.locked)
        throw this.locked(String(error.details?.lockedUntil ?? now.toISOString()), now);
      if (error instanceof DomainError && error.code === AccountErrors.disabled) throw disabled();
      throw error;
    }
    const tokens = await this.sessions.open(
      accountPrincipal(state),
      sessionId,
      state.mustChangePassword,
      client,
    );
    return { ...tokens, mustChangePassword: state.mustChangePassword };
  }

  private locked(until: string, now: Date): DomainError {
    const seconds = Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 1000));
    return new DomainError(
      AccountErrors.locked,
      'locked',
      `Too many failed logins: the account is locked until ${until}`,
      undefined,
      { lockedUntil: until, retryAfterSeconds: seconds },
    );
  }

  refresh(refreshToken: string): Promise<TokenPair> {
    return this.sessions.refresh(refreshToken, async (_userId, username) => {
      const state = await this.state(username);
      // A lock stops password guessing; it does not end sessions opened before it.
      if (state.status !== 'active') return null;
      return { who: accountPrincipal(state), mustChangePassword: state.mustChangePassword };
    });
  }

  /** The user changes their own password: every session ends, and a new one starts. */
  async changeOwnPassword(
    who: Principal,
    currentPassword: string,
    newPassword: string,
    context: CommandContext,
  ): Promise<TokenPair> {
    const state = await this.state(who.username);
    if (state.status !== 'active') throw sessionEnded();
    if (!(await verifyPassword(state.passwordHash, currentPassword))) {
      // Counts towards the lock: a stolen access token must not allow unlimited guessing.
      await this.run(
        who.username,
        { type: 'RecordFailedLogin', data: { policy: this.lockout } },
        { ...context, commandId: randomUUID() },
      );
      throw invalid('AUTH.WRONG_PASSWORD', 'currentPassword is wrong', 'currentPassword');
    }
    const problem = passwordProblem(newPassword, who.username);
    if (problem) throw weak(problem, 'newPassword');
    if (await verifyPassword(state.passwordHash, newPassword))
      throw weak('must differ from the current password', 'newPassword');
    await this.run(
      who.username,
      {
        type: 'ChangePassword',
        data: { passwordHash: await hashPassword(newPassword), reset: false },
      },
      context,
    );
    const sessionId = randomUUID();
    return this.sessions.open(accountPrincipal(state), sessionId, false, context.client ?? {});
  }

  /** An admin sets a new, generated password; the user must change it at the next login. */
  async resetPassword(username: string, context: CommandContext) {
    const password = generatePassword();
    const result = await this.run(
      username,
      { type: 'ChangePassword', data: { passwordHash: await hashPassword(password), reset: true } },
      context,
    );
    // A retry of a reset that happened: the password generated now was never stored.
    if (result.replayed) throw passwordNotRepeated();
    return { result, temporaryPassword: password };
  }

  /**
   * The first admin, from SAOLOU_ADMIN_USERNAME and SAOLOU_ADMIN_PASSWORD on start; nothing
   * when they are unset or the account exists. No password is built into the code.
   */
  async onApplicationBootstrap(): Promise<void> {
    const username = this.config.SAOLOU_ADMIN_USERNAME;
    const password = this.config.SAOLOU_ADMIN_PASSWORD;
    if (username && password) {
      const now = this.clock.now();
      try {
        const { result } = await this.create(
          {
            username,
            displayName: 'Administrator',
            role: 'admin',
            department: null,
            street: null,
            password,
          },
          {
            commandId: `bootstrap:admin:${username}`,
            actor: 'system:bootstrap',
            correlationId: 'bootstrap',
            now,
          },
          { mustChangePassword: false },
        );
        if (!result.replayed) this.logger.log(`created the first admin account: ${username}`);
      } catch (error) {
        if (error instanceof DomainError && error.code === AccountErrors.alreadyExists) return;
        throw error;
      }
      return;
    }
    const admins = await this.dataSource.getRepository(UserAccount).countBy({ role: 'admin' });
    if (admins === 0) {
      this.logger.warn(
        'no admin account yet: set SAOLOU_ADMIN_USERNAME and SAOLOU_ADMIN_PASSWORD, or run npm run create-admin',
      );
    }
  }
}
