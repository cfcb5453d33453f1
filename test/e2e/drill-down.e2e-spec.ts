import { CommandBus } from '@nestjs/cqrs';
import { Projector } from '#read-model';
import { SlaClock } from '#workers';
import { seedDistrict } from '../../apps/api/src/cli/demo-district.js';
import { createDemoUsers, demoPeople } from '../../apps/api/src/cli/demo-users.js';
import { EVENT_STORE } from '../../apps/api/src/infrastructure/tokens.js';
import { CASE_METRICS } from '../../apps/api/src/cases/list-cases/list-cases.dto.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectError } from '../support/http.js';

/**
 * The leaders' dashboard drills down: for every figure of GET /metrics, the case list
 * filtered by the same metric, period and row holds exactly that many cases.
 */
let t: TestApp;
const now = new Date('2026-11-20T08:00:00Z');

beforeAll(async () => {
  t = await startTestApp({}, { clock: { now: () => now } });
  const users = await createDemoUsers(t.app, new Date(now.getTime() - 100 * 86400_000));
  await seedDistrict(
    t.app.get(CommandBus),
    { enterprises: 30, visits: 60, cases: 300 },
    { now, store: t.app.get(EVENT_STORE), people: demoPeople(users) },
  );
  // The clock worker raises the overdue alerts of the fixed now: stop it and raise them all
  // here first, so the figures and the lists are read from one state.
  const clock = t.app.get(SlaClock);
  await clock.stop();
  while ((await clock.tick()).raised > 0) await t.app.get(Projector).catchUp();
  await t.app.get(Projector).catchUp();
}, 180_000);
afterAll(() => t.close());

interface Row {
  key: string;
  counters: Record<string, number>;
}

async function checkEquality(dimension: string, period: string, on: string) {
  const metrics = await t.request(
    'GET',
    `/api/v1/metrics?dimension=${dimension}&period=${period}&${on}&minCases=1`,
    { as: 'leader' },
  );
  expect(metrics.status).toBe(200);
  const { from, to } = metrics.body.period as { from: string; to: string };
  const rows = metrics.body.rows as Row[];
  expect(rows.length).toBeGreaterThan(0);
  const figures: Record<string, number> = {};
  const totals: Record<string, number> = {};
  for (const row of rows) {
    for (const metric of CASE_METRICS) {
      const id = `${dimension}/${row.key}/${metric}`;
      figures[id] = row.counters[metric]!;
      const res = await t.request(
        'GET',
        `/api/v1/cases/counts?metric=${metric}&dimension=${dimension}&key=${encodeURIComponent(row.key)}&openedFrom=${from}&openedTo=${to}`,
        { as: 'leader' },
      );
      expect(res.status).toBe(200);
      totals[id] = res.body.total;
    }
  }
  expect(totals).toEqual(figures);
  return { rows, from, to };
}

describe('drill-down equality over the seeded district', () => {
  it('for every card (the district row) and every department row of the month view, the filtered total equals the figure', async () => {
    const district = await checkEquality('district', 'month', 'on=2026-11-20');
    // The seed spreads cases over 90 days: this month holds some of every kind.
    const counters = district.rows[0]!.counters;
    for (const metric of ['received', 'resolutionDue', 'solved', 'overdue', 'callbacks'])
      expect({ metric, n: counters[metric]! > 0 }).toEqual({ metric, n: true });
    const departments = await checkEquality('lead_department', 'month', 'on=2026-11-20');
    expect(departments.rows.length).toBeGreaterThan(3);
  }, 120_000);

  it('holds for the breakdowns by street, category, channel and visit level over a quarter', async () => {
    for (const dimension of ['street', 'category', 'channel', 'visit_level'])
      await checkEquality(dimension, 'quarter', 'on=2026-10-15');
  }, 180_000);

  it('holds over a custom range of days, compared with the as many days before', async () => {
    const { rows, from, to } = await checkEquality(
      'lead_department',
      'range',
      'from=2026-10-10&to=2026-11-05',
    );
    expect({ from, to }).toEqual({ from: '2026-10-10', to: '2026-11-06' });
    expect(rows.length).toBeGreaterThan(1);
    const metrics = await t.request(
      'GET',
      '/api/v1/metrics?dimension=district&period=range&from=2026-10-10&to=2026-11-05',
      { as: 'leader' },
    );
    expect(metrics.body.previousPeriod).toEqual({
      kind: 'range',
      from: '2026-09-13',
      to: '2026-10-10',
      label: '2026-09-13~2026-10-09',
    });
    expectError(
      await t.request('GET', '/api/v1/metrics?period=range&from=2026-10-10', { as: 'leader' }),
      400,
      'REQUEST.INVALID',
    );
    expectError(
      await t.request('GET', '/api/v1/metrics?period=range&from=2026-10-10&to=2026-10-01', {
        as: 'leader',
      }),
      400,
      'REQUEST.INVALID',
    );
  });

  it('lists exactly the counted cases, page by page', async () => {
    const metrics = await t.request(
      'GET',
      '/api/v1/metrics?dimension=lead_department&period=quarter&on=2026-10-15&minCases=1',
      { as: 'leader' },
    );
    const row = (metrics.body.rows as Row[]).find((r) => r.key !== '-' && r.counters.solved > 3)!;
    const { from, to } = metrics.body.period;
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res: {
        status: number;
        body: { items: { id: string; leadDepartment: string }[]; nextCursor: string | null };
      } = await t.request(
        'GET',
        `/api/v1/cases?metric=solved&dimension=lead_department&key=${row.key}&openedFrom=${from}&openedTo=${to}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { as: 'leader' },
      );
      expect(res.status).toBe(200);
      for (const item of res.body.items) expect(item.leadDepartment).toBe(row.key);
      ids.push(...res.body.items.map((i) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(ids).size).toBe(row.counters.solved);
  }, 60_000);

  it('refuses a dimension without a key, and an unknown metric, naming the field', async () => {
    expectError(
      await t.request('GET', '/api/v1/cases?dimension=street', { as: 'leader' }),
      400,
      'REQUEST.INVALID',
    );
    const bad = await t.request('GET', '/api/v1/cases/counts?metric=returned', { as: 'leader' });
    expectError(bad, 400, 'REQUEST.INVALID');
    expect(bad.body.message).toContain('metric');
  });
});
