import { DomainError, fold, type Command, type Decider, type Event } from '#domain';
import {
  replayFor,
  WrongExpectedVersionError,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type Position,
  type RecordedEvent,
} from './event-store.js';
import { eventIdFor } from './event-ids.js';

/** Who and what a command is, as the edge saw it. */
export interface CommandContext {
  /** Idempotency key: the same id means the same command, stored once. */
  readonly commandId: string;
  /** Who acts: a user id, or `system:<name>` for the application's own workers. */
  readonly actor: string;
  /** The acting account as its token says: recorded with every event it causes. */
  readonly actorDetails?: ActorDetails;
  /** Where the request came from. */
  readonly client?: { readonly ip?: string; readonly userAgent?: string };
  readonly correlationId: string;
  readonly causationId?: string;
  readonly now: Date;
  /** A hash of the request, when it carried an idempotency key. */
  readonly fingerprint?: string;
}

export interface ActorDetails {
  readonly username: string;
  readonly displayName: string;
  readonly role: string;
  readonly department: string | null;
  readonly street: string | null;
}

/** The metadata every event of a command carries: who, from where, under which command. */
export function metadataFor(context: CommandContext): EventMetadata {
  return {
    actor: context.actor,
    ...(context.actorDetails ? { actorDetails: context.actorDetails } : {}),
    ...(context.client ? { client: context.client } : {}),
    commandId: context.commandId,
    correlationId: context.correlationId,
    causationId: context.causationId ?? context.commandId,
    occurredAt: context.now.toISOString(),
    ...(context.fingerprint ? { fingerprint: context.fingerprint } : {}),
  };
}

export interface CommandResult {
  readonly streamId: string;
  /** The stream's version after the command (-1: no stream). */
  readonly version: number;
  /** Where the command's last event sits in the global log; null when it wrote nothing. */
  readonly position: Position | null;
  /** True when this command id was handled before and this is its first result. */
  readonly replayed: boolean;
}

export interface HandleOptions<S = unknown> {
  /** The version the client last saw (If-Match). When given, a mismatch is not retried. */
  readonly expectedVersion?: number;
  readonly maxRetries?: number;
  /**
   * Who may: called on the folded state (and the recorded stream) of each attempt, before
   * `decide`; throws a DomainError to refuse. The append is checked against the version
   * this state was folded from, so a permission cannot outlive a concurrent change.
   */
  readonly authorize?: (state: S, recorded: readonly RecordedEvent[]) => void;
}

export type CommandStore = Pick<EventStore, 'readStream' | 'appendToStream' | 'findAppend'>;

const fromAppend = (r: AppendResult): CommandResult => ({
  streamId: r.streamId,
  version: r.nextExpectedVersion,
  position: r.position,
  replayed: r.replayed,
});

/**
 * The one command handler: read the stream, fold `evolve`, `decide`, append with the
 * version read. A version conflict (someone wrote in between) is retried with fresh
 * state, a bounded number of times, unless the client named the version it expects.
 */
export async function handleCommand<S, C extends Command, E extends Event>(
  store: CommandStore,
  decider: Decider<S, C, E>,
  streamId: string,
  command: C,
  context: CommandContext,
  options: HandleOptions<S> = {},
): Promise<CommandResult> {
  const maxRetries = options.maxRetries ?? 3;
  const firstEventId = eventIdFor(context.commandId, streamId, 0);
  const metadata = metadataFor(context);
  const replay = (result: AppendResult) =>
    fromAppend(replayFor(result, context.commandId, context.fingerprint));

  for (let attempt = 0; ; attempt++) {
    const { events: recorded, version } = await store.readStream(streamId);
    let events: E[];
    try {
      if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
        throw new WrongExpectedVersionError(streamId, options.expectedVersion);
      }
      const state = fold(decider, recorded as unknown as E[]);
      options.authorize?.(state, recorded);
      events = decider.decide(command, state);
    } catch (error) {
      // A retried command meets the state its first run produced and may be refused by
      // it (a case cannot be opened twice); answer with the first run's result instead.
      if (error instanceof DomainError || error instanceof WrongExpectedVersionError) {
        const first = await store.findAppend(firstEventId);
        if (first) return replay(first);
      }
      throw error;
    }
    if (events.length === 0) return { streamId, version, position: null, replayed: false };
    try {
      const result = await store.appendToStream(
        streamId,
        events.map((event, index) => ({
          eventId: index === 0 ? firstEventId : eventIdFor(context.commandId, streamId, index),
          type: event.type,
          data: event.data,
          metadata,
        })),
        { expectedVersion: version < 0 ? 'no_stream' : version },
      );
      return result.replayed ? replay(result) : fromAppend(result);
    } catch (error) {
      const retry =
        error instanceof WrongExpectedVersionError &&
        options.expectedVersion === undefined &&
        attempt < maxRetries;
      if (!retry) throw error;
    }
  }
}
