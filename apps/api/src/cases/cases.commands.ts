import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  authorizeOnCase,
  caseDecider,
  caseScopeOf,
  caseStreamId,
  CASE_COMMAND_ACTIONS,
  enterpriseDecider,
  enterpriseStreamId,
  fold,
  normaliseCreditCode,
  type CaseCommand,
  type EnterpriseEvent,
  type EnterpriseFacts,
  type Principal,
  type Role,
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

/**
 * The acting account of a command, as the edge recorded it; null for the application's own
 * workers and seeds (no account acts, no person's permission applies).
 */
export function principalOfContext(context: CommandContext): Principal | null {
  const d = context.actorDetails;
  if (!d) return null;
  return {
    userId: context.actor,
    username: d.username,
    displayName: d.displayName,
    role: d.role as Role,
    department: d.department,
    street: d.street,
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
    const who = principalOfContext(context);
    const action = CASE_COMMAND_ACTIONS[command.type];
    return handleCommand(this.store, caseDecider, caseStreamId(caseId), command, context, {
      expectedVersion,
      // Who may, decided on the state this attempt decides and appends on.
      authorize: who
        ? (state, recorded) =>
            authorizeOnCase(who, action, caseScopeOf(state, recorded[0]?.metadata.actor ?? null))
        : undefined,
    });
  }
}
