import type { DataSource } from 'typeorm';
import { PostgresEventStore, type CommandResult } from '#event-store';
import { caseDecider } from '#domain';
import { caseWithHistory, registerEnterprise, run } from '../../../test/support/district.js';
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
    const timeline = PROJECTIONS.find((p) => p.name === 'case_timeline')!;
    const failing = {
      ...timeline,
      async apply(events: never[], em: never, batch: never) {
        await timeline.apply(events, em, batch);
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

  describe('rounds (every projection in one transaction, the log read once)', () => {
    const TABLES = [
      'case_view',
      'case_timeline',
      'case_sla',
      'case_metrics_daily',
      'enterprise_view',
    ];
    /** Each table's rows, in an order that does not depend on how they were written. */
    const tables = async () =>
      Object.fromEntries(
        await Promise.all(
          TABLES.map(async (t) => [
            t,
            ((await ds.query(`SELECT * FROM ${t}`)) as unknown[])
              .map((r) => JSON.stringify(r))
              .sort(),
          ]),
        ),
      );

    it('applies each projection from its own checkpoint, to the rows each alone would write', async () => {
      const projector = new Projector(ds, store, PROJECTIONS, { batchSize: 40 });
      await openCases(6, 20);
      await projector.catchUp();
      // Two projections start again from the beginning while the others (the timeline, which
      // cannot take an event twice, among them) are at the head: the round reads once from
      // the furthest behind and gives each projection only what is after its own checkpoint.
      const again = PROJECTIONS.filter((p) => p.name === 'case_view' || p.name === 'case_sla');
      await ds.query(`TRUNCATE ${again.flatMap((p) => p.tables).join(', ')}`);
      await ds.query(
        `UPDATE projection_checkpoints SET transaction_id = '0', global_position = 0
         WHERE name = ANY($1)`,
        [again.map((p) => p.name)],
      );
      const last = await openCases(3, 21);
      const logged: Record<string, unknown>[] = [];
      const rounds = new Projector(ds, store, PROJECTIONS, {
        batchSize: 40,
        log: (e) => logged.push(e),
      });
      await rounds.catchUp();
      const applying = logged.filter((e) => e.msg === 'batch.applying');
      expect(applying.length).toBeGreaterThan(1);
      // Every batch was a round (none fell back to a projection alone).
      expect(applying.every((e) => Array.isArray(e.projections))).toBe(true);
      expect(applying[0]!.projections).toContain('case_view');
      const together = await tables();
      // The same log, projected one projection at a time.
      for (const name of ['case_view', 'case_timeline', 'case_sla', 'enterprise_view'])
        await projector.rebuild(name);
      expect(await tables()).toEqual(together);
      expect((await rounds.checkpoints()).get('case_view')).toEqual(
        (await rounds.checkpoints()).get('reference_view'),
      );
      expect(await rounds.waitFor(['case_view', 'case_sla'], last.position!, 100)).toBe(true);
    });

    it('leaves out a projection another process holds, and moves the others', async () => {
      const projector = new Projector(ds, store, PROJECTIONS);
      await projector.catchUp();
      const before = await projector.checkpoints();
      await openCases(2, 22);
      const holder = ds.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      try {
        await holder.query(
          `SELECT 1 FROM projection_checkpoints WHERE name = 'case_timeline' FOR UPDATE`,
        );
        expect(await projector.runRound()).toBeGreaterThan(0);
        const after = await projector.checkpoints();
        expect(after.get('case_timeline')).toEqual(before.get('case_timeline'));
        expect(after.get('case_view')).not.toEqual(before.get('case_view'));
      } finally {
        await holder.rollbackTransaction();
        await holder.release();
      }
      await projector.catchUp();
      const after = await projector.checkpoints();
      expect(after.get('case_timeline')).toEqual(after.get('case_view'));
    });

    it('catches up through a batch another process holds: it waits, it does not take busy for done', async () => {
      const projector = new Projector(ds, store, PROJECTIONS);
      await projector.catchUp();
      const last = await openCases(1, 24);
      const holder = ds.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      let settled = false;
      let catching: Promise<void> | undefined;
      try {
        await holder.query(
          `SELECT 1 FROM projection_checkpoints WHERE name = 'case_timeline' FOR UPDATE`,
        );
        catching = projector.catchUp().finally(() => (settled = true));
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(settled).toBe(false);
      } finally {
        await holder.rollbackTransaction();
        await holder.release();
      }
      await catching;
      expect(await projector.waitFor(['case_timeline'], last.position!, 0)).toBe(true);
    });

    it('moves the others to the head while one projection is far behind', async () => {
      const projector = new Projector(ds, store, PROJECTIONS, { batchSize: 5 });
      await projector.catchUp();
      // case_view starts again from the beginning of the log (a migration can ask for that).
      await ds.query(`TRUNCATE case_view`);
      await ds.query(
        `UPDATE projection_checkpoints SET transaction_id = '0', global_position = 0 WHERE name = 'case_view'`,
      );
      const last = await openCases(1, 25);
      // One round: case_view reads its first 5 events; the others, a read of their own.
      await projector.runRound();
      const after = await projector.checkpoints();
      expect(await projector.waitFor(['case_timeline', 'case_sla'], last.position!, 0)).toBe(true);
      expect(await count('case_view')).toBeLessThanOrEqual(5);
      expect(after.get('case_view')!.globalPosition).toBeLessThan(
        after.get('case_timeline')!.globalPosition,
      );
      await projector.catchUp();
      const caughtUp = await ds.query(`SELECT * FROM case_view ORDER BY id`);
      await projector.rebuild('case_view');
      expect(await ds.query(`SELECT * FROM case_view ORDER BY id`)).toEqual(caughtUp);
    });

    it('gives way when a row it writes stays locked (the SLA clock holds its page): the others go on', async () => {
      const projector = new Projector(ds, store, PROJECTIONS, { pollIntervalMs: 50 });
      await projector.init();
      const enterprise = await registerEnterprise(store, 26);
      const first = await caseWithHistory(store, enterprise, 1);
      await projector.catchUp();
      const caseId = first.streamId.replace(/^case-/, '');
      const next = await run(store, caseDecider, first.streamId, { type: 'AcceptCase', data: {} });
      // The lock is taken after the event committed: a transaction holding a row lock also
      // holds back what the log shows (its transaction id), so only events older than it
      // can meet its locks — as with the SLA clock's page of case_sla rows.
      const holder = ds.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      try {
        await holder.query(`SELECT 1 FROM case_sla WHERE case_id = $1 FOR UPDATE`, [caseId]);
        projector.start();
        // Its round times out on the lock; alone, case_sla waits and every other moves on.
        expect(await projector.waitFor(['case_view', 'case_timeline'], next.position!, 5_000)).toBe(
          true,
        );
        expect(await projector.waitFor(['case_sla'], next.position!, 300)).toBe(false);
        await holder.rollbackTransaction();
        expect(await projector.waitFor(['case_sla'], next.position!, 5_000)).toBe(true);
      } finally {
        if (holder.isTransactionActive) await holder.rollbackTransaction();
        await holder.release();
        await projector.stop();
      }
    });

    it('rolls a failing round back whole, and catching up then runs each alone', async () => {
      const projector = new Projector(ds, store, PROJECTIONS);
      await projector.catchUp();
      const before = await projector.checkpoints();
      const timelineRows = await count('case_timeline');
      const timeline = PROJECTIONS.find((p) => p.name === 'case_timeline')!;
      const view = PROJECTIONS.find((p) => p.name === 'case_view')!;
      const failing = {
        ...view,
        async apply() {
          throw new Error('disk full');
        },
      };
      await openCases(2, 23);
      const broken = new Projector(ds, store, [timeline, failing]);
      await expect(broken.runRound()).rejects.toThrow('disk full');
      // Nothing of the round is left: not the timeline's rows, not its checkpoint.
      expect(await count('case_timeline')).toBe(timelineRows);
      expect((await projector.checkpoints()).get('case_timeline')).toEqual(
        before.get('case_timeline'),
      );
      // Alone, the timeline goes ahead and the failing projection throws its own error.
      await expect(broken.catchUp()).rejects.toThrow('disk full');
      expect(await count('case_timeline')).toBeGreaterThan(timelineRows);
      expect((await projector.checkpoints()).get('case_view')).toEqual(before.get('case_view'));
      await projector.catchUp();
    });
  });
});
