import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import {
  caseDecider,
  caseStreamId,
  deadlineDecider,
  SLA_SETTINGS_STREAM_ID,
  slaSettingsDecider,
  type CaseCommand,
  type SlaSettingsCommand,
} from '#domain';
import { handleCommand, PostgresEventStore, START, type CommandRequest } from '#event-store';
import { registerEnterprise } from '../../../test/support/district.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.js';
import { aCatalogue } from '../../domain/src/testing/builders.js';
import { SCHEDULE_2027 } from '../../domain/src/testing/calendar-2027.js';
import { createDataSource, migrate, PROJECTIONS } from './data-source.js';
import { Projector } from './projector.js';
import { SLA_CLOCK_LOCKS, SlaClock } from '#workers';
import { baseCalendar } from './projections/case-sla.projection.js';

const catalogue = aCatalogue();
const at = (local: string) => new Date(`${local}:00+08:00`);
let db: TestDatabase;
let store: PostgresEventStore;
let ds: DataSource;
let projector: Projector;
let enterprise: Awaited<ReturnType<typeof registerEnterprise>>;

beforeAll(async () => {
  db = await createTestDatabase();
  await migrate(db.url);
  store = PostgresEventStore.connect(db.url, { poolSize: 10, pollIntervalMs: 100 });
  ds = createDataSource(db.url);
  await ds.initialize();
  projector = new Projector(
    ds,
    store,
    PROJECTIONS.filter((p) => p.name === 'case_sla'),
    { batchSize: 3 },
  );
  await projector.init();
  enterprise = await registerEnterprise(store, 1);
});
afterAll(async () => {
  await ds.destroy();
  await store.close();
  await db.drop();
});

const context = (now: Date) => {
  const id = randomUUID();
  return { commandId: id, actor: 'test', correlationId: id, now };
};
const onCase = (caseId: string, local: string, command: CommandRequest<CaseCommand>) =>
  handleCommand(store, caseDecider, caseStreamId(caseId), command, context(at(local)));
const settings = (local: string, command: CommandRequest<SlaSettingsCommand>) =>
  handleCommand(store, slaSettingsDecider, SLA_SETTINGS_STREAM_ID, command, context(at(local)));
const open = (caseId: string, local: string, priority = 'normal') =>
  onCase(caseId, local, {
    type: 'OpenCase',
    data: {
      caseId,
      enterprise,
      category: 'tax',
      channel: 'hotline',
      priority,
      description: 'd',
      catalogue,
    },
  } as never);
const dispatch = (caseId: string, local: string, lead = 'tax') =>
  onCase(caseId, local, {
    type: 'DispatchCase',
    data: { leadDepartment: lead, coDepartments: [], catalogue },
  });
const accept = (caseId: string, local: string) =>
  onCase(caseId, local, { type: 'AcceptCase', data: {} });
const respond = (caseId: string, local: string) =>
  onCase(caseId, local, { type: 'RecordFirstResponse', data: { message: 'm' } });
const resolve = (caseId: string, local: string) =>
  onCase(caseId, local, { type: 'ResolveCase', data: { resolution: 'r', outcome: 'solved' } });

const local = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
async function deadlines() {
  const rows = (await ds.query(
    `SELECT case_id, first_response_due_at, resolution_due_at FROM case_sla ORDER BY case_id`,
  )) as { case_id: string; first_response_due_at: Date; resolution_due_at: Date }[];
  return Object.fromEntries(
    rows.map((r) => [r.case_id, `${local(r.first_response_due_at)} ${local(r.resolution_due_at)}`]),
  );
}
async function metrics() {
  const rows = (await ds.query(
    `SELECT dimension, to_char(day, 'YYYY-MM-DD') AS day, key, received, resolution_due, resolved_on_time, overdue
     FROM case_metrics_daily WHERE grain = 'day' AND received + resolution_due + overdue > 0 ORDER BY 1, 2, 3`,
  )) as Record<string, unknown>[];
  return Object.fromEntries(
    rows.map(({ dimension, day, key, ...counters }) => [`${dimension}/${day}/${key}`, counters]),
  );
}
async function everything() {
  const tables = [
    'case_sla',
    'case_metrics_daily',
    'sla_calendar_day',
    'sla_policy_change',
    'sla_calendar_year',
  ];
  const out: Record<string, unknown> = {};
  for (const table of tables)
    out[table] = await ds.query(
      `SELECT * FROM ${table} ORDER BY ${table === 'case_metrics_daily' ? '1, 2, 3, 4' : '1'}`,
    );
  return JSON.parse(JSON.stringify(out)) as unknown;
}

