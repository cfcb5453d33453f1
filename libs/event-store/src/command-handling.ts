import {
  DomainError,
  type Command,
  type Decider,
  type Event,
  type MultiStreamDecider,
} from '#domain';
import {
  comparePositions,
  replayFor,
  WrongExpectedVersionError,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type IdempotencyKey,
  type Position,
  type ReadStreamResult,
  type RecordedEvent,
} from './event-store.js';
import { eventIdFor } from './event-ids.js';
import type { RecentStreams } from './recent-streams.js';

/** The acting account as its token said when the command was handled. */
export type ActorDetails = NonNullable<EventMetadata['actorDetails']>;

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
  /** The instant the command is handled at: it becomes the command's `now`. */
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

/**
 * A command as a caller sends it: its type and data, without `now` (the handler takes it
 * from the context's clock) and without the facts `K` the handler looks up itself (the
 * reference catalogue, an enterprise's facts). Distributes over a command union.
 */
export type CommandRequest<C extends Command, K extends PropertyKey = never> =
  C extends Command<infer T, infer D>
    ? { readonly type: T; readonly data: [K] extends [never] ? D : Omit<D, K & keyof D> }
    : never;

/** A request completed with the facts the handler looked up (added to its data). */
export function withFacts<C extends Command, K extends PropertyKey>(
  request: CommandRequest<C, K>,
  facts: { readonly [P in K]?: unknown },
): CommandRequest<C> {
  return { type: request.type, data: { ...(request.data as object), ...facts } } as never;
}

/** The command a request becomes, at the context's instant (the one place that happens). */
const commandOf = <C extends Command>(request: CommandRequest<C>, now: Date): C =>
  ({ type: request.type, data: request.data, now }) as unknown as C;

/** The state of a stream as its decider folds it (the one cast of recorded events to a union). */
export function foldRecorded<S, E extends Event>(
  decider: Pick<Decider<S, Command, E>, 'initialState' | 'evolve'>,
  recorded: readonly RecordedEvent[],
): S {
  let state = decider.initialState();
  for (const event of recorded as unknown as readonly E[]) state = decider.evolve(state, event);
  return state;
}

/** A recorded event of the union `E`: its type and data typed, member by member. */
export type RecordedOf<E extends Event> =
  E extends Event<infer T, infer D> ? RecordedEvent<T, D> : never;

/**
 * A recorded event as a member of the union `E`, checked against `E`'s list of types: the
 * read side's one cast from what the log holds to what the domain names. An event of any
 * other type throws instead of being read as something it is not.
 */
export function recordedAs<E extends Event>(
  recorded: RecordedEvent,
  types: readonly E['type'][],
): RecordedOf<E> {
  if (!(types as readonly string[]).includes(recorded.type))
    throw new Error(`${recorded.type} (${recorded.eventId}) is none of ${types.join(', ')}`);
  return recorded as RecordedOf<E>;
}

/** Reads a stream and folds it: its state, version and events. */
export async function readState<S, E extends Event>(
  store: Pick<EventStore, 'readStream'>,
  decider: Pick<Decider<S, Command, E>, 'initialState' | 'evolve'>,
  streamId: string,
): Promise<{ state: S; version: number; events: readonly RecordedEvent[] }> {
  const { events, version } = await store.readStream(streamId);
  return { state: foldRecorded(decider, events), version, events };
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
  /** Tries after the first on a version conflict at most (default: as many as the budget allows). */
  readonly maxRetries?: number;
  /** How long conflicts are retried, from the first attempt (default: `CONFLICT_RETRIES.budgetMs`). */
  readonly retryBudgetMs?: number;
  /**
   * Who may: called on the folded state (and the recorded stream) of each attempt, before
   * `decide`; throws a DomainError to refuse. The append is checked against the version
   * this state was folded from, so a permission cannot outlive a concurrent change.
   */
  readonly authorize?: (state: S, recorded: readonly RecordedEvent[]) => void;
  /**
   * The streams this process decided on lately: a stream held there is decided on as held
   * and appended to at its version, without a read (see RecentStreams).
   */
  readonly recent?: RecentStreams;
  /**
   * The stream's id was made for this command (derived from its id): it cannot exist unless
   * this is the command's retry, so the first attempt decides on the initial state without
   * a read. A retry's append fails on its stored first event or key and is answered with the
   * first run's result; a refusal is decided again on a read.
   */
  readonly newStream?: boolean;
}

/**
 * The retry policy for version conflicts, in one place. A command that lost a race for its
 * stream is tried again on the state the winner left, after a jittered exponential
 * backoff ("full jitter": a random wait up to base·2^attempt, capped), for as long as the
 * time budget lasts: writers piling onto one stream (200 progress notes on one case at
 * once) spread out instead of colliding again in lockstep. Inside one process, attempts on
 * one stream also take turns (inStreamTurn), so only writers in other processes conflict.
 * Each retry decides afresh: a step the new state refuses still answers 409, and a
 * client's If-Match is never retried (412).
 */
