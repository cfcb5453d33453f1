import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  caseDecider,
  caseStreamId,
  enterpriseDecider,
  enterpriseStreamId,
  fold,
  normaliseCreditCode,
  type AssignCase,
  type EnterpriseEvent,
  type RecordFirstResponse,
  type ResolveCase,
} from '#domain';
import {
  handleCommand,
  type CommandContext,
  type CommandResult,
  type EventStore,
} from '#event-store';
import { EVENT_STORE } from '../infrastructure/tokens.js';

export class OpenCaseCommand extends Command<CommandResult> {
  constructor(
    readonly caseId: string,
    readonly data: { enterpriseId: string; category: string; description: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(OpenCaseCommand)
export class OpenCaseHandler implements ICommandHandler<OpenCaseCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ caseId, data, context }: OpenCaseCommand): Promise<CommandResult> {
    // The enterprise as its own stream says it is (not the read model, which may lag).
    const { events } = await this.store.readStream(
      enterpriseStreamId(normaliseCreditCode(data.enterpriseId)),
    );
    const enterprise = fold(enterpriseDecider, events as unknown as EnterpriseEvent[]);
    return handleCommand(
      this.store,
      caseDecider,
      caseStreamId(caseId),
      {
        type: 'OpenCase',
        data: {
          caseId,
          category: data.category,
          description: data.description,
          enterprise: enterprise.status === 'registered' ? enterprise : null,
        },
        now: context.now,
      },
      context,
    );
  }
}

/** A command on an existing case: assign, first response, resolve. */
export type CaseChange = AssignCase | RecordFirstResponse | ResolveCase;

export class ChangeCaseCommand extends Command<CommandResult> {
  constructor(
    readonly caseId: string,
    readonly change: Pick<CaseChange, 'type' | 'data'>,
    readonly context: CommandContext,
    /** From If-Match: the version the client saw. */
    readonly expectedVersion?: number,
  ) {
    super();
  }
}

@CommandHandler(ChangeCaseCommand)
export class ChangeCaseHandler implements ICommandHandler<ChangeCaseCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ caseId, change, context, expectedVersion }: ChangeCaseCommand): Promise<CommandResult> {
    return handleCommand(
      this.store,
      caseDecider,
      caseStreamId(caseId),
      { ...change, now: context.now } as CaseChange,
      context,
      { expectedVersion },
    );
  }
}
