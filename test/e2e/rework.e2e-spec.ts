import { Projector } from '#read-model';
import { startTestApp, type Response, type TestApp } from '../support/app.js';
import { testDistrict } from '../support/http.js';

/**
 * 退回重办 takes the resolution back everywhere: the case, the worklist, the metrics and
 * the monthly ledger all fold the one lifecycle (libs/domain/src/case/lifecycle.ts).
 */
let now = new Date('2026-11-16T02:00:00Z'); // Monday 10:00 in Shenzhen
const at = (local: string) => new Date(`${local}:00+08:00`);
let t: TestApp;
let d: ReturnType<typeof testDistrict>;

beforeAll(async () => {
  t = await startTestApp({}, { clock: { now: () => now } });
  d = testDistrict(t, 7700);
});
afterAll(() => t.close());

const detail = async (id: string, after: Response) =>
  (
    await t.request('GET', `/api/v1/cases/${id}`, {
      headers: { 'x-consistent-with': after.body.position },
    })
  ).body;
const listed = async (id: string, after: Response) => {
  const res = await t.request('GET', '/api/v1/cases?limit=100', {
    headers: { 'x-consistent-with': after.body.position },
  });
  expect(res.status).toBe(200);
  return res.body.items.find((c: { id: string }) => c.id === id);
};
const district = async () => {
  await t.app.get(Projector).catchUp();
  const res = await t.request(
    'GET',
    '/api/v1/metrics?dimension=district&period=month&on=2026-11-16',
  );
  expect(res.status).toBe(200);
  return res.body.rows.find((r: { key: string }) => r.key === 'all');
};
const ledgerRow = async (id: string) => {
  await t.app.get(Projector).catchUp();
  const csv = await t.request('GET', '/api/v1/reports/monthly-ledger?month=2026-11&format=csv');
  expect(csv.status).toBe(200);
  return (csv.body as string)
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\n')
    .find((line) => line.startsWith(id));
};

describe('a case sent back for rework (退回重办)', () => {
  it('shows as not solved in GET /cases, GET /cases/:id, the metrics and the ledger', async () => {
    const { code } = await d.registerEnterprise();
    const id = (await d.openCase(code)).body.id as string;
    now = at('2026-11-16T10:30');
    await d.steps(id, [
      ['dispatch', { leadDepartment: 'power_supply' }],
      ['accept'],
      ['first-response', { message: '已联系企业' }],
    ]);
    now = at('2026-11-17T10:00');
    const resolved = await d.steps(id, [['resolve', { resolution: '已协调', outcome: 'solved' }]]);

    // Resolved: solved everywhere, and not on the ledger of open cases.
    expect(await detail(id, resolved)).toMatchObject({
      status: 'resolved',
      outcome: 'solved',
      resolution: '已协调',
      resolvedAt: expect.any(String),
    });
    expect((await district()).counters).toMatchObject({ received: 1, solved: 1 });
    expect(await ledgerRow(id)).toBeUndefined();

    now = at('2026-11-17T15:00');
    const reworked = await d.steps(id, [
      ['callback', { satisfaction: 'unsatisfied', comment: '夜班仍受影响' }],
    ]);
    const notSolved = {
      status: 'accepted',
      outcome: null,
      resolution: null,
      resolvedAt: null,
      satisfaction: 'unsatisfied',
      reworkedCount: 1,
    };
    expect(await detail(id, reworked)).toMatchObject(notSolved);
    expect(await listed(id, reworked)).toMatchObject(notSolved);
    const metrics = await district();
    expect(metrics.counters).toMatchObject({
      received: 1,
      solved: 0,
      resolutionDue: 0,
      reopened: 1,
      callbacks: 1,
      satisfied: 0,
    });
    expect(metrics.rates.resolutionRate).toBeNull();
    expect(await ledgerRow(id)).toContain('办理中');

    // Resolved again: solved once more, the unsatisfied callback replaced by the next one.
    now = at('2026-11-18T11:00');
    const again = await d.steps(id, [
      ['resolve', { resolution: '调整了有序用电时段', outcome: 'partly_solved' }],
    ]);
    expect(await detail(id, again)).toMatchObject({
      status: 'resolved',
      outcome: 'partly_solved',
      resolution: '调整了有序用电时段',
      satisfaction: null,
    });
    expect((await district()).counters).toMatchObject({ solved: 1, reopened: 1, callbacks: 0 });
  });
});