export const CONFLICT_RETRIES = {
  budgetMs: 5_000,
  baseDelayMs: 4,
  maxDelayMs: 200,
  /** The wait before retry number `attempt` (0-based). */
  delayMs(attempt: number, random: () => number = Math.random): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(attempt, 20));
    return Math.floor(random() * ceiling);
  },
};

/** Runs `attempt` again on a version conflict, as the retry policy says. */
async function retryingConflicts<T>(
  streamId: string,
  options: Pick<HandleOptions, 'expectedVersion' | 'maxRetries' | 'retryBudgetMs'>,
  attempt: () => Promise<T>,
): Promise<T> {
  const budget = options.retryBudgetMs ?? CONFLICT_RETRIES.budgetMs;
  const maxRetries = options.maxRetries ?? Number.POSITIVE_INFINITY;
  const started = Date.now();
  for (let n = 0; ; n++) {
    try {
      return await inStreamTurn(streamId, attempt);
    } catch (error) {
      // With an expected version the client named, a conflict is its answer (412).
      const left = budget - (Date.now() - started);
      const retry =
        error instanceof WrongExpectedVersionError &&
        options.expectedVersion === undefined &&
        n < maxRetries &&
        left > 0;
      if (!retry) throw error;
      const delay = Math.min(CONFLICT_RETRIES.delayMs(n), left);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

const turns = new Map<string, Promise<void>>();

/**
 * Runs one read–decide–append of a stream after the ones this process already started on
 * it: commands on one case inside one process take turns instead of racing (and failing)
 * against each other. The turn is per attempt, so a backoff never holds it.
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
 * One attempt's read, fold, authorize and decide. A refusal of a command that was already
 * handled (its first event id is stored: a retry meets the state its first run produced)
 * is answered with the first run's result instead. A stream taken from `recent` (or assumed
 * new) that refuses is read from the store and decided again before a refusal stands.
 */
async function decideOn<S, C extends Command, E, R>(
  store: Pick<EventStore, 'readStream' | 'findAppend' | 'findIdempotent'>,
  decider: Pick<Decider<S, C, Event>, 'initialState' | 'evolve'> & {
    decide(command: C, state: S): E;
  },
  streamId: string,
  command: C,
  firstEventId: string,
  options: HandleOptions<S> & { readonly start: 'held' | 'new' | 'store' },
  replay: (first: AppendResult) => Promise<R>,
  idempotency?: IdempotencyKey,
): Promise<{ decided: E; read: ReadStreamResult; held: boolean } | { replayed: R }> {
  const fresh = async () => {
    const read = await store.readStream(streamId);
    options.recent?.remember(streamId, read);
    return read;
  };
  let held: ReadStreamResult | undefined =
    options.start === 'new'
      ? { events: [], version: -1 }
      : options.start === 'held'
        ? options.recent?.get(streamId)
        : undefined;
  let read = held ?? (await fresh());
  for (;;) {
    try {
      const state = foldRecorded(decider, read.events);
      // Who may comes first: a stream out of the caller's reach answers as a missing one
      // does, whatever version the caller names.
      options.authorize?.(state, read.events);
      if (options.expectedVersion !== undefined && options.expectedVersion !== read.version) {
        throw new WrongExpectedVersionError(streamId, options.expectedVersion);
      }
      return { decided: decider.decide(command, state), read, held: held !== undefined };
    } catch (error) {
      const refused = error instanceof DomainError || error instanceof WrongExpectedVersionError;
      if (refused && held) {
        // Decided on what this process held: the store's stream has the last word.
        held = undefined;
        options.recent?.forget(streamId);
        read = await fresh();
        continue;
      }
      if (refused) {
        // Under an idempotency key, whatever route or record the key was used for: a reuse
        // elsewhere answers 422, not this route's refusal.
        const first =
          idempotency && store.findIdempotent
            ? await store.findIdempotent(idempotency.key)
            : await store.findAppend(firstEventId);
        if (first) return { replayed: await replay(first) };
      }
      throw error;
    }
  }
}

/**
 * The one command handler: read the stream, fold `evolve`, decide who may (`authorize`)
 * and what happens (`decide`), append with the version read. A version conflict (someone
 * wrote in between) is retried on fresh state as `CONFLICT_RETRIES` says, unless the
 * client named the version it expects. A retried command id is answered with its first
 * result. The command's `now` is the context's.
 */
export async function handleCommand<S, C extends Command, E extends Event>(
  store: CommandStore,
  decider: Decider<S, C, E>,
  streamId: string,
  request: CommandRequest<C>,
  context: CommandContext,
  options: HandleOptions<S> = {},
): Promise<CommandResult> {
  const command = commandOf<C>(request, context.now);
  const firstEventId = eventIdFor(context.commandId, streamId, 0);
  const metadata = metadataFor(context);
  const idempotency = idempotencyOf(context);
  const replay = async (result: AppendResult) =>
    fromAppend(replayFor(result, context.commandId, context.fingerprint));

  let attempts = 0;
  return retryingConflicts(streamId, options, async () => {
    let start: 'held' | 'new' | 'store' =
      options.newStream === true && attempts++ === 0 ? 'new' : 'held';
    for (;;) {
      const outcome = await decideOn(
        store,
        decider,
        streamId,
        command,
        firstEventId,
        { ...options, start },
        replay,
        idempotency,
      );
      if ('replayed' in outcome) return outcome.replayed;
      const { decided: events, read, held } = outcome;
      const version = read.version;
      if (events.length === 0) return { streamId, version, position: null, replayed: false };
      const toAppend = events.map((event, index) => ({
        eventId: index === 0 ? firstEventId : eventIdFor(context.commandId, streamId, index),
        type: event.type,
        data: event.data,
        metadata,
      }));
      let result: AppendResult;
      try {
        result = await store.appendToStream(streamId, toAppend, {
          expectedVersion: version < 0 ? 'no_stream' : version,
          idempotency,
        });
      } catch (error) {
        options.recent?.forget(streamId);
        // Decided on a held (or assumed new) stream that moved on elsewhere: decide again at
        // once on the stored stream, as if it had been read first — its refusal, its reach
        // and the client's If-Match are answered as a fresh read would answer them.
        if (held && error instanceof WrongExpectedVersionError) {
          start = 'store';
          continue;
        }
        throw error;
      }
      options.recent?.appended(streamId, read, toAppend, result);
      return result.replayed ? replay(result) : fromAppend(result);
    }
  });
}

export interface MultiStreamResult {
  /** Per stream written, in the decider's order. */
  readonly streams: readonly CommandResult[];
  /** The latest position written: wait for it to read every stream's projection. */
  readonly position: Position | null;
  readonly replayed: boolean;
}

export type MultiStreamCommandStore = Pick<
  EventStore,
  'readStream' | 'findAppend' | 'findIdempotent' | 'appendToStreams'
>;

const latest = (positions: readonly Position[]): Position | null =>
  positions.reduce<Position | null>(
    (a, b) => (a === null || comparePositions(b, a) > 0 ? b : a),
    null,
  );

/**
 * The multi-stream sibling of `handleCommand`: one decision on the state of `streamId`,
 * appended to every stream it names in one transaction — the decided-on stream with the
 * version read, the others new (`no_stream`) — all or none. Retries, idempotent replay
 * and `authorize` as in `handleCommand`. `alsoWrites` names the other streams the command
 * may have written, so that a retry is answered with all of the first run's results.
 */
export async function handleMultiStreamCommand<S, C extends Command, E extends Event>(
  store: MultiStreamCommandStore,
  decider: MultiStreamDecider<S, C, E>,
  streamId: string,
  request: CommandRequest<C>,
  context: CommandContext,
  options: Omit<HandleOptions<S>, 'recent' | 'newStream'> & {
    readonly alsoWrites?: readonly string[];
  } = {},
): Promise<MultiStreamResult> {
  const command = commandOf<C>(request, context.now);
  const metadata = metadataFor(context);
  const firstEventId = eventIdFor(context.commandId, streamId, 0);
  const idempotency = idempotencyOf(context);
  const answer = (results: readonly AppendResult[], replayed: boolean): MultiStreamResult => {
    const streams = results.map((r) =>
      r.replayed ? fromAppend(replayFor(r, context.commandId, context.fingerprint)) : fromAppend(r),
    );
    return { streams, position: latest(streams.map((s) => s.position!)), replayed };
  };
  const replay = async (first: AppendResult) => {
    const others = await Promise.all(
      (options.alsoWrites ?? []).map((s) => store.findAppend(eventIdFor(context.commandId, s, 0))),
    );
    return answer([first, ...others.filter((r): r is AppendResult => r !== null)], true);
  };

  return retryingConflicts(streamId, options, async () => {
    const outcome = await decideOn(
      store,
      decider,
      streamId,
      command,
      firstEventId,
      { ...options, start: 'store' },
      replay,
      idempotency,
    );
    if ('replayed' in outcome) return outcome.replayed;
    const { decided } = outcome;
    const version = outcome.read.version;
    const writes = decided.filter((d) => d.events.length > 0);
    if (writes.length === 0) return { streams: [], position: null, replayed: false };
    const results = await store.appendToStreams(
      writes.map((d) => ({
        streamId: d.streamId,
        expectedVersion: d.streamId === streamId && version >= 0 ? version : 'no_stream',
        events: d.events.map((event, index) => ({
          eventId: eventIdFor(context.commandId, d.streamId, index),
          type: event.type,
          data: event.data,
          metadata,
        })),
      })),
      { idempotency },
    );
    return answer(
      results,
      results.every((r) => r.replayed),
    );
  });
}
