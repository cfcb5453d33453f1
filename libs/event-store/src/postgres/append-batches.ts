import {
  streamTypeOf,
  type AppendResult,
  type EventToAppend,
  type IdempotencyKey,
} from '../event-store.js';
import type { PgQueryable } from './postgres-event-store.js';

/** One command's append, waiting for a batch. */
export interface BatchedAppend {
  readonly streamId: string;
  readonly events: readonly EventToAppend[];
  /** -1: the stream must not exist yet; otherwise the position of its last event. */
  readonly expected: number;
  readonly idempotency?: IdempotencyKey;
}

interface Waiting extends BatchedAppend {
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export interface AppendBatchesOptions {
  /** Batch statements sent at once; appends arriving meanwhile wait to form the next batch. */
  maxInFlight?: number;
  /** Events in one batch at most. */
  maxEvents?: number;
  /**
   * After this long a batch still on its way no longer holds its slot: one that waits on a
   * lock (another transaction's uncommitted event at the same position) does not hold up
   * the appends behind it.
   */
  slotMs?: number;
}

/** Where and when an append's last event was stored, as the append statements return it. */
export interface StoredRow {
  stream_position: string;
  global_position: string;
  transaction_id: string;
  recorded_at: Date;
}

/** The result of a fresh append whose last event is `last`. */
export function appendResultOf(streamId: string, last: StoredRow): AppendResult {
  return {
    streamId,
    nextExpectedVersion: Number(last.stream_position),
    position: {
      transactionId: BigInt(last.transaction_id),
      globalPosition: BigInt(last.global_position),
    },
    recordedAt: last.recorded_at,
    replayed: false,
  };
}

interface BatchRow extends StoredRow {
  stream_id: string;
}

const UNDEFINED_FUNCTION = '42883';

const APPEND_BATCH = {
  name: 'saolou_append_batch',
  text: `SELECT stream_id, stream_position::text, global_position::text, transaction_id::text, recorded_at
    FROM saolou_append_batch($1::text[], $2::text[], $3::bigint[], $4::uuid[], $5::text[], $6::integer[],
      $7::jsonb[], $8::jsonb[], $9::text[], $10::bigint[], $11::text[], $12::text[], $13::text[],
      $14::text[], $15::uuid[])`,
};

/**
 * Group commit for appends at a known version. Each round trip to PostgreSQL costs the app's
 * one thread more than the query costs the database (measured: ≈ 30 % of a command's CPU is
 * the socket write that wakes a backend), so appends that arrive while a batch is on its way
 * go together in the next one: one statement, one transaction, one commit. The first append
 * after a quiet moment goes at once, alone, on the plain single-append statement; batches
 * form only under load, where waiting for a batch in flight costs less than the round trips
 * it saves.
 *
 * `saolou_append_batch` leaves out an append whose stream is not at its expected version (a
 * case that moved on, a retry whose events are stored) and stores the others; the ones left
 * out are sent again alone. Anything else that fails a batch — a taken idempotency key, a
 * concurrent writer at the same position, a lock waited on too long — stores none of it,
 * and every append of it is sent again alone. Alone, each gets exactly the answer it would
 * have had without batching: its result, a replay, or its own error.
 */
export class AppendBatches {
  private readonly queue: Waiting[] = [];
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly maxEvents: number;
  private readonly slotMs: number;
  /** Off for good once the store lacks saolou_append_batch (its migration has not run). */
  private unavailable = false;
  /**
   * Batches stored and the appends stored in them, appends a batch left out (their stream
   * had moved on: sent again alone), batches that failed over to appends alone, and the
   * last failure's SQLSTATE (or message): for tests and the benchmark.
   */
  readonly stats = { batches: 0, batchedAppends: 0, leftOut: 0, fallbacks: 0, lastFailure: '' };

  constructor(
    private readonly pool: PgQueryable,
    /** The append alone: for a batch of one, and for every append of a failed batch. */
    private readonly alone: (append: BatchedAppend) => Promise<AppendResult>,
    options: AppendBatchesOptions = {},
  ) {
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 2);
    this.maxEvents = Math.max(1, options.maxEvents ?? 500);
    this.slotMs = options.slotMs ?? 500;
  }

