import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource, Not } from 'typeorm';
import {
  AccountErrors,
  conflict,
  normaliseUsername,
  type ChangeAssignment,
  type DisableUser,
  type EnableUser,
  type UnlockUser,
} from '#domain';
import {
  withFacts,
  type CommandContext,
  type CommandRequest,
  type CommandResult,
} from '#event-store';
import { UserAccount } from '#read-model';
import { Accounts } from '../../auth/accounts.js';
import { AdvisoryLocks } from '../../infrastructure/advisory-locks.js';

/** The steps an admin takes on an existing account, other than a password reset. */
export type AccountChange = CommandRequest<
  ChangeAssignment | UnlockUser | DisableUser | EnableUser,
  'catalogue'
>;

export class ChangeAccountCommand extends Command<{ username: string; result: CommandResult }> {
  constructor(
    readonly username: string,
    readonly change: AccountChange,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** The lock that serialises the steps that could leave no active admin. */
const ADMIN_SET_LOCK = 'saolou.active-admins';

/**
 * Runs an admin's step on an account, refusing one that would leave no active admin (no one
 * could manage accounts after it: 409 ACCOUNT.LAST_ADMIN). The rule spans accounts, so a
 * step that disables or demotes an admin holds a lock (AdvisoryLocks: in memory and in
 * PostgreSQL, so every process) while it counts the other active admins and runs: two admins
 * disabling each other at once take turns, and the second sees the first's event. The count
 * starts from the read model and confirms each admin on their own stream, so a read model
 * that lags cannot let one through.
 */
@CommandHandler(ChangeAccountCommand)
export class ChangeAccountHandler implements ICommandHandler<ChangeAccountCommand> {
  constructor(
    private readonly accounts: Accounts,
    private readonly dataSource: DataSource,
    private readonly locks: AdvisoryLocks,
  ) {}

  async execute({ username: raw, change, context }: ChangeAccountCommand) {
    const username = normaliseUsername(raw);
    const command =
      change.type === 'ChangeAssignment'
        ? withFacts<ChangeAssignment, 'catalogue'>(change, {
            catalogue: await this.accounts.catalogue(),
          })
        : change;
    const run = async () => ({
      username,
      result: await this.accounts.run(username, command, context),
    });
    const demotes =
      change.type === 'DisableUser' ||
      (change.type === 'ChangeAssignment' && change.data.role !== 'admin');
    if (!demotes) return run();
    return this.locks.withLock(ADMIN_SET_LOCK, async () => {
      if (await this.isLastAdmin(username)) {
        throw conflict(
          AccountErrors.lastAdmin,
          `${username} is the last active admin: make another admin first`,
        );
      }
      return run();
    });
  }

  /** Whether this account is the only active admin, each admin confirmed on their stream. */
  private async isLastAdmin(username: string): Promise<boolean> {
    const state = await this.accounts.state(username);
    if (state.status !== 'active' || state.role !== 'admin') return false;
    const others = await this.dataSource
      .getRepository(UserAccount)
      .findBy({ role: 'admin', status: 'active', username: Not(username) });
    for (const other of others) {
      const current = await this.accounts.state(other.username);
      if (current.status === 'active' && current.role === 'admin') return false;
    }
    return true;
  }
}
