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

/**
 * Runs an admin's step on an account, refusing one that would leave no active admin (no one
 * could manage accounts after it: 409 ACCOUNT.LAST_ADMIN). The rule spans accounts, so it is
 * checked on the read model before the account's own command, which decides the rest.
 */
@CommandHandler(ChangeAccountCommand)
export class ChangeAccountHandler implements ICommandHandler<ChangeAccountCommand> {
  constructor(
    private readonly accounts: Accounts,
    private readonly dataSource: DataSource,
  ) {}

  async execute({ username: raw, change, context }: ChangeAccountCommand) {
    const username = normaliseUsername(raw);
    const demotes =
      change.type === 'DisableUser' ||
      (change.type === 'ChangeAssignment' && change.data.role !== 'admin');
    if (demotes && (await this.isLastAdmin(username))) {
      throw conflict(
        AccountErrors.lastAdmin,
        `${username} is the last active admin: make another admin first`,
      );
    }
    const command =
      change.type === 'ChangeAssignment'
        ? withFacts<ChangeAssignment, 'catalogue'>(change, {
            catalogue: await this.accounts.catalogue(),
          })
        : change;
    return { username, result: await this.accounts.run(username, command, context) };
  }

  /** Whether this account is the only active admin. */
  private async isLastAdmin(username: string): Promise<boolean> {
    const state = await this.accounts.state(username);
    if (state.status !== 'active' || state.role !== 'admin') return false;
    const others = await this.dataSource
      .getRepository(UserAccount)
      .countBy({ role: 'admin', status: 'active', username: Not(username) });
    return others === 0;
  }
}
