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
  normaliseCreditCode,
  type CaseCommand,
  type EnterpriseFacts,
  type Principal,
  type Role,
} from '#domain';
import {
  handleCommand,
  readState,
  RecentStreams,
  withFacts,
  type CommandContext,
  type CommandRequest,
  type CommandResult,
  type EventStore,
} from '#event-store';
import type { AppConfig } from '../config.js';
import { APP_CONFIG, EVENT_STORE } from '../infrastructure/tokens.js';
import { Catalogues } from '../reference/catalogues.js';

/** The enterprise as its own stream says (not the read model, which may lag). */
export async function enterpriseFacts(
  store: EventStore,
  enterpriseId: string,
): Promise<EnterpriseFacts | null> {
  const { state } = await readState(
    store,
    enterpriseDecider,
    enterpriseStreamId(normaliseCreditCode(enterpriseId)),
  );
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

/** The facts the case handler looks up itself: the reference catalogue and the enterprise. */
type CaseFacts = 'catalogue' | 'enterprise' | 'caseId';
/** A case command as the edge builds it (OpenCase names its enterprise by id). */
export type CaseRequest = CommandRequest<CaseCommand, CaseFacts> & { enterpriseId?: string };

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
  /** The cases this process stepped lately: a step on one appends without reading it first. */
  readonly recent: RecentStreams;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly catalogues: Catalogues,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.recent = new RecentStreams(config.STREAM_CACHE_MB * 1024 * 1024);
  }

  async execute({
    caseId,
    request,
    context,
    expectedVersion,
  }: CaseCommandMessage): Promise<CommandResult> {
    const { enterpriseId, ...rest } = request;
    const needsCatalogue = ['OpenCase', 'DispatchCase', 'TransferCase'].includes(rest.type);
    const command = withFacts<CaseCommand, CaseFacts>(rest, {
      ...(rest.type === 'OpenCase'
        ? { caseId, enterprise: await enterpriseFacts(this.store, enterpriseId!) }
        : {}),
      ...(needsCatalogue ? { catalogue: await this.catalogues.current() } : {}),
    });
    const who = principalOfContext(context);
    const action = CASE_COMMAND_ACTIONS[command.type];
    return handleCommand(this.store, caseDecider, caseStreamId(caseId), command, context, {
      expectedVersion,
      recent: this.recent,
      // A new case's id is derived from its command's id (entityIdFor).
      newStream: command.type === 'OpenCase',
      // Who may, decided on the state this attempt decides and appends on.
      authorize: who
        ? (state, recorded) =>
            authorizeOnCase(who, action, caseScopeOf(state, recorded[0]?.metadata.actor ?? null))
        : undefined,
    });
  }
}
