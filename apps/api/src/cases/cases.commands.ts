import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  caseDecider,
  caseStreamId,
  enterpriseDecider,
  enterpriseStreamId,
  fold,
  normaliseCreditCode,
  type CaseCommand,
  type EnterpriseEvent,
  type EnterpriseFacts,
} from '#domain';
import {
  handleCommand,
  type CommandContext,
  type CommandResult,
  type EventStore,
} from '#event-store';
import { EVENT_STORE } from '../infrastructure/tokens.js';
import { Catalogues } from '../reference/reference.js';

/** The enterprise as its own stream says (not the read model, which may lag). */
export async function enterpriseFacts(
  store: EventStore,
  enterpriseId: string,
): Promise<EnterpriseFacts | null> {
  const { events } = await store.readStream(enterpriseStreamId(normaliseCreditCode(enterpriseId)));
  const state = fold(enterpriseDecider, events as unknown as EnterpriseEvent[]);
  return state.status === 'unregistered'
    ? null
    : {
        enterpriseId: state.enterpriseId,
        name: state.name,
        street: state.street,
        archived: state.status === 'archived',
      };
}

type WithoutFacts<T> = T extends { data: infer D }
  ? Omit<T, 'now' | 'data'> & { data: Omit<D, 'catalogue' | 'enterprise'> }
  : never;
/** A case command as the edge builds it: the handler adds the time, the catalogue and the enterprise. */
export type CaseRequest = WithoutFacts<CaseCommand> & { enterpriseId?: string };

export class CaseCommandMessage extends Command<CommandResult> {
  constructor(
    readonly caseId: string,
    readonly request: CaseRequest,
    readonly context: CommandContext,
    /** From If-Match: the version the client saw. */
    readonly expectedVersion?: number,
  ) {
    super();
  }
}

@CommandHandler(CaseCommandMessage)
export class CaseCommandHandler implements ICommandHandler<CaseCommandMessage> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly catalogues: Catalogues,
  ) {}

  async execute({
    caseId,
    request,
    context,
    expectedVersion,
  }: CaseCommandMessage): Promise<CommandResult> {
    const { enterpriseId, ...rest } = request;
    const data: Record<string, unknown> = { ...rest.data };
    if (rest.type === 'OpenCase') {
      data.caseId = caseId;
      data.enterprise = await enterpriseFacts(this.store, enterpriseId!);
    }
    if (rest.type === 'OpenCase' || rest.type === 'DispatchCase' || rest.type === 'TransferCase') {
      data.catalogue = await this.catalogues.current();
    }
    const command = { type: rest.type, data, now: context.now } as CaseCommand;
    return handleCommand(this.store, caseDecider, caseStreamId(caseId), command, context, {
      expectedVersion,
    });
  }
}
