import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  enterpriseDecider,
  enterpriseStreamId,
  normaliseCreditCode,
  type EnterpriseCommand,
} from '#domain';
import {
  handleCommand,
  withFacts,
  type CommandRequest,
  type CommandContext,
  type CommandResult,
  type EventStore,
} from '#event-store';
import { EVENT_STORE } from '../infrastructure/tokens.js';
import { Catalogues } from '../reference/catalogues.js';

export class EnterpriseCommandMessage extends Command<CommandResult> {
  constructor(
    readonly enterpriseId: string,
    readonly command: CommandRequest<EnterpriseCommand, 'catalogue'>,
    readonly context: CommandContext,
    /** From If-Match: the version the client saw. */
    readonly expectedVersion?: number,
  ) {
    super();
  }
}

@CommandHandler(EnterpriseCommandMessage)
export class EnterpriseCommandHandler implements ICommandHandler<EnterpriseCommandMessage> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly catalogues: Catalogues,
  ) {}

  async execute({
    enterpriseId,
    command,
    context,
    expectedVersion,
  }: EnterpriseCommandMessage): Promise<CommandResult> {
    return handleCommand(
      this.store,
      enterpriseDecider,
      enterpriseStreamId(normaliseCreditCode(enterpriseId)),
      withFacts(command, { catalogue: await this.catalogues.current() }),
      context,
      { expectedVersion },
    );
  }
}
