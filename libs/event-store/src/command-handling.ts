import { DomainError, fold, type Command, type Decider, type Event } from '#domain';
import {
  replayFor,
  WrongExpectedVersionError,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type IdempotencyKey,
  type Position,
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
  /** The request's method and path (recorded with its idempotency key). */
  readonly route?: string;
}

/** The idempotency key a command's append is recorded under, when the request sent one. */
export function idempotencyOf(context: CommandContext): IdempotencyKey | undefined {
  return context.fingerprint
    ? { key: context.commandId, fingerprint: context.fingerprint, route: context.route ?? '' }
    : undefined;
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

export interface HandleOptions {
  /** The version the client last saw (If-Match). When given, a mismatch is not retried. */
  readonly expectedVersion?: number;
  /** How a version conflict is retried (default: CONFLICT_RETRY). */
  readonly retry?: ConflictRetry;
}

/**
 * How a command that lost a race for its stream is retried, with the state the winner
 * left: after a jittered exponential backoff ("full jitter": a random wait up to
 * base·2^attempt, capped), for as long as the time budget lasts. Writers piling onto one
 * stream (200 progress notes on one case at once) spread out instead of colliding again in
 * lockstep; each retry decides afresh, so a step the new state refuses still answers
 * 409, and a client's If-Match is never retried (412).
 */
export interface ConflictRetry {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Time since the first attempt after which a conflict is no longer retried. */
  readonly budgetMs: number;
}

export const CONFLICT_RETRY: ConflictRetry = { baseDelayMs: 4, maxDelayMs: 200, budgetMs: 5_000 };

/** The wait before retry number `attempt` (0-based), or null when the budget is spent. */
export function conflictBackoff(
  retry: ConflictRetry,
  attempt: number,
  elapsedMs: number,
  random: () => number = Math.random,
): number | null {
  if (elapsedMs >= retry.budgetMs) return null;
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.min(attempt, 20));
  return Math.min(Math.floor(random() * ceiling), retry.budgetMs - elapsedMs);
}

export type CommandStore = Pick<
  EventStore,
  'readStream' | 'appendToStream' | 'findAppend' | 'findIdempotent'
>;

const fromAppend = (r: AppendResult): CommandResult => ({
  streamId: r.streamId,
  version: r.nextExpectedVersion,
  position: r.position,
  replayed: r.replayed,
});

/**
 * The one command handler: read the stream, fold `evolve`, `decide`, append with the
 * version read. A version conflict (someone wrote in between) is retried with fresh
 * state after a jittered backoff, within a time budget (conflictBackoff), unless the
 * client named the version it expects.
 */
export async function handleCommand<S, C extends Command, E extends Event>(
  store: CommandStore,
  decider: Decider<S, C, E>,
  streamId: string,
  command: C,
  context: CommandContext,
  options: HandleOptions = {},
): Promise<CommandResult> {
  const retry = options.retry ?? CONFLICT_RETRY;
  const started = Date.now();
  const firstEventId = eventIdFor(context.commandId, streamId, 0);
  const metadata = metadataFor(context);
  const idempotency = idempotencyOf(context);
  // What a command id already produced: under an idempotency key, whatever route or
  // record it was used for (a reuse elsewhere then answers 422, not this route's refusal).
  const firstResult = () =>
    idempotency && store.findIdempotent
      ? store.findIdempotent(idempotency.key)
      : store.findAppend(firstEventId);
  const replay = (result: AppendResult) =>
    fromAppend(replayFor(result, context.commandId, context.fingerprint));

  const attemptOnce = async (): Promise<CommandResult> => {
    const { events: recorded, version } = await store.readStream(streamId);
    let events: E[];
    try {
      if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
        throw new WrongExpectedVersionError(streamId, options.expectedVersion);
      }
      events = decider.decide(command, fold(decider, recorded as unknown as E[]));
    } catch (error) {
      // A retried command meets the state its first run produced and may be refused by
      // it (a case cannot be opened twice); answer with the first run's result instead.
      if (error instanceof DomainError || error instanceof WrongExpectedVersionError) {
        const first = await firstResult();
        if (first) return replay(first);
      }
      throw error;
    }
    if (events.length === 0) return { streamId, version, position: null, replayed: false };
    const result = await store.appendToStream(
      streamId,
      events.map((event, index) => ({
        eventId: index === 0 ? firstEventId : eventIdFor(context.commandId, streamId, index),
        type: event.type,
        data: event.data,
        metadata,
      })),
      { expectedVersion: version < 0 ? 'no_stream' : version, idempotency },
    );
    return result.replayed ? replay(result) : fromAppend(result);
  };

  for (let attempt = 0; ; attempt++) {
    try {
      return await inStreamTurn(streamId, attemptOnce);
    } catch (error) {
      const wait =
        error instanceof WrongExpectedVersionError && options.expectedVersion === undefined
          ? conflictBackoff(retry, attempt, Date.now() - started)
          : null;
      if (wait === null) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

const turns = new Map<string, Promise<void>>();

/**
 * Runs one read–decide–append of a stream after the ones this process already started on
 * it: commands on one case inside one process take turns instead of racing (and failing)
 * against each other; only writers in other processes can still conflict, and those are
 * retried with conflictBackoff. The turn is per attempt, so a backoff never holds it.
 */
export async function inStreamTurn<T>(streamId: string, work: () => Promise<T>): Promise<T> {
  const previous = turns.get(streamId);
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous ? previous.then(() => mine) : mine;
  turns.set(streamId, tail);
  if (previous) await previous;
  try {
    return await work();
  } finally {
    release();
    if (turns.get(streamId) === tail) turns.delete(streamId);
  }
}
