/**
 * POST /sla/policies/preview: a policy change effective in the past, previewed — how many
 * cases' deadlines move and which monthly figures change — then applied, and the figures
 * the metrics show afterwards are the ones the preview promised. The preview appends nothing.
 */
import { DataSource } from 'typeorm';
import { Projector } from '#read-model';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectError, testDistrict } from '../support/http.js';

let now = new Date('2026-10-30T02:00:00Z');
const at = (local: string) => new Date(`${local}:00+08:00`);
let t: TestApp;
let district: ReturnType<typeof testDistrict>;
const caughtUp = () => t.app.get(Projector).catchUp();
const eventCount = async () =>
  Number(
    (
      (await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM events`)) as {
        n: number;
      }[]
    )[0]!.n,
  );

beforeAll(async () => {
  t = await startTestApp({}, { clock: { now: () => now } });
  district = testDistrict(t, 7300);
});
afterAll(() => t.close());

const change = {
  key: 'power_supply/*',
  policy: { resolutionWorkingDays: 3 },
  effectiveFrom: '2026-11-01T00:00:00+08:00',
};

describe('previewing an SLA policy change effective in the past', () => {
  let early: string; // power_supply, opened before the change takes effect
  let resolved: string; // power_supply, resolved on its 6th working day: on time, then late
  let open: string; // power_supply, still open
  let tax: string; // another category: not covered

  beforeAll(async () => {
    const { code } = await district.registerEnterprise();
    now = at('2026-10-30T10:00');
    early = (await district.openCase(code)).body.id;
    now = at('2026-11-16T10:00'); // Monday
    resolved = (await district.openCase(code)).body.id;
    open = (await district.openCase(code)).body.id;
    tax = (await district.openCase(code, {}, { category: 'tax' })).body.id;
    for (const id of [resolved, open])
      await district.steps(id, [
        ['dispatch', { leadDepartment: 'power_supply' }],
        ['accept'],
        ['first-response', { message: '已联系企业' }],
      ]);
    now = at('2026-11-24T10:00'); // the 6th working day after intake
    await district.steps(resolved, [['resolve', { resolution: '已协调', outcome: 'solved' }]]);
    await caughtUp();
  });

  it('counts the cases whose deadlines move and the cells whose figures change, appending nothing', async () => {
    const metricsBefore = await t.request(
      'GET',
      '/api/v1/metrics?dimension=lead_department&period=month&on=2026-11-20&minCases=1',
      { as: 'leader' },
    );
    const rowBefore = metricsBefore.body.rows.find(
      (r: { key: string }) => r.key === 'power_supply',
    );
    expect(rowBefore.counters).toMatchObject({ resolutionDue: 1, resolvedOnTime: 1, overdue: 0 });

    const events = await eventCount();
    const res = await t.request('POST', '/api/v1/sla/policies/preview', { body: change });
    expect(res.status).toBe(200);
    expect(await eventCount()).toBe(events);
    const settings = await t.request('GET', '/api/v1/sla');
    expect(settings.body.policies).toEqual([]);

    expect(res.body).toMatchObject({
      key: 'power_supply/*',
      effectiveFrom: '2026-10-31T16:00:00.000Z',
      retroactive: true,
      casesCovered: 2,
      casesMoved: 2,
      casesChangingFigures: 1,
      truncated: false,
    });
    const ids = res.body.cases.map((c: { caseId: string }) => c.caseId);
    expect(ids.sort()).toEqual([resolved, open].sort());
    expect(ids).not.toContain(early);
    expect(ids).not.toContain(tax);
    // 10 working days after 11-16 is 11-30 18:00; 3 working days is 11-19 18:00.
    const moved = res.body.cases.find((c: { caseId: string }) => c.caseId === resolved);
    expect(moved.changes).toContainEqual({
      clock: 'resolution',
      oldDueAt: '2026-11-30T10:00:00.000Z',
      newDueAt: '2026-11-19T10:00:00.000Z',
    });

    // Only the resolved case's figures change: on time → late, in every cell it counts in.
    const cellKeys = res.body.cells.map(
      (c: { month: string; dimension: string; key: string }) =>
        `${c.month} ${c.dimension} ${c.key}`,
    );
    expect(cellKeys.sort()).toEqual(
      [
        '2026-11 category power_supply',
        '2026-11 channel hotline',
        '2026-11 district all',
        '2026-11 lead_department power_supply',
        '2026-11 street bantian',
      ].sort(),
    );
    const lead = res.body.cells.find(
      (c: { dimension: string }) => c.dimension === 'lead_department',
    );
    expect(lead.counters).toEqual([
      { counter: 'resolvedOnTime', before: 1, after: 0 },
      { counter: 'overdue', before: 0, after: 1 },
    ]);
    expect(lead.rates).toEqual([{ rate: 'onTimeResolutionRate', before: 1, after: 0 }]);

    // Applied, the metrics show what the preview said they would.
    const applied = await t.request('POST', '/api/v1/sla/policies', { body: change });
    expect(applied.status).toBe(200);
    await caughtUp();
    const metricsAfter = await t.request(
      'GET',
      '/api/v1/metrics?dimension=lead_department&period=month&on=2026-11-20&minCases=1',
      { as: 'leader' },
    );
    const rowAfter = metricsAfter.body.rows.find((r: { key: string }) => r.key === 'power_supply');
    for (const { counter, after } of lead.counters) expect(rowAfter.counters[counter]).toBe(after);
    expect(rowAfter.rates.onTimeResolutionRate).toBe(0);
    const detail = await t.request('GET', `/api/v1/cases/${open}`);
    expect(detail.body.deadlines.resolution.dueAt).toBe('2026-11-19T10:00:00.000Z');

    // Previewed again, the same change moves nothing more.
    const again = await t.request('POST', '/api/v1/sla/policies/preview', { body: change });
    expect(again.body).toMatchObject({ casesCovered: 2, casesMoved: 0, casesChangingFigures: 0 });
    expect(again.body.cells).toEqual([]);
  });

  it('refuses what the change itself would refuse, with the same codes, and is the admin’s', async () => {
    expectError(
      await t.request('POST', '/api/v1/sla/policies/preview', {
        body: { ...change, key: 'astrology/*' },
      }),
      400,
      'SLA.UNKNOWN_CATEGORY',
    );
    expectError(
      await t.request('POST', '/api/v1/sla/policies/preview', {
        body: { ...change, policy: {} },
      }),
      400,
      'SLA.INVALID_POLICY',
    );
    const invalid = await t.request('POST', '/api/v1/sla/policies/preview', {
      body: { ...change, effectiveFrom: '2026-11-01' },
    });
    expectError(invalid, 400, 'REQUEST.INVALID');
    expect(JSON.stringify(invalid.body)).toContain('effectiveFrom');
    expectError(
      await t.request('POST', '/api/v1/sla/policies/preview', { body: change, as: 'leader' }),
      403,
      'ACCESS.DENIED',
    );
  });
});