describe('the case SLA and metrics projection', () => {
  it('moves exactly the deadlines and figures a calendar override affects, and rebuilds to the same tables', async () => {
    // A: due 11-30 18:00, resolved 12-01 10:00 (late, until 11-18 becomes a typhoon day).
    await open('a', '2026-11-16T10:00');
    await dispatch('a', '2026-11-16T10:10');
    await accept('a', '2026-11-16T10:20');
    await respond('a', '2026-11-16T17:00');
    // B: long finished before 11-18.
    await open('b', '2026-11-02T10:00');
    await dispatch('b', '2026-11-02T10:10');
    await accept('b', '2026-11-02T10:20');
    await respond('b', '2026-11-03T09:30');
    await resolve('b', '2026-11-04T10:00');
    // C: opened after 11-18. D: open across it, never answered.
    await open('c', '2026-11-25T10:00');
    await open('d', '2026-11-17T10:00');
    await resolve('a', '2026-12-01T10:00');
    await projector.catchUp();
    const before = { deadlines: await deadlines(), metrics: await metrics() };
    expect(before.metrics['district/2026-11-16/all']).toEqual({
      received: 1,
      resolution_due: 1,
      resolved_on_time: 0,
      overdue: 1,
    });

    await settings('2026-12-02T09:00', {
      type: 'SetCalendarDay',
      data: { date: '2026-11-18', working: false, name: '台风停工' },
    });
    await projector.catchUp();
    const after = { deadlines: await deadlines(), metrics: await metrics() };

    const moved = Object.keys(after.deadlines).filter(
      (id) => after.deadlines[id] !== before.deadlines[id],
    );
    expect(moved).toEqual(['a', 'd']);
    expect([before.deadlines.a, after.deadlines.a]).toEqual([
      '2026-11-16T18:00 2026-11-30T18:00',
      '2026-11-16T18:00 2026-12-01T18:00',
    ]);
    const changed = Object.keys(after.metrics).filter(
      (cell) => JSON.stringify(after.metrics[cell]) !== JSON.stringify(before.metrics[cell]),
    );
    // Only the cells case A counts in (its intake day), and there A is now on time.
    expect(changed.sort()).toEqual(
      [
        'category/2026-11-16/tax',
        'channel/2026-11-16/hotline',
        'district/2026-11-16/all',
        'lead_department/2026-11-16/tax',
        `street/2026-11-16/${enterprise.street}`,
      ].sort(),
    );
    expect(after.metrics['district/2026-11-16/all']).toEqual({
      received: 1,
      resolution_due: 1,
      resolved_on_time: 1,
      overdue: 0,
    });

    // More history: a policy for urgent cases, alerts raised by the clock, then a rebuild.
    await open('e', '2026-11-23T10:00', 'urgent');
    await dispatch('e', '2026-11-23T10:10'); // 督办 is ordered on a department
    await settings('2026-12-02T09:30', {
      type: 'SetSlaPolicy',
      data: {
        key: '*/urgent',
        policy: { resolutionWorkingDays: 2, autoSuperviseOnOverdue: true },
        effectiveFrom: '2026-11-20T00:00:00+08:00',
        catalogue,
      },
    });
    await projector.catchUp();
    expect((await deadlines()).e).toBe('2026-11-23T18:00 2026-11-25T18:00');
    const clock = new SlaClock(ds, store, { now: () => at('2026-12-03T10:00') });
    expect(await clock.tick()).toEqual({ checked: 3, raised: 3 }); // c, d and e
    await projector.catchUp();
    expect(await clock.tick()).toEqual({ checked: 0, raised: 0 });
    const [{ n }] = (await ds.query(
      `SELECT count(*)::int AS n FROM events WHERE event_type = 'CaseSupervisionOrdered' AND data->>'automatic' = 'true'`,
    )) as { n: number }[];
    expect(n).toBe(1); // e, under the urgent policy (d has no department)

    // A case open across the New Year, then the whole 2027 schedule imported: its deadline
    // moves past New Year's Day, and the new columns say what runs.
    await open('f', '2026-12-24T10:00');
    await dispatch('f', '2026-12-24T10:10');
    await accept('f', '2026-12-24T10:20');
    await respond('f', '2026-12-24T11:00');
    await projector.catchUp();
    expect((await deadlines()).f).toBe('2026-12-24T18:00 2027-01-07T18:00');
    await settings('2026-12-25T09:00', { type: 'ImportCalendarYear', data: SCHEDULE_2027 });
    await projector.catchUp();
    expect((await deadlines()).f).toBe('2026-12-24T18:00 2027-01-08T18:00');
    const [f] = (await ds.query(
      `SELECT first_responded_at, interim_update_due_at, paused, stopped, next_due_at FROM case_sla WHERE case_id = 'f'`,
    )) as Record<string, unknown>[];
    expect(f).toEqual({
      first_responded_at: at('2026-12-24T11:00'),
      interim_update_due_at: at('2026-12-28T15:00'),
      paused: false,
      stopped: false,
      next_due_at: at('2026-12-28T15:00'),
    });

    const incremental = await everything();
    await projector.rebuild('case_sla');
    expect(await everything()).toEqual(incremental);
  });

  it('raises each alert once with two clock workers running at once', async () => {
    const ids = Array.from({ length: 24 }, (_, i) => `two-${String(i).padStart(2, '0')}`);
    for (const id of ids) await open(id, '2026-11-16T10:00');
    await projector.catchUp();
    const now = () => at('2026-11-17T10:00');
    const a = new SlaClock(ds, store, { now, batchSize: 5 });
    const b = new SlaClock(ds, store, { now, batchSize: 5 });
    // Rounds without the projector in between: the same cases are claimed again while
    // their alerts are already in the log, by one worker or the other.
    for (let round = 0; round < 6; round++) await Promise.all([a.tick(), b.tick(), a.tick()]);
    // And two raw checks of one case racing each other.
    const check = () =>
      handleCommand(
        store,
        deadlineDecider,
        caseStreamId(ids[0]!),
        {
          type: 'CheckDeadlines',
          data: { calendar: baseCalendar(), policies: [] },
        },
        context(at('2026-11-17T10:00')),
      );
    await Promise.all([check(), check(), check()]);
    const rows = (await ds.query(
      `SELECT stream_id, data->>'clock' AS clock, data->>'dueAt' AS due, count(*)::int AS n
       FROM events WHERE event_type = 'CaseOverdue' AND stream_id LIKE 'case-two-%'
       GROUP BY 1, 2, 3`,
    )) as { n: number }[];
    expect(rows).toHaveLength(ids.length);
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });

  it('holds no transaction while it checks: the global log goes on showing new events', async () => {
    const ids = ['horizon-a', 'horizon-b'];
    for (const id of ids) await open(id, '2026-11-16T10:00');
    await projector.catchUp();
    // A store whose first CheckDeadlines append waits until an event committed meanwhile is
    // in the global log (a row-locking page would hide it until the page's end).
    let seen: boolean | null = null;
    const watching = Object.create(store) as PostgresEventStore;
    watching.appendToStream = async (...args: Parameters<PostgresEventStore['appendToStream']>) => {
      if (seen === null) {
        const other = await registerEnterprise(store, 4_242);
        const until = Date.now() + 3_000;
        seen = false;
        while (!seen && Date.now() < until) {
          const events = await store.readAll({ after: START, limit: 100_000 });
          seen = events.some((e) => e.streamId.endsWith(other.enterpriseId));
          if (!seen) await new Promise((r) => setTimeout(r, 50));
        }
      }
      return store.appendToStream(...args);
    };
    const clock = new SlaClock(ds, watching, { now: () => at('2026-11-17T10:00') });
    const { raised } = await clock.tick();
    expect({ seen, raised: raised >= ids.length }).toEqual({ seen: true, raised: true });
    // Nothing is left claimed: a second worker finds the cases (now raised) free to look at.
    // (This database's and the clock's own: on a shared server other tests hold locks too.)
    const locks = (await ds.query(
      `SELECT count(*)::int AS n FROM pg_locks
       WHERE locktype = 'advisory' AND objsubid = 2 AND classid = $1::oid
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [SLA_CLOCK_LOCKS],
    )) as { n: number }[];
    expect(locks[0]!.n).toBe(0);
  });

  it('keeps its settings between its batches, and loads them again after another process moved them', async () => {
    // A second process: a projector on a data source of its own (its own kept settings).
    const other = createDataSource(db.url);
    await other.initialize();
    try {
      const elsewhere = new Projector(
        other,
        store,
        PROJECTIONS.filter((p) => p.name === 'case_sla'),
      );
      // Counts the batches that load the settings (their first statement).
      let loads = 0;
      const query = pg.Client.prototype.query;
      pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
        const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
        if (text?.includes('FROM sla_calendar_day')) loads++;
        return (query as (...a: unknown[]) => unknown).apply(this, args);
      } as never;
      try {
        await open('g', '2027-03-01T10:00');
        await projector.catchUp();
        await dispatch('g', '2027-03-01T10:10');
        const kept = loads;
        await projector.catchUp(); // started where its last batch ended: no load
        expect(loads).toBe(kept);
      } finally {
        pg.Client.prototype.query = query;
      }
      const before = (await deadlines()).g;
      // The other process projects an override that moves g's resolution deadline…
      await settings('2027-03-02T09:00', {
        type: 'SetCalendarDay',
        data: { date: '2027-03-03', working: false, name: '停电检修' },
      });
      await elsewhere.catchUp();
      const moved = (await deadlines()).g;
      expect(moved).not.toBe(before);
      // …and this process's next batch must not fold g again under the settings it kept.
      await accept('g', '2027-03-02T10:00');
      await projector.catchUp();
      expect((await deadlines()).g).toBe(moved);
      const incremental = await everything();
      await projector.rebuild('case_sla');
      expect(await everything()).toEqual(incremental);
    } finally {
      await other.destroy();
    }
  });
});
