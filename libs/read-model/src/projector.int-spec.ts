import type { DataSource } from 'typeorm';
import { PostgresEventStore, type CommandResult } from '#event-store';
import { caseWithHistory, registerEnterprise } from '../../../test/support/district.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.js';
import { createDataSource, migrate, PROJECTIONS } from './data-source.js';
import { Projector } from './projector.js';

let db: TestDatabase;
let store: PostgresEventStore;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  await migrate(db.url);
  store = PostgresEventStore.connect(db.url, { poolSize: 10, pollIntervalMs: 100 });
  ds = createDataSource(db.url);
  await ds.initialize();
});
afterAll(async () => {
  await ds.destroy();
  await store.close();
  await db.drop();
});

async function openCases(count: number, n0: number): Promise<CommandResult> {
  const enterprise = await registerEnterprise(store, n0);
  let last!: CommandResult;
  for (let i = 0; i < count; i++) last = await caseWithHistory(store, enterprise, 1);
  return last;
}

const count = async (table: string) =>
  Number((await ds.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

describe('projector', () => {
  it('shares work between two projectors running at once without applying an event twice', async () => {
    const a = new Projector(ds, store, PROJECTIONS, { batchSize: 7, pollIntervalMs: 50 });
    const b = new Projector(ds, store, PROJECTIONS, { batchSize: 7, pollIntervalMs: 50 });
    await a.init();
    a.start();
    b.start();
    const last = await openCases(60, 1);
    expect(await a.waitFor(['case_view', 'case_timeline'], last.position!, 20_000)).toBe(true);
    await Promise.all([a.stop(), b.stop()]);
    const [{ n }] = await ds.query(`SELECT count(*) AS n FROM events WHERE stream_type = 'case'`);
    expect(await count('case_timeline')).toBe(Number(n));
    expect(await count(`case_view WHERE status = 'dispatched'`)).toBe(60);
  });

  it('waitFor answers false when the position is not reached in time, true once it is', async () => {
    const idle = new Projector(ds, store, PROJECTIONS);
    const last = await openCases(1, 2);
    const started = Date.now();
    expect(await idle.waitFor(['case_view'], last.position!, 200)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    await idle.catchUp();
    expect(await idle.waitFor(['case_view'], last.position!, 200)).toBe(true);
  });

  it('rebuilds a projection from position zero to the same rows', async () => {
    const projector = new Projector(ds, store, PROJECTIONS, { batchSize: 50 });
    await openCases(10, 3);
    await projector.catchUp();
    const before = await ds.query(`SELECT * FROM case_view ORDER BY id`);
    await ds.query(`UPDATE case_view SET description = 'tampered'`);
    await projector.rebuild('case_view');
    expect(await ds.query(`SELECT * FROM case_view ORDER BY id`)).toEqual(before);
  });

  it('rolls a failing batch back whole: rows and checkpoint', async () => {
    const projector = new Projector(ds, store, PROJECTIONS, { batchSize: 1000 });
    await projector.catchUp();
    const checkpointBefore = (await projector.checkpoints()).get('case_timeline');
    const rowsBefore = await count('case_timeline');
    const failing = {
      ...PROJECTIONS[2]!,
      async apply(events: never[], em: never) {
        await PROJECTIONS[2]!.apply(events, em);
        throw new Error('disk full');
      },
    };
    await openCases(3, 4);
    const broken = new Projector(ds, store, [failing]);
    await expect(broken.runBatch(failing)).rejects.toThrow('disk full');
    expect(await count('case_timeline')).toBe(rowsBefore);
    expect((await projector.checkpoints()).get('case_timeline')).toEqual(checkpointBefore);
  });

  it('keeps running the other projections while one keeps failing', async () => {
    const poisoned = {
      ...PROJECTIONS[1]!,
      name: 'poisoned',
      async apply() {
        throw new Error('poison');
      },
    };
    const timeline = PROJECTIONS.find((p) => p.name === 'case_timeline')!;
    const failures: unknown[] = [];
    const projector = new Projector(ds, store, [poisoned, timeline], {
      pollIntervalMs: 50,
      log: (e) => e.msg === 'batch.failed' && failures.push(e),
    });
    await projector.init();
    const last = await openCases(2, 5);
    projector.start();
    try {
      expect(await projector.waitFor(['case_timeline'], last.position!, 10_000)).toBe(true);
      expect(failures.length).toBeGreaterThan(0);
    } finally {
      await projector.stop();
    }
  });
});
