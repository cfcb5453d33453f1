import { Projector } from '#read-model';
import { SlaClock } from '#workers';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectError, testDistrict } from '../support/http.js';

/** A clock the test moves: the API stamps commands with it, the SLA clock judges by it. */
let now = new Date('2026-11-16T02:00:00Z'); // Monday 10:00 in Shenzhen
const at = (local: string) => new Date(`${local}:00+08:00`);
let t: TestApp;
let district: ReturnType<typeof testDistrict>;

beforeAll(async () => {
  t = await startTestApp({}, { clock: { now: () => now } });
  district = testDistrict(t, 7100);
});
afterAll(() => t.close());

const caughtUp = () => t.app.get(Projector).catchUp();

describe('SLA clocks and the leaders’ metrics over HTTP', () => {
  let onTime: string;
  let late: string;

  it('counts a case answered by 18:00 as same-day and one answered the next morning as not', async () => {
    const { code } = await district.registerEnterprise();
    now = at('2026-11-16T10:00');
    onTime = (await district.openCase(code)).body.id;
    late = (await district.openCase(code)).body.id;
    for (const id of [onTime, late])
      await district.steps(id, [['dispatch', { leadDepartment: 'power_supply' }], ['accept']]);
    now = at('2026-11-16T17:59');
    await district.steps(onTime, [['first-response', { message: '已联系企业' }]]);
    now = at('2026-11-17T09:30');
    await district.steps(late, [['first-response', { message: '已联系企业' }]]);
    await caughtUp();

    const res = await t.request(
      'GET',
      '/api/v1/metrics?dimension=lead_department&period=day&on=2026-11-16&minCases=1',
    );
    expect(res.status).toBe(200);
    const row = res.body.rows.find((r: { key: string }) => r.key === 'power_supply');
    expect(row).toMatchObject({
      name: '供电局',
      counters: { received: 2, responseDue: 2, responded: 2, respondedOnTime: 1 },
      rates: { sameDayResponseRate: 0.5, responseRate: 1 },
      rank: 1,
      ranked: true,
    });
    expect(row.firstResponseTime.median).toBeGreaterThan(0);
    expect(res.body.period).toEqual({
      kind: 'day',
      from: '2026-11-16',
      to: '2026-11-17',
      label: '2026-11-16',
    });
  });

  it('raises overdue alerts through the clock and shows them on the case timeline', async () => {
    // A power_supply case is due in 10 working days: 2026-11-30 18:00.
    now = at('2026-12-01T09:00');
    await t.app.get(SlaClock).tick();
    await caughtUp();
    const res = await t.request('GET', `/api/v1/cases/${onTime}`);
    const types = res.body.timeline.map((e: { type: string }) => e.type);
    expect(types).toContain('CaseOverdue');
    // (Its interim update, due 16 working hours after the first response, went overdue first.)
    const overdue = res.body.timeline.find(
      (e: { type: string; data: { clock: string } }) =>
        e.type === 'CaseOverdue' && e.data.clock === 'resolution',
    );
    expect(overdue).toMatchObject({
      actor: 'system:sla-clock',
      data: { clock: 'resolution', dueAt: '2026-11-30T10:00:00.000Z' },
    });
    const month = await t.request(
      'GET',
      '/api/v1/metrics?dimension=district&period=month&on=2026-11-20',
    );
    expect(month.body.rows[0].counters).toMatchObject({
      received: 2,
      resolutionDue: 2,
      overdue: 2,
    });
  });

  it('moves deadlines with a calendar override and shows the settings', async () => {
    const put = await t.request('PUT', '/api/v1/sla/calendar/2026-11-18', {
      body: { working: false, name: '台风停工' },
    });
    expect(put.status).toBe(200);
    await caughtUp();
    const settings = await t.request('GET', '/api/v1/sla');
    expect(settings.body.calendarOverrides).toEqual([
      { date: '2026-11-18', working: false, name: '台风停工' },
    ]);
    expect(settings.body.knownYears).toContain(2026);
    expect(settings.body.officeHours).toEqual(['09:00-12:00', '14:00-18:00']);
    // The resolution deadline moved to 12-01 18:00: the overdue alert no longer counts.
    const month = await t.request(
      'GET',
      '/api/v1/metrics?dimension=district&period=month&on=2026-11-20',
    );
    expect(month.body.rows[0].counters).toMatchObject({
      received: 2,
      resolutionDue: 0,
      overdue: 1,
    });
  });

  it('sets a policy for cases opened from an instant on', async () => {
    const res = await t.request('POST', '/api/v1/sla/policies', {
      body: {
        key: 'power_supply/*',
        policy: { resolutionWorkingDays: 5, autoSuperviseOnOverdue: true },
        effectiveFrom: '2026-12-01T00:00:00+08:00',
      },
    });
    expect(res.status).toBe(200);
    const settings = await t.request('GET', '/api/v1/sla');
    expect(settings.body.policies).toEqual([
      {
        key: 'power_supply/*',
        policy: { resolutionWorkingDays: 5, autoSuperviseOnOverdue: true },
        effectiveFrom: '2026-11-30T16:00:00.000Z',
      },
    ]);
  });

  it('exports the monthly ledger and the quarterly review as .csv and .xlsx', async () => {
    const csv = await t.request('GET', '/api/v1/reports/monthly-ledger?month=2026-11&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toBe(
      'attachment; filename="monthly-ledger-2026-11.csv"',
    );
    const lines = (csv.body as string)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toContain('案件编号');
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual([late, onTime].sort());

    const review = await t.request(
      'GET',
      '/api/v1/reports/quarterly-review?quarter=2026-Q4&format=csv',
    );
    expect(review.status).toBe(200);
    expect(review.body).toContain('供电局');

    const xlsx = await fetch(
      `${await t.app.getUrl()}/api/v1/reports/quarterly-review?quarter=2026-Q4`,
      { headers: { authorization: `Bearer ${(await t.user('leader')).accessToken}` } },
    );
    expect(xlsx.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const bytes = Buffer.from(await xlsx.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe('PK'); // a zip: the workbook
  });

  it.each([
    ['GET', '/api/v1/metrics?dimension=planet', undefined, 'dimension'],
    ['GET', '/api/v1/metrics?period=week', undefined, 'period'],
    ['GET', '/api/v1/metrics?on=2026-02-30', undefined, 'on'],
    ['GET', '/api/v1/metrics?weights=30,35', undefined, 'weights'],
    ['GET', '/api/v1/metrics?minCases=-1', undefined, 'minCases'],
    ['GET', '/api/v1/reports/monthly-ledger?month=2026-13', undefined, 'month'],
    ['GET', '/api/v1/reports/quarterly-review?quarter=2026-Q5', undefined, 'quarter'],
    ['GET', '/api/v1/reports/quarterly-review?format=pdf', undefined, 'format'],
    ['PUT', '/api/v1/sla/calendar/2026-02-30', { working: false, name: 'x' }, 'date'],
    ['PUT', '/api/v1/sla/calendar/2026-11-19', { working: 'no', name: 'x' }, 'working'],
    [
      'POST',
      '/api/v1/sla/policies',
      {
        key: 'power_supply/*',
        policy: { resolutionWorkingDays: 0 },
        effectiveFrom: '2026-12-01T00:00:00Z',
      },
      'policy.resolutionWorkingDays',
    ],
    [
      'POST',
      '/api/v1/sla/policies',
      { key: 'power_supply/*', policy: {}, effectiveFrom: '2026-12-01' },
      'effectiveFrom',
    ],
  ])('%s %s answers 400 naming the field', async (method, url, body, field) => {
    const res = await t.request(method, url, body === undefined ? {} : { body });
    expectError(res, 400, 'REQUEST.INVALID');
    expect(JSON.stringify(res.body)).toContain(field);
  });

  it('refuses a policy for an unknown category or an empty policy with the domain’s code', async () => {
    const unknown = await t.request('POST', '/api/v1/sla/policies', {
      body: {
        key: 'astrology/*',
        policy: { resolutionWorkingDays: 3 },
        effectiveFrom: '2026-12-01T00:00:00Z',
      },
    });
    expectError(unknown, 400, 'SLA.UNKNOWN_CATEGORY');
    const empty = await t.request('POST', '/api/v1/sla/policies', {
      body: { key: '*/*', policy: {}, effectiveFrom: '2026-12-01T00:00:00Z' },
    });
    expectError(empty, 400, 'SLA.INVALID_POLICY');
  });
});
