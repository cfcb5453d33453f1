import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { REFERENCE_STREAM_ID, referenceDecider, type ReferenceCommand } from '#domain';
import {
  handleCommand,
  type CommandContext,
  type CommandRequest,
  type CommandResult,
  type EventStore,
} from '#event-store';
import { EVENT_STORE } from '../../infrastructure/tokens.js';

import { Catalogues } from '../catalogues.js';

export class ChangeReferenceCommand extends Command<CommandResult> {
  constructor(
    readonly command: CommandRequest<ReferenceCommand>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ChangeReferenceCommand)
export class ChangeReferenceHandler implements ICommandHandler<ChangeReferenceCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly catalogues: Catalogues,
  ) {}

  async execute({ command, context }: ChangeReferenceCommand) {
    const result = await handleCommand(
      this.store,
      referenceDecider,
      REFERENCE_STREAM_ID,
      command,
      context,
    );
    if (result.position !== null) await this.catalogues.changed();
    return result;
  }
}
