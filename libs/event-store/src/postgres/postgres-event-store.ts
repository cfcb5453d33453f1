import pg from 'pg';
import {
  comparePositions,
  IdempotencyKeyReusedError,
  streamTypeOf,
  WrongExpectedVersionError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedVersion,
  type IdempotencyKey,
  type Position,
  type ReadStreamResult,
  type RecordedEvent,
  type StreamAppend,
  type Subscription,
} from '../event-store.js';
import {
  AppendBatches,
  appendResultOf,
  type AppendBatchesOptions,
  type StoredRow,
} from './append-batches.js';
import { Wakeups } from './wakeups.js';

/** Anything that runs a parameterised query: a pool, a client, a TypeORM EntityManager. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** A pg pool or client: appends use its prepared statements. */
export type PgQueryable = Pick<pg.Pool, 'query'>;

/**
 * Brings an old schema version of an event up to date on read. Chained: an event at
 * version 1 passes through the 1→2 upcaster, then 2→3, and so on.
 */
export interface Upcaster {
  eventType: string;
  fromVersion: number;
  upcast(data: unknown): unknown;
}

export interface PostgresEventStoreOptions {
  upcasters?: readonly Upcaster[];
  /** LISTEN/NOTIFY channel. */
  channel?: string;
  /** How often subscribers poll when no notification arrives. */
  pollIntervalMs?: number;
  /**
   * Group commit of appends at a known version (AppendBatches); false sends every append
   * alone. Needs the AppendBatch migration; without it every batch fails over to appends
   * alone.
   */
  groupCommit?: AppendBatchesOptions | false;
}

interface EventRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_type: string;
  stream_position: string;
  event_id: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

// Output columns are cast to text (bigint and xid8 exceed JS numbers); ORDER BY clauses
// name events.<column> so they sort by the real column, not by its text.
const COLUMNS = `global_position::text, transaction_id::text, stream_id, stream_type, stream_position::text,
  event_id, event_type, schema_version, data, metadata, recorded_at`;

const INSERT_FROM = `INSERT INTO events
    (stream_id, stream_type, stream_position, event_id, event_type, schema_version, data, metadata)`;
const UNNEST = `unnest($3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[])
    WITH ORDINALITY AS e(event_id, event_type, schema_version, data, metadata, ord)`;

const RETURNING = `RETURNING stream_position::text, global_position::text, transaction_id::text, recorded_at`;
/** The known-version check: -1 (no stream), or the stream's last event is at that position
 * (a later event would break the unique (stream_id, stream_position) instead). */
const AT_VERSION = `$8::bigint < 0 OR EXISTS (SELECT 1 FROM events WHERE stream_id = $1 AND stream_position = $8::bigint)`;

/**
 * One event, the common case: scalar parameters and a prepared statement keep it as cheap
 * as a plain INSERT (parsing and planning per call cost ~40% at 32 writers, measured).
 */
const APPEND_ONE_AT = {
  name: 'saolou_append_one_at',
  text: `${INSERT_FROM}
  SELECT $1, $2, $8::bigint + 1, $3::uuid, $4, $5::int, $6::jsonb, $7::jsonb WHERE ${AT_VERSION} ${RETURNING}`,
};
const APPEND_ONE_ANY = {
  name: 'saolou_append_one_any',
  text: `${INSERT_FROM}
  SELECT $1, $2, (SELECT COALESCE(max(stream_position), -1) + 1 FROM events WHERE stream_id = $1),
         $3::uuid, $4, $5::int, $6::jsonb, $7::jsonb ${RETURNING}`,
};

/** Append after a known version: -1 (no stream) or the position of the stream's last event. */
const APPEND_AT = `${INSERT_FROM}
  SELECT $1, $2, $8::bigint + e.ord, e.event_id, e.event_type, e.schema_version, e.data, e.metadata
  FROM ${UNNEST}
  WHERE ${AT_VERSION}
  ORDER BY e.ord
  ${RETURNING}`;

/** Append at the end, whatever version the stream is at. */
const APPEND_ANY = `WITH cur AS (SELECT COALESCE(max(stream_position), -1) AS v FROM events WHERE stream_id = $1)
  ${INSERT_FROM}
  SELECT $1, $2, cur.v + e.ord, e.event_id, e.event_type, e.schema_version, e.data, e.metadata
  FROM cur, ${UNNEST}
  ORDER BY e.ord
  ${RETURNING}`;

/**
 * Global read: only transactions older than the oldest one still running are visible,
 * ordered by (transaction id, position). An event that took its sequence number first but
 * commits last holds the reader back until it commits; it is never skipped.
 */
const READ_ALL = `SELECT ${COLUMNS} FROM events
  WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
    AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY events.transaction_id, events.global_position
  LIMIT $3`;

