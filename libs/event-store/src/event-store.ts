/**
 * The event store port. The PostgreSQL implementation is the default; a KurrentDB one can
 * sit behind the same interface and must pass the same contract suite
 * (testing/event-store-contract.ts).
 */

/** A point in the global log. Ordered by transaction id first, then global position. */
export interface Position {
  readonly transactionId: bigint;
  readonly globalPosition: bigint;
}

export const START: Position = Object.freeze({ transactionId: 0n, globalPosition: 0n });

export function comparePositions(a: Position, b: Position): number {
  if (a.transactionId !== b.transactionId) return a.transactionId < b.transactionId ? -1 : 1;
  if (a.globalPosition !== b.globalPosition) return a.globalPosition < b.globalPosition ? -1 : 1;
  return 0;
}

/** Positions travel through HTTP as `transactionId:globalPosition`. */
export const formatPosition = (p: Position) => `${p.transactionId}:${p.globalPosition}`;

export function parsePosition(token: string): Position | null {
  const match = /^(\d{1,19}):(\d{1,19})$/.exec(token);
  return match ? { transactionId: BigInt(match[1]!), globalPosition: BigInt(match[2]!) } : null;
}

export interface EventMetadata {
  /** Who caused the event: a user id, or `system:<name>` for the application's workers. */
  actor?: string;
  /** The acting account's name, role, department and street when the command was handled. */
  actorDetails?: {
    username: string;
    displayName: string;
    role: string;
    department: string | null;
    street: string | null;
  };
  /** The client's IP address and user agent. */
  client?: { ip?: string; userAgent?: string };
  /** The command that produced the event; event ids derive from it. */
  commandId?: string;
  correlationId?: string;
  causationId?: string;
  /** When the command was handled (the application clock), ISO 8601. */
  occurredAt?: string;
  /** A hash of the request that carried an idempotency key: a reuse for another request is refused. */
  fingerprint?: string;
  [key: string]: unknown;
}

export interface EventToAppend {
  /** Unique. Derive it from the command id (see eventIdFor) so a retried command is stored once. */
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: EventMetadata;
  /** Schema version of `data`; old versions are upcast on read. Default 1. */
  readonly schemaVersion?: number;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> {
  readonly eventId: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
  readonly schemaVersion: number;
  readonly streamId: string;
  readonly streamType: string;
  /** 0-based position in its stream. */
  readonly streamPosition: number;
  readonly position: Position;
  readonly recordedAt: Date;
}

/**
 * `no_stream`: the stream must not exist. `any`: append at the end, whatever it is.
 * A number: the stream's last event must be at that position (its version).
 */
export type ExpectedVersion = 'no_stream' | 'any' | number;

/**
 * An append made under an idempotency key: the key is recorded with the append, in the
 * same transaction, and a second append under it fails — answered with the first one's
 * result when it is the same request (fingerprint), IdempotencyKeyReusedError otherwise.
 */
export interface IdempotencyKey {
  /** The key, already scoped to its account (`<account>:<Idempotency-Key>`). */
  readonly key: string;
  /** What the request was (method, path, account, body), hashed. */
  readonly fingerprint: string;
  /** The request's method and path, for people reading the table. */
  readonly route: string;
}

export interface AppendOptions {
  expectedVersion?: ExpectedVersion;
  idempotency?: IdempotencyKey;
}

export interface AppendResult {
  readonly streamId: string;
  /** The stream's version after the append: pass it as the next expected version. */
  readonly nextExpectedVersion: number;
  /** Position of the last event written. */
  readonly position: Position;
  /** When the store recorded the last event written (a store that cannot say leaves it out). */
  readonly recordedAt?: Date;
  /** True when these event ids were already stored: this is the first append's result. */
  readonly replayed: boolean;
  /** On a replay: the fingerprint of the request that stored it (metadata.fingerprint), if any. */
  readonly fingerprint?: string;
}

export interface ReadStreamResult {
  readonly events: RecordedEvent[];
  /** Position of the stream's last event; -1 when the stream has no events. */
  readonly version: number;
}

export interface Subscription {
  /** Stops after the batch in hand; resolves when stopped. */
  stop(): Promise<void>;
  /** Settles when the subscription ends; rejects with the handler's error if it threw. */
  readonly done: Promise<void>;
}

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly EventToAppend[];
  readonly expectedVersion: ExpectedVersion;
}

export interface EventStore {
  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /**
   * Appends to several streams atomically: all or none (a visit and the cases it opens). A
   * retry of an append that happened (every first event id stored) is answered with the
   * stored results. A store without multi-stream transactions (KurrentDB) would implement
   * it with a reactor that opens the other streams from the first one's event.
   */
  appendToStreams(
    appends: readonly StreamAppend[],
    options?: { idempotency?: IdempotencyKey },
  ): Promise<AppendResult[]>;
  readStream(streamId: string): Promise<ReadStreamResult>;
  /** The result of the append that stored this event id, or null when none did. */
  findAppend(eventId: string): Promise<AppendResult | null>;
  /**
   * The append made under this idempotency key, with the fingerprint of the request that
   * made it; null when the key was never used. (A store without a key table may answer
   * from findAppend.)
   */
  findIdempotent?(key: string): Promise<AppendResult | null>;
  /** Events after `after` in global order, never skipping one that commits late. */
  readAll(options: { after: Position; limit: number }): Promise<RecordedEvent[]>;
  /** Delivers batches of the global log after `after`, in order, each exactly once. */
  subscribe(
    options: { after: Position; batchSize?: number },
    handler: (events: RecordedEvent[]) => Promise<void>,
  ): Subscription;
  close(): Promise<void>;
}

export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
  ) {
    super(`Stream ${streamId} is not at the expected version ${String(expected)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** The stream type is the stream id's prefix: `case-123` → `case`. */
export const streamTypeOf = (streamId: string) => {
  const dash = streamId.indexOf('-');
  return dash > 0 ? streamId.slice(0, dash) : streamId;
};

/** An idempotency key used again for a different request: answering with the first result would lose this one. */
export class IdempotencyKeyReusedError extends Error {
  constructor(readonly commandId: string) {
    super(`The Idempotency-Key ${commandId} was already used for a different request`);
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** A stored result answers a retry only if it came from the same request. */
export function replayFor(
  result: AppendResult,
  commandId: string,
  fingerprint: string | undefined,
): AppendResult {
  if (fingerprint && result.fingerprint && result.fingerprint !== fingerprint)
    throw new IdempotencyKeyReusedError(commandId);
  return result;
}
