import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SLA_SETTINGS_STREAM_ID, slaSettingsDecider, type SlaSettingsCommand } from '#domain';
import {
  handleCommand,
  type CommandContext,
  type CommandRequest,
  type CommandResult,
  type EventStore,
} from '#event-store';
import { EVENT_STORE } from '../infrastructure/tokens.js';

export class SlaSettingsMessage extends Command<CommandResult> {
  constructor(
    readonly command: CommandRequest<SlaSettingsCommand>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(SlaSettingsMessage)
export class SlaSettingsHandler implements ICommandHandler<SlaSettingsMessage> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  execute({ command, context }: SlaSettingsMessage) {
    return handleCommand(this.store, slaSettingsDecider, SLA_SETTINGS_STREAM_ID, command, context);
  }
}