  append(append: BatchedAppend): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ ...append, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      let events = 0;
      let take = 0;
      while (take < this.queue.length) {
        events += this.queue[take]!.events.length;
        if (take > 0 && events > this.maxEvents) break;
        take++;
      }
      const batch = this.queue.splice(0, take);
      this.inFlight++;
      let released = false;
      // Called when the batch's statement is back (or has taken too long): its slot goes to
      // the next batch before its appends are answered (an answered caller's next append
      // then finds it free).
      const sent = () => {
        if (released) return;
        released = true;
        clearTimeout(late);
        this.inFlight--;
        this.pump();
      };
      const late = setTimeout(sent, this.slotMs);
      late.unref?.();
      void this.send(batch, sent).then(sent, (error: unknown) => {
        // Not expected (send answers every append itself); never a lost slot or caller.
        sent();
        for (const append of batch) append.reject(error);
      });
    }
  }

  private async send(batch: Waiting[], sent: () => void): Promise<void> {
    if (this.unavailable && batch.length > 1) {
      sent();
      return this.eachAlone(batch);
    }
    if (batch.length === 1) {
      const [only] = batch as [Waiting];
      let result: AppendResult;
      try {
        result = await this.alone(only);
      } catch (error) {
        sent();
        only.reject(error);
        return;
      }
      sent();
      only.resolve(result);
      return;
    }
    // In stream order, so that two processes' batches take their streams' index entries in
    // the same order (a deadlock between them would only cost a retry alone, after 1 s).
    batch.sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
    const ready: Waiting[] = [];
    const params: unknown[][] = Array.from({ length: 15 }, () => []);
    for (const append of batch) {
      let data: string[];
      let metadata: string[];
      try {
        data = append.events.map((e) => JSON.stringify(e.data));
        metadata = append.events.map((e) => JSON.stringify(e.metadata ?? {}));
      } catch (error) {
        append.reject(error); // fails alone, as it would have unbatched
        continue;
      }
      ready.push(append);
      const type = streamTypeOf(append.streamId);
      append.events.forEach((event, i) => {
        params[0]!.push(append.streamId);
        params[1]!.push(type);
        params[2]!.push(append.expected + 1 + i);
        params[3]!.push(event.eventId);
        params[4]!.push(event.type);
        params[5]!.push(event.schemaVersion ?? 1);
        params[6]!.push(data[i]);
        params[7]!.push(metadata[i]);
      });
      params[8]!.push(append.streamId);
      params[9]!.push(append.expected);
      if (append.idempotency) {
        params[10]!.push(append.idempotency.key);
        params[11]!.push(append.idempotency.fingerprint);
        params[12]!.push(append.idempotency.route);
        params[13]!.push(append.streamId);
        params[14]!.push(append.events[0]!.eventId);
      }
    }
    if (ready.length === 0) return sent();
    let rows: BatchRow[];
    try {
      ({ rows } = await this.pool.query<BatchRow>({ ...APPEND_BATCH, values: params }));
    } catch (error) {
      // Nothing of the batch was written: each append alone gets its own answer.
      sent();
      this.stats.fallbacks++;
      const code = (error as { code?: string }).code;
      this.stats.lastFailure = code ?? (error instanceof Error ? error.message : String(error));
      if (code === UNDEFINED_FUNCTION) this.unavailable = true;
      return this.eachAlone(ready);
    }
    sent();
    this.stats.batches++;
    // Each append's last event is at a position known beforehand (event ids may come back
    // spelt otherwise than they were sent: PostgreSQL writes a uuid its own way).
    const at = (streamId: string, position: number) => `${position}\u0000${streamId}`;
    const byPosition = new Map(
      rows.map((row) => [at(row.stream_id, Number(row.stream_position)), row]),
    );
    const leftOut: Waiting[] = [];
    for (const append of ready) {
      const last = byPosition.get(at(append.streamId, append.expected + append.events.length));
      if (!last) {
        // Its stream was not at the expected version: alone, it gets its own answer.
        leftOut.push(append);
        continue;
      }
      append.resolve(appendResultOf(append.streamId, last));
    }
    this.stats.batchedAppends += ready.length - leftOut.length;
    this.stats.leftOut += leftOut.length;
    await this.eachAlone(leftOut);
  }

  /** Each append on the single-append path, answered with its own result or error. */
  private async eachAlone(appends: readonly Waiting[]): Promise<void> {
    await Promise.all(appends.map((a) => this.alone(a).then(a.resolve, a.reject)));
  }
}