const FIND_APPEND = `WITH first AS (SELECT stream_id, transaction_id, metadata->>'fingerprint' AS fingerprint
                 FROM events WHERE event_id = $1)
  SELECT e.stream_id, max(e.stream_position)::text AS version, max(e.global_position)::text AS global_position,
         e.transaction_id::text AS transaction_id, max(e.recorded_at) AS recorded_at, f.fingerprint
  FROM events e JOIN first f ON e.stream_id = f.stream_id AND e.transaction_id = f.transaction_id
  GROUP BY e.stream_id, e.transaction_id, f.fingerprint`;

/**
 * An append under an idempotency key: the events' insert and the key's insert in one
 * statement, the key only when events were written. A key already taken fails the whole
 * statement on idempotency_keys_pkey (a concurrent one waits for the first to commit).
 */
const withKey = (append: string, first: number) => `WITH ins AS (${append}),
  k AS (INSERT INTO idempotency_keys (command_id, fingerprint, route, stream_id, first_event_id)
        SELECT $${first}, $${first + 1}, $${first + 2}, $1, $${first + 3}::uuid WHERE EXISTS (SELECT 1 FROM ins))
  SELECT * FROM ins`;

const FIND_KEY = `SELECT fingerprint, first_event_id::text FROM idempotency_keys WHERE command_id = $1`;

const UNIQUE_VIOLATION = '23505';
const DEADLOCK_DETECTED = '40P01';

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === UNIQUE_VIOLATION && e.constraint === constraint;
}

