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
import { SlaSettingsCache } from '../infrastructure/sla-settings.js';
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
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly slaSettings: SlaSettingsCache,
  ) {}
  async execute({ command, context }: SlaSettingsMessage) {
    const result = await handleCommand(
      this.store,
      slaSettingsDecider,
      SLA_SETTINGS_STREAM_ID,
      command,
      context,
    );
    // Every process's cached settings are dropped before the change is answered.
    if (result.position !== null) await this.slaSettings.changed();
    return result;
  }
}
