import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { campaignDecider, campaignStreamId, type CampaignCommand } from '#domain';
import {
  handleCommand,
  type CommandContext,
  type CommandRequest,
  type CommandResult,
  type EventStore,
} from '#event-store';
import { EVENT_STORE } from '../infrastructure/tokens.js';

/** Every campaign command (create, close): the campaign decider through the one command path. */
export class CampaignCommandMessage extends Command<CommandResult> {
  constructor(
    readonly campaignId: string,
    readonly command: CommandRequest<CampaignCommand>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(CampaignCommandMessage)
export class CampaignCommandHandler implements ICommandHandler<CampaignCommandMessage> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  execute({ campaignId, command, context }: CampaignCommandMessage) {
    return handleCommand(
      this.store,
      campaignDecider,
      campaignStreamId(campaignId),
      command,
      context,
    );
  }
}
