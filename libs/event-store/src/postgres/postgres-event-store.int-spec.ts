import { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../../test/support/postgres.js';
import { eventStoreContract } from '../testing/event-store-contract.js';
import { CreateEventStore1795300000000 } from './migrations/1795300000000-CreateEventStore.js';
import { PostgresEventStore } from './postgres-event-store.js';

async function migratedStore(options: ConstructorParameters<typeof PostgresEventStore>[1] = {}) {
  const db = await createTestDatabase();
  const ds = new DataSource({
    type: 'postgres',
    url: db.url,
    migrations: [CreateEventStore1795300000000],
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
