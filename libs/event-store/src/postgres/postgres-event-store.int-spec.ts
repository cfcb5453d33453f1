import { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../../test/support/postgres.js';
import { eventStoreContract } from '../testing/event-store-contract.js';
import { IdempotencyKeyReusedError, WrongExpectedVersionError } from '../event-store.js';
import { CreateEventStore1795300000000 } from './migrations/1795300000000-CreateEventStore.js';
import { IdempotencyKeys1795310001400 } from './migrations/1795310001400-IdempotencyKeys.js';
import { AppendBatch1795340000000 } from './migrations/1795340000000-AppendBatch.js';
import { PostgresEventStore } from './postgres-event-store.js';

async function migratedStore(options: ConstructorParameters<typeof PostgresEventStore>[1] = {}) {
  const db = await createTestDatabase();
  const ds = new DataSource({
    type: 'postgres',
    url: db.url,
    migrations: [
      CreateEventStore1795300000000,
      IdempotencyKeys1795310001400,
      AppendBatch1795340000000,
    ],
  });
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();
  const store = PostgresEventStore.connect(db.url, {
    ...options,
    poolSize: 20,
    pollIntervalMs: 200,
  });
  return { db, store };
}

eventStoreContract(
  'PostgreSQL',
  async () => {
    const { db, store } = await migratedStore();
    return {
      store,
      async holdOpenAppend(streamId, event) {
        const client = await store.pool.connect();
        await client.query('BEGIN');
        await store.appendWith(client, streamId, [event], 'no_stream');
        return {
          async commit() {
            await client.query('COMMIT');
            client.release();
            store.wakeups.appended();
          },
        };
      },
      async dispose() {
        await store.close();
        await db.drop();
      },
    };
  },
  { holdOpenAppend: true },
);

describe('PostgreSQL event store: schema versions', () => {
  it('upcasts old schema versions on read, chaining upcasters', async () => {
    const { db, store } = await migratedStore({
      upcasters: [
        { eventType: 'Greeted', fromVersion: 1, upcast: (d) => ({ ...(d as object), lang: 'zh' }) },
        { eventType: 'Greeted', fromVersion: 2, upcast: (d) => ({ ...(d as object), v3: true }) },
      ],
    });
    try {
      await store.appendToStream('greeting-1', [
        {
          eventId: '00000000-0000-4000-8000-000000000001',
          type: 'Greeted',
          data: { hi: 1 },
          schemaVersion: 1,
        },
        {
          eventId: '00000000-0000-4000-8000-000000000002',
          type: 'Greeted',
          data: { hi: 2, lang: 'en' },
          schemaVersion: 2,
        },
        {
          eventId: '00000000-0000-4000-8000-000000000003',
          type: 'Greeted',
          data: { hi: 3, lang: 'en', v3: true },
          schemaVersion: 3,
        },
      ]);
      const { events } = await store.readStream('greeting-1');
      expect(events.map((e) => [e.schemaVersion, e.data])).toEqual([
        [3, { hi: 1, lang: 'zh', v3: true }],
        [3, { hi: 2, lang: 'en', v3: true }],
        [3, { hi: 3, lang: 'en', v3: true }],
      ]);
      const all = await store.readAll({
        after: { transactionId: 0n, globalPosition: 0n },
        limit: 10,
      });
      expect(all.map((e) => e.schemaVersion)).toEqual([3, 3, 3]);
    } finally {
      await store.close();
      await db.drop();
    }
  });
});

describe('PostgreSQL event store: wake-ups', () => {
  it('wakes a subscriber of another store instance through NOTIFY, long before it would poll', async () => {
    const { db, store: writer } = await migratedStore();
    const reader = PostgresEventStore.connect(db.url, { pollIntervalMs: 30_000 });
    try {
      const delivered: string[] = [];
      let arrived!: () => void;
      const arrival = new Promise<void>((resolve) => (arrived = resolve));
      const subscription = reader.subscribe(
        { after: { transactionId: 0n, globalPosition: 0n } },
        async (events) => {
          delivered.push(...events.map((e) => e.type));
          arrived();
        },
      );
      // Let the subscriber find the log empty and start waiting (and LISTENing).
      await new Promise((resolve) => setTimeout(resolve, 500));
      const started = Date.now();
      await writer.appendToStream('wake-1', [
        { eventId: '00000000-0000-4000-8000-0000000000aa', type: 'Woken', data: {} },
      ]);
      await Promise.race([arrival, new Promise((resolve) => setTimeout(resolve, 5000))]);
      expect(delivered).toEqual(['Woken']);
      expect(Date.now() - started).toBeLessThan(5000);
      await subscription.stop();
    } finally {
      await reader.close();
      await writer.close();
      await db.drop();
    }
  });
});

describe('PostgreSQL event store: multi-stream appends', () => {
  it('refuses many conflicting multi-stream appends at once without exhausting its pool', async () => {
    const { db, store } = await migratedStore();
    try {
      const event = () => ({ eventId: crypto.randomUUID(), type: 'Tested', data: {} });
      await store.appendToStream('busy-1', [event()], { expectedVersion: 'no_stream' });
      // More concurrent conflicting appendToStreams calls than the pool (20) has connections.
      const outcomes = await Promise.allSettled(
        Array.from({ length: 40 }, () =>
          store.appendToStreams([
            {
              streamId: `busy-other-${crypto.randomUUID()}`,
              events: [event()],
              expectedVersion: 'no_stream',
            },
            { streamId: 'busy-1', events: [event()], expectedVersion: 'no_stream' },
          ]),
        ),
      );
      expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
      // The pool still serves.
      expect((await store.readStream('busy-1')).version).toBe(0);
    } finally {
      await store.close();
      await db.drop();
    }
  });

  it('answers a retried multi-stream append with its stored results', async () => {
    const { db, store } = await migratedStore();
    try {
      const appends = ['multi-a', 'multi-b'].map((streamId) => ({
        streamId,
        events: [{ eventId: crypto.randomUUID(), type: 'Tested', data: {} }],
        expectedVersion: 'no_stream' as const,
      }));
      const first = await store.appendToStreams(appends);
      const again = await store.appendToStreams(appends);
      expect(again).toEqual(first.map((r) => ({ ...r, replayed: true })));
    } finally {
      await store.close();
      await db.drop();
    }
  });
});

describe('PostgreSQL event store: group commit', () => {
  const event = (data: unknown = {}) => ({ eventId: crypto.randomUUID(), type: 'Tested', data });
  /** One append that goes alone and holds the only slot, then the rest, which wait for it and go as one batch. */
  async function behindOne<T>(store: PostgresEventStore, rest: () => Promise<T>[]) {
    const first = store.appendToStream(`first-${crypto.randomUUID()}`, [event()], {
      expectedVersion: 'no_stream',
    });
    const others = Promise.allSettled(rest());
    await first;
    return others;
  }

  it('sends the appends that wait for a batch in flight as one statement, one transaction', async () => {
    const { db, store } = await migratedStore({ groupCommit: { maxInFlight: 1 } });
    try {
      await store.appendToStream('grouped-0', [event({ n: 0 })], { expectedVersion: 'no_stream' });
      // Event ids as a client may spell them: PostgreSQL answers with its own spelling.
      const shouting = crypto.randomUUID().toUpperCase();
      const braced = `{${crypto.randomUUID()}}`;
      const outcomes = await behindOne(store, () => [
        store.appendToStream(
          'grouped-0',
          [
            { ...event({ n: 1 }), eventId: shouting },
            { ...event({ n: 2 }), eventId: braced },
          ],
          {
            expectedVersion: 0,
          },
        ),
        ...Array.from({ length: 9 }, (_, i) =>
          store.appendToStream(`grouped-${i + 1}`, [event()], { expectedVersion: 'no_stream' }),
        ),
      ]);
      const results = outcomes.map((o) => (o.status === 'fulfilled' ? o.value : o.reason));
      expect(results[0]).toMatchObject({
        streamId: 'grouped-0',
        nextExpectedVersion: 2,
        replayed: false,
      });
      for (const r of results.slice(1)) expect(r).toMatchObject({ nextExpectedVersion: 0 });
      expect(store.batches!.stats).toMatchObject({ batches: 1, batchedAppends: 10, fallbacks: 0 });
      // One transaction: every result carries the same transaction id, and the log says so.
      expect(new Set(results.map((r) => r.position.transactionId)).size).toBe(1);
      const zero = await store.readStream('grouped-0');
      expect(zero.events.map((e) => (e.data as { n: number }).n)).toEqual([0, 1, 2]);
      expect(zero.events[2]!.position).toEqual(results[0].position);
      expect(zero.events[2]!.recordedAt).toEqual(results[0].recordedAt);
    } finally {
      await store.close();
      await db.drop();
    }
  });

  it('gives each append of a failed batch its own answer: a stale version, a retry, a reused key, a bad body', async () => {
    const { db, store } = await migratedStore({ groupCommit: { maxInFlight: 1 } });
    try {
      await store.appendToStream('moved-on', [event(), event()], { expectedVersion: 'no_stream' });
      await store.appendToStream('moved-on-too', [event(), event()], {
        expectedVersion: 'no_stream',
      });
      const stored = event();
      const first = await store.appendToStream('retried', [stored], {
        expectedVersion: 'no_stream',
      });
      const key = (fingerprint: string) => ({
        key: 'account-1:key-1',
        fingerprint,
        route: 'POST /things',
      });
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const outcomes = await behindOne(store, () => [
        // At 1, told 0: the insert at 1 meets the stored event (a unique violation).
        store.appendToStream('moved-on', [event()], { expectedVersion: 0 }),
        store.appendToStream('retried', [stored], { expectedVersion: 'no_stream' }),
        store.appendToStream('keyed-a', [event()], {
          expectedVersion: 'no_stream',
          idempotency: key('a'),
        }),
        store.appendToStream('keyed-b', [event()], {
          expectedVersion: 'no_stream',
          idempotency: key('b'),
        }),
        store.appendToStream('circular', [event(circular)], { expectedVersion: 'no_stream' }),
        store.appendToStream('fine', [event()], { expectedVersion: 'no_stream' }),
      ]);
      const [stale, retry, keyA, keyB, bad, fine] = outcomes;
      expect(stale).toMatchObject({
        status: 'rejected',
        reason: expect.any(WrongExpectedVersionError),
      });
      // The key was taken twice: a unique violation failed the whole batch.
      expect(store.batches!.stats).toMatchObject({ fallbacks: 1, lastFailure: '23505' });
      // A stale version (told 5, at 1) and a retry do not fail a batch: the function leaves
      // them out, stores the rest, and they are answered alone.
      const [ahead, retriedAgain, alongside] = await behindOne(store, () => [
        store.appendToStream('moved-on-too', [event()], { expectedVersion: 5 }),
        store.appendToStream('retried', [stored], { expectedVersion: 'no_stream' }),
        store.appendToStream('alongside', [event()], { expectedVersion: 'no_stream' }),
      ]);
      expect(ahead).toMatchObject({
        status: 'rejected',
        reason: expect.any(WrongExpectedVersionError),
      });
      expect(retriedAgain).toEqual({ status: 'fulfilled', value: { ...first, replayed: true } });
      expect(alongside).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: 0 } });
      expect(store.batches!.stats).toMatchObject({ fallbacks: 1, leftOut: 2 });
      expect(retry).toEqual({ status: 'fulfilled', value: { ...first, replayed: true } });
      // The key goes to one of the two; the other request is told it was reused.
      const keyed = [keyA, keyB];
      expect(keyed.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(keyed.find((o) => o.status === 'rejected')).toMatchObject({
        reason: expect.any(IdempotencyKeyReusedError),
      });
      expect(bad).toMatchObject({ status: 'rejected', reason: expect.any(TypeError) });
      expect(fine).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: 0 } });
      expect(store.batches!.stats).toMatchObject({
        batches: 1,
        fallbacks: 1,
        lastFailure: '23505',
      });
      // Nothing half-written: the refused appends left no event and no key behind.
      expect((await store.readStream('moved-on')).version).toBe(1);
      expect((await store.readStream('moved-on-too')).version).toBe(1);
      expect((await store.readStream('retried')).version).toBe(0);
      expect((await store.readStream('circular')).version).toBe(-1);
      const winner = keyA!.status === 'fulfilled' ? 'keyed-a' : 'keyed-b';
      const loser = winner === 'keyed-a' ? 'keyed-b' : 'keyed-a';
      expect((await store.readStream(winner)).version).toBe(0);
      expect((await store.readStream(loser)).version).toBe(-1);
      const keys = await store.pool.query('SELECT stream_id FROM idempotency_keys');
      expect(keys.rows).toEqual([{ stream_id: winner }]);
    } finally {
      await store.close();
      await db.drop();
    }
  });

  it('lets appends behind a batch that waits on a lock go on, and the batch give way after a second', async () => {
    const { db, store } = await migratedStore({ groupCommit: { maxInFlight: 1, slotMs: 100 } });
    const holder = await store.pool.connect();
    try {
      // Another transaction holds an uncommitted event at held@0.
      await holder.query('BEGIN');
      await store.appendWith(holder, 'held', [event()], 'no_stream');
      const first = store.appendToStream('first', [event()], { expectedVersion: 'no_stream' });
      const held = store.appendToStream('held', [event()], { expectedVersion: 'no_stream' });
      let freeSettled = false;
      const free = store.appendToStream('free-1', [event()], { expectedVersion: 'no_stream' });
      void free.finally(() => (freeSettled = true)).catch(() => {});
      await first;
      // The batch [held, free-1] now waits on the holder's lock; past slotMs its slot is free.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const later = await store.appendToStream('free-2', [event()], {
        expectedVersion: 'no_stream',
      });
      expect(later.nextExpectedVersion).toBe(0);
      expect(freeSettled).toBe(false);
      // After its lock_timeout (1 s) the batch gives way: free-1 goes alone and is stored…
      await expect(free).resolves.toMatchObject({ nextExpectedVersion: 0 });
      expect(store.batches!.stats).toMatchObject({ fallbacks: 1, lastFailure: '55P03' });
      // …and held waits, alone, for the holder: its commit makes held a conflict.
      await holder.query('COMMIT');
      await expect(held).rejects.toBeInstanceOf(WrongExpectedVersionError);
    } finally {
      holder.release();
      await store.close();
      await db.drop();
    }
  });

  it('appends alone when group commit is off, or when its function is missing', async () => {
    const { db, store } = await migratedStore({ groupCommit: false });
    try {
      expect(store.batches).toBeNull();
      await store.pool.query('DROP FUNCTION saolou_append_batch');
    } finally {
      await store.close();
    }
    const batched = PostgresEventStore.connect(db.url, { groupCommit: { maxInFlight: 1 } });
    try {
      const outcomes = await behindOne(batched, () =>
        Array.from({ length: 3 }, (_, i) =>
          batched.appendToStream(`unmigrated-${i}`, [event()], { expectedVersion: 'no_stream' }),
        ),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      // undefined_function: the batch failed over, each append went alone, and batching is
      // off from then on (no failed round trip per batch).
      expect(batched.batches!.stats).toMatchObject({
        batches: 0,
        fallbacks: 1,
        lastFailure: '42883',
      });
      const again = await behindOne(batched, () =>
        Array.from({ length: 3 }, (_, i) =>
          batched.appendToStream(`unmigrated-again-${i}`, [event()], {
            expectedVersion: 'no_stream',
          }),
        ),
      );
      expect(again.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      expect(batched.batches!.stats).toMatchObject({ batches: 0, fallbacks: 1 });
    } finally {
      await batched.close();
      await db.drop();
    }
  });
});