async function rowsOf<T>(db: Queryable, sql: string, params: unknown[]): Promise<T[]> {
  const result = (await db.query(sql, params)) as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

/** Inside a transaction: the key was taken; the caller answers after releasing its connection. */
class IdempotencyKeyTaken extends Error {
  constructor(readonly idempotency: IdempotencyKey) {
    super(`idempotency key ${idempotency.key} is taken`);
  }
}

export class PostgresEventStore implements EventStore {
  readonly wakeups: Wakeups;
  /** Null when group commit is off. */
  readonly batches: AppendBatches | null;
  private readonly upcasters = new Map<string, Upcaster>();
  private readonly pollIntervalMs: number;

  constructor(
    readonly pool: pg.Pool,
    options: PostgresEventStoreOptions = {},
  ) {
    for (const u of options.upcasters ?? [])
      this.upcasters.set(`${u.eventType}@${u.fromVersion}`, u);
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.wakeups = new Wakeups(pool, options.channel ?? 'saolou_events');
    this.batches =
      options.groupCommit === false
        ? null
        : new AppendBatches(
            pool,
            (a) =>
              this.appendWith(
                pool,
                a.streamId,
                a.events,
                a.expected === -1 ? 'no_stream' : a.expected,
                a.idempotency,
              ),
            options.groupCommit,
          );
    // An idle client that lost its connection is replaced on next use; without a listener
    // the pool's 'error' event would crash the process.
    pool.on('error', () => {});
  }

  static connect(
    connectionString: string,
    options: PostgresEventStoreOptions & { poolSize?: number } = {},
  ) {
    // A bounded wait for a connection: an exhausted pool fails (503) instead of hanging.
    return new PostgresEventStore(
      new pg.Pool({
        connectionString,
        max: options.poolSize ?? 10,
        connectionTimeoutMillis: 10_000,
      }),
      options,
    );
  }

  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    const expected = options.expectedVersion ?? 'any';
    const result =
      this.batches && expected !== 'any'
        ? await this.batches.append({
            streamId,
            events,
            expected: expected === 'no_stream' ? -1 : expected,
            ...(options.idempotency ? { idempotency: options.idempotency } : {}),
          })
        : await this.appendWith(this.pool, streamId, events, expected, options.idempotency);
    if (!result.replayed) this.wakeups.appended();
    return result;
  }

  /**
   * Appends through the given connection, inside whatever transaction it has open. The
   * caller commits; the event becomes visible to global readers only then.
   */
  async appendWith(
    db: PgQueryable,
    streamId: string,
    events: readonly EventToAppend[],
    expectedVersion: ExpectedVersion,
    idempotency?: IdempotencyKey,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    const one = events.length === 1 ? events[0]! : null;
    const params: unknown[] = one
      ? [
          streamId,
          streamTypeOf(streamId),
          one.eventId,
          one.type,
          one.schemaVersion ?? 1,
          JSON.stringify(one.data),
          JSON.stringify(one.metadata ?? {}),
        ]
      : [
          streamId,
          streamTypeOf(streamId),
          events.map((e) => e.eventId),
          events.map((e) => e.type),
          events.map((e) => e.schemaVersion ?? 1),
          events.map((e) => JSON.stringify(e.data)),
          events.map((e) => JSON.stringify(e.metadata ?? {})),
        ];
    if (expectedVersion !== 'any')
      params.push(expectedVersion === 'no_stream' ? -1 : expectedVersion);
    const plain: { name?: string; text: string } = one
      ? expectedVersion === 'any'
        ? APPEND_ONE_ANY
        : APPEND_ONE_AT
      : { text: expectedVersion === 'any' ? APPEND_ANY : APPEND_AT };
    let statement: { name?: string; text: string } = plain;
    if (idempotency) {
      statement = {
        ...(plain.name ? { name: `${plain.name}_key` } : {}),
        text: withKey(plain.text, params.length + 1),
      };
      params.push(idempotency.key, idempotency.fingerprint, idempotency.route, events[0]!.eventId);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const { rows } = await db.query<StoredRow>({ ...statement, values: params });
        const last = rows[rows.length - 1];
        if (!last) throw new WrongExpectedVersionError(streamId, expectedVersion);
        return appendResultOf(streamId, last);
      } catch (error) {
        if (idempotency && isUniqueViolation(error, 'idempotency_keys_pkey')) {
          // Inside a caller's transaction the caller looks it up, after releasing its connection.
          if (db !== this.pool) throw new IdempotencyKeyTaken(idempotency);
          return this.answerTakenKey(idempotency);
        }
        if ((error as { code?: string })?.code === DEADLOCK_DETECTED) {
          // Another writer took this stream's next position or this key in the other order
          // (a batch of another process, say) and PostgreSQL gave way here: in autocommit,
          // an append at the end tries again; any other append is a conflict, decided again
          // on fresh state by its caller, as if the other had simply come first.
          if (expectedVersion === 'any' && db === this.pool && attempt < 20) continue;
          throw new WrongExpectedVersionError(streamId, expectedVersion);
        }
        const eventIdTaken = isUniqueViolation(error, 'events_event_id_key');
        const positionTaken = isUniqueViolation(error, 'events_stream_position_key');
        if ((eventIdTaken || positionTaken) && db === this.pool) {
          // Either constraint may fire first for a retried append. If the first event id is
          // stored, answer with that append's result. Inside a caller's transaction this is
          // left to the caller, after it released its connection: looking up through the
          // pool while holding one can exhaust the pool.
          const first = await this.findAppend(events[0]!.eventId);
          if (first) return first;
        }
        if (eventIdTaken) throw new WrongExpectedVersionError(streamId, expectedVersion);
        if (positionTaken) {
          // 'any' lost a race for the next position: try again at the new end (only in
          // autocommit; a caller's transaction is aborted by the error).
          if (expectedVersion === 'any' && db === this.pool && attempt < 20) continue;
          throw new WrongExpectedVersionError(streamId, expectedVersion);
        }
        throw error;
      }
    }
  }

  /**
   * Appends to several streams in one transaction: all or none. A retry of an append that
   * already happened (its first event id is stored) is answered with the stored results.
   * PostgreSQL-specific: a store without multi-stream transactions (KurrentDB) would open
   * the extra streams from a reactor instead.
   */
  async appendToStreams(
    appends: readonly StreamAppend[],
    options: { idempotency?: IdempotencyKey } = {},
  ): Promise<AppendResult[]> {
    const replay = async () => {
      const found = await Promise.all(appends.map((a) => this.findAppend(a.events[0]!.eventId)));
      return found.every((r) => r !== null) ? found : null;
    };
    const results: AppendResult[] = [];
    const client = await this.pool.connect();
    let failure: unknown = null;
    try {
      await client.query('BEGIN');
      for (const [index, append] of appends.entries()) {
        results.push(
          await this.appendWith(
            client,
            append.streamId,
            append.events,
            append.expectedVersion,
            // The key is recorded with the first append; the transaction holds the rest.
            index === 0 ? options.idempotency : undefined,
          ),
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      failure = error;
      await client.query('ROLLBACK').catch(() => {});
    } finally {
      // Released before any look-up below: holding it while waiting for another
      // connection from the same pool can deadlock a busy pool.
      client.release();
    }
    if (failure) {
      if (failure instanceof IdempotencyKeyTaken) {
        await this.answerTakenKey(failure.idempotency);
        const stored = await replay();
        if (stored)
          return stored.map((r) => ({ ...r, fingerprint: failure.idempotency.fingerprint }));
      }
      const stored = failure instanceof WrongExpectedVersionError ? await replay() : null;
      if (stored) return stored;
      throw failure;
    }
    this.wakeups.appended();
    return results;
  }

  /** The result of the append that stored this event id, or null if it was never stored. */
  async findAppend(eventId: string): Promise<AppendResult | null> {
    const [row] = await rowsOf<{
      stream_id: string;
      version: string;
      global_position: string;
      transaction_id: string;
      recorded_at: Date;
      fingerprint: string | null;
    }>(this.pool, FIND_APPEND, [eventId]);
    if (!row) return null;
    return {
      streamId: row.stream_id,
      nextExpectedVersion: Number(row.version),
      position: {
        transactionId: BigInt(row.transaction_id),
        globalPosition: BigInt(row.global_position),
      },
      recordedAt: row.recorded_at,
      replayed: true,
      ...(row.fingerprint ? { fingerprint: row.fingerprint } : {}),
    };
  }

  /**
   * The log's head: no position at or past it can exist yet. `transactionId` is the next
   * transaction id PostgreSQL will hand out (the snapshot's xmax), `globalPosition` the
   * highest global position written so far.
   */
  async head(): Promise<Position> {
    const [row] = await rowsOf<{ xmax: string; last: string }>(
      this.pool,
      `SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax,
              COALESCE((SELECT max(global_position) FROM events), 0)::text AS last`,
      [],
    );
    return { transactionId: BigInt(row!.xmax), globalPosition: BigInt(row!.last) };
  }

  /** The append made under this idempotency key, with its request's fingerprint. */
  async findIdempotent(key: string): Promise<AppendResult | null> {
    const [row] = await rowsOf<{ fingerprint: string; first_event_id: string }>(
      this.pool,
      FIND_KEY,
      [key],
    );
    if (!row) return null;
    const append = await this.findAppend(row.first_event_id);
    return append ? { ...append, fingerprint: row.fingerprint } : null;
  }

  /**
   * A second append under a taken key: the first one's result when it is the same request,
   * IdempotencyKeyReusedError when it is another one (another route, record or body).
   */
  private async answerTakenKey(idempotency: IdempotencyKey): Promise<AppendResult> {
    const first = await this.findIdempotent(idempotency.key);
    if (!first) throw new Error(`idempotency key ${idempotency.key} is taken but has no append`);
    if (first.fingerprint !== idempotency.fingerprint)
      throw new IdempotencyKeyReusedError(idempotency.key);
    return first;
  }

  async readStream(streamId: string): Promise<ReadStreamResult> {
    const rows = await rowsOf<EventRow>(
      this.pool,
      `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 ORDER BY events.stream_position`,
      [streamId],
    );
    const events = rows.map((row) => this.toRecorded(row));
    return { events, version: events.length ? events[events.length - 1]!.streamPosition : -1 };
  }

  async readAll(
    options: { after: Position; limit: number },
    db: Queryable = this.pool,
  ): Promise<RecordedEvent[]> {
    const rows = await rowsOf<EventRow>(db, READ_ALL, [
      options.after.transactionId.toString(),
      options.after.globalPosition.toString(),
      options.limit,
    ]);
    return rows.map((row) => this.toRecorded(row));
  }

  subscribe(
    options: { after: Position; batchSize?: number },
    handler: (events: RecordedEvent[]) => Promise<void>,
  ): Subscription {
    let stopped = false;
    let after = options.after;
    const limit = options.batchSize ?? 500;
    const done = (async () => {
      while (!stopped) {
        const events = await this.readAll({ after, limit });
        if (events.length === 0) {
          // stop() may have come while reading; its wake-up found no waiter then.
          if (stopped) break;
          await this.wakeups.wait(this.pollIntervalMs);
          continue;
        }
        await handler(events);
        const last = events[events.length - 1]!.position;
        if (comparePositions(last, after) <= 0) throw new Error('global log went backwards');
        after = last;
      }
    })();
    return {
      done,
      stop: async () => {
        stopped = true;
        this.wakeups.wakeAll();
        await done.catch(() => {});
      },
    };
  }

  async close(): Promise<void> {
    await this.wakeups.close();
    await this.pool.end();
  }

  private toRecorded(row: EventRow): RecordedEvent {
    let { data, schema_version: version } = row;
    for (
      let u = this.upcasters.get(`${row.event_type}@${version}`);
      u;
      u = this.upcasters.get(`${row.event_type}@${version}`)
    ) {
      data = u.upcast(data);
      version++;
    }
    return {
      eventId: row.event_id,
      type: row.event_type,
      data,
      metadata: row.metadata,
      schemaVersion: version,
      streamId: row.stream_id,
      streamType: row.stream_type,
      streamPosition: Number(row.stream_position),
      position: {
        transactionId: BigInt(row.transaction_id),
        globalPosition: BigInt(row.global_position),
      },
      recordedAt: row.recorded_at,
    };
  }
}
