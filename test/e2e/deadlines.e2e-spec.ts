import { readFileSync } from 'node:fs';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { caseStreamId } from '#domain';
import { Projector } from '#read-model';
import { SlaClock } from '#workers';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectError, testDistrict } from '../support/http.js';

/** The clock the test moves: the API stamps commands and computes deadlines with it. */
let now = new Date('2026-11-16T02:00:00Z');
const at = (local: string) => new Date(`${local}:00+08:00`);
const sz = (iso: string | null) =>
  iso && new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
const SAMPLE_2027 = JSON.parse(
  readFileSync(new URL('../../samples/calendar-2027.json', import.meta.url), 'utf8'),
) as { year: number; holidays: unknown[]; workdays: unknown[] };

let t: TestApp;
let district: ReturnType<typeof testDistrict>;
let enterprise: string;

beforeAll(async () => {
  t = await startTestApp({}, { clock: { now: () => now } });
  district = testDistrict(t, 7300);
  enterprise = (await district.registerEnterprise()).code;
});
afterAll(() => t.close());

const caughtUp = () => t.app.get(Projector).catchUp();
const tick = async () => {
  await caughtUp();
  await t.app.get(SlaClock).tick();
  await caughtUp();
};
async function deadlines(id: string) {
  await caughtUp();
  const res = await t.request('GET', `/api/v1/cases/${id}`);
  expect(res.status).toBe(200);
  return res.body.deadlines;
}
/** The monthly ledger's 办理时限 and 是否超期 for a case. */
async function ledger(id: string, month: string) {
  await caughtUp();
  const csv = await t.request('GET', `/api/v1/reports/monthly-ledger?month=${month}&format=csv`, {
    as: 'leader',
  });
  expect(csv.status).toBe(200);
  const row = (csv.body as string).split('\n').find((l) => l.startsWith(id))!;
  const cells = row.split(',');
  return { due: cells[8], overdue: cells[10] };
}
async function open(local: string, lead: string | null = 'power_supply') {
  now = at(local);
  const id = (await district.openCase(enterprise)).body.id as string;
  if (lead) await district.steps(id, [['dispatch', { leadDepartment: lead }]]);
  return id;
}

describe('deadlines on a case moved through pause, extension and rework', () => {
  it('shows each state at chosen instants', async () => {
    const id = await open('2026-11-16T10:00');
    let d = await deadlines(id);
    expect(d.asOf).toBe(now.toISOString());
    expect(d.firstResponse).toMatchObject({
      state: 'running',
      workingMinutesLeft: 360, // 10:00–12:00 and 14:00–18:00
      warning: 'none',
      calendarKnown: true,
    });
    expect(sz(d.firstResponse.dueAt)).toBe('2026-11-16 18:00');
    expect(d.interimUpdate).toMatchObject({ state: 'not_applicable', dueAt: null });
    expect(sz(d.resolution.dueAt)).toBe('2026-11-30 18:00');

    now = at('2026-11-16T16:30');
    d = await deadlines(id);
    expect(d.firstResponse).toMatchObject({ warning: 'approaching', workingMinutesLeft: 90 });
    await district.steps(id, [['accept'], ['first-response', { message: '已联系企业' }]]);
    d = await deadlines(id);
    expect(d.firstResponse).toMatchObject({ state: 'met', workingMinutesLeft: null });
    expect(sz(d.firstResponse.metAt)).toBe('2026-11-16 16:30');
    // 16 working hours after Monday 16:30.
    expect(sz(d.interimUpdate.dueAt)).toBe('2026-11-19 09:30');

    // Thursday 10:00: no progress noted; the clock raises the interim-update alert.
    now = at('2026-11-19T10:00');
    await tick();
    d = await deadlines(id);
    expect(d.interimUpdate).toMatchObject({
      state: 'overdue',
      workingMinutesLeft: -30,
      warning: 'overdue',
    });
    const timeline = (await t.request('GET', `/api/v1/cases/${id}`)).body.timeline;
    expect(
      timeline.filter((e: any) => e.type === 'CaseOverdue').map((e: any) => e.data.clock),
    ).toEqual(['interim_update']);
    await district.steps(id, [['progress', { note: '已现场勘查' }]]);
    d = await deadlines(id);
    expect(d.interimUpdate.state).toBe('running');
    expect(sz(d.interimUpdate.dueAt)).toBe('2026-11-23 12:00');

    // Paused all Friday: the resolution and interim deadlines move by the working day.
    now = at('2026-11-20T09:00');
    await district.steps(id, [['pause', { reason: '等待企业补充材料' }]]);
    now = at('2026-11-23T09:00');
    d = await deadlines(id);
    expect(d.resolution.state).toBe('paused');
    expect(d.interimUpdate.state).toBe('paused');
    expect(d.firstResponse.state).toBe('met');
    await district.steps(id, [['resume']]);
    d = await deadlines(id);
    expect(sz(d.resolution.dueAt)).toBe('2026-12-01 18:00');
    expect(sz(d.interimUpdate.dueAt)).toBe('2026-11-24 12:00');
    expect(d.resolution).toMatchObject({ state: 'running', workingMinutesLeft: 7 * 420 });

    // An extension: pending (the dispatcher's queue), then approved.
    await district.steps(id, [
      ['progress', { note: '需协调供电局增容' }],
      ['extension', { reason: '需供电局现场评估', requestedDueAt: '2026-12-10T18:00:00+08:00' }],
    ]);
    await caughtUp();
    const pending = await t.request('GET', '/api/v1/cases?extensionPending=true', {
      as: 'dispatcher',
    });
    expect(pending.body.items.map((c: any) => c.id)).toEqual([id]);
    // (Whoever the policy lets decide extensions: the client picks an allowed role.)
    const approved = await t.request('POST', `/api/v1/cases/${id}/extension/approve`, {
      body: {},
    });
    expect(approved.status).toBe(200);
    d = await deadlines(id);
    expect(sz(d.resolution.dueAt)).toBe('2026-12-10 18:00');

    // Resolved in time: met. The enterprise is unsatisfied: rework, and the deadline has passed.
    now = at('2026-12-09T10:00');
    await district.steps(id, [['resolve', { resolution: '已调整用电时段', outcome: 'solved' }]]);
    d = await deadlines(id);
    expect(d.resolution).toMatchObject({ state: 'met', warning: 'none' });
    expect(d.interimUpdate.state).toBe('met_late'); // last update 11-23 09:00, due 11-25 11:00
    now = at('2026-12-11T10:30');
    const callback = await t.request('POST', `/api/v1/cases/${id}/callback`, {
      body: { satisfaction: 'unsatisfied', comment: '夜班仍受影响' },
    });
    expect(callback.status).toBe(200);
    d = await deadlines(id);
    expect(d.resolution).toMatchObject({
      state: 'overdue',
      workingMinutesLeft: -90,
      warning: 'overdue',
    });
    expect(d.interimUpdate.state).toBe('running');
  });

  it('answers met late, and not applicable once withdrawn', async () => {
    const late = await open('2026-11-16T10:00');
    now = at('2026-11-17T09:30');
    await district.steps(late, [['accept'], ['first-response', { message: '已联系企业' }]]);
    expect((await deadlines(late)).firstResponse.state).toBe('met_late');

    const gone = await open('2026-11-16T10:00');
    const withdrawn = await t.request('POST', `/api/v1/cases/${gone}/withdraw`, {
      body: { reason: '企业已自行解决' },
    });
    expect(withdrawn.status).toBe(200);
    const d = await deadlines(gone);
    for (const clock of ['firstResponse', 'interimUpdate', 'resolution'])
      expect(d[clock]).toMatchObject({ state: 'not_applicable', dueAt: null });
  });

  it('agree with the case beside them while the case_sla projection is an event behind', async () => {
    const id = await open('2026-11-16T10:00');
    await district.steps(id, [['accept'], ['first-response', { message: '已联系企业' }]]);
    await caughtUp();
    // case_view and case_sla are two projections: for a moment one can run ahead of the other.
    await t.app
      .get(DataSource)
      .query(
        `UPDATE case_sla SET version = version - 1, facts = jsonb_set(facts, '{history}', (facts->'history') - -1) WHERE case_id = $1`,
        [id],
      );
    const res = await t.request('GET', `/api/v1/cases/${id}`);
    expect(res.body.firstResponseAt).not.toBeNull();
    expect(res.body.deadlines.firstResponse).toMatchObject({
      state: 'met',
      workingMinutesLeft: null,
    });
    const list = await t.request(
      'GET',
      `/api/v1/cases?department=power_supply&role=lead&limit=100`,
    );
    const row = list.body.items.find((c: { id: string }) => c.id === id);
    expect(row.deadlines.firstResponse.state).toBe('met');
  });

  it('read no stream of their own while case_sla has folded what the case shows', async () => {
    // Accepted and commented: events the stored clock history leaves out.
    const id = await open('2026-11-16T10:00');
    await district.steps(id, [['accept'], ['comments', { comment: '补充材料已收到' }]]);
    await caughtUp();
    // The parameters of every statement sent while the case is read.
    const sent: unknown[] = [];
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const first = args[0] as { values?: unknown[] } | string;
      sent.push(
        ...(((typeof first === 'object' ? first.values : args[1]) as unknown[] | undefined) ?? []),
      );
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof pg.Client.prototype.query;
    try {
      const res = await t.request('GET', `/api/v1/cases/${id}`, { as: 'dispatcher' });
      expect(res.status).toBe(200);
      expect(res.body.version).toBe(3);
    } finally {
      pg.Client.prototype.query = original;
    }
    expect(sent).toContain(id); // the read models were asked
    // Its stream once, by the access guard (who may see it, on the log); the deadlines none.
    expect(sent.filter((v) => v === caseStreamId(id))).toHaveLength(1);
  });
});

describe('the worklist’s deadline queues', () => {
  const dept = 'tax';
  const as = `handler:${dept}` as const;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // Tuesday 2026-11-24: four cases for the tax bureau.
    ids.overdue = await open('2026-11-24T09:00', dept); // first response due 18:00, never given
    ids.answered = await open('2026-11-24T09:01', dept);
    ids.paused = await open('2026-11-24T09:02', dept);
    ids.extension = await open('2026-11-24T09:03', dept);
    now = at('2026-11-24T09:20');
    for (const id of [ids.answered, ids.paused])
      await district.steps(id, [['accept'], ['first-response', { message: '已收到' }]]);
    await district.steps(ids.paused, [['pause', { reason: '等待企业' }]]);
    now = at('2026-11-24T09:25');
    await district.steps(ids.extension, [
      ['accept'],
      ['first-response', { message: '已收到' }],
      ['extension', { reason: '需评估', requestedDueAt: '2026-12-31T18:00:00+08:00' }],
    ]);
    // Wednesday 09:30: the first has missed its first response; the interim updates are due
    // 16 working hours after the answers, Thursday 11:20 and 11:25 (the paused one's waits).
    now = at('2026-11-25T09:30');
    await caughtUp();
  });

  const list = async (query: string) => {
    const res = await t.request('GET', `/api/v1/cases?${query}`, { as });
    expect(res.status).toBe(200);
    return res.body.items.map((c: any) => c.id);
  };

  it('filters overdue per clock, due within N working hours, paused and extension pending', async () => {
    expect(await list('overdue=firstResponse')).toEqual([ids.overdue]);
    expect(await list('overdue=any')).toEqual([ids.overdue]);
    expect(await list('overdue=resolution')).toEqual([]);
    expect(await list('paused=true')).toEqual([ids.paused]);
    expect(await list('extensionPending=true')).toEqual([ids.extension]);
    // Thursday 11:20 is 8 working hours and 50 minutes away: inside 9, not 8.
    expect(await list('dueWithinHours=9')).toEqual([ids.answered, ids.extension]);
    expect(await list('dueWithinHours=8')).toEqual([]);
    const bad = await t.request('GET', '/api/v1/cases?dueWithinHours=-5', { as });
    expectError(bad, 400, 'REQUEST.INVALID');
    const badOverdue = await t.request('GET', '/api/v1/cases?overdue=soon', { as });
    expectError(badOverdue, 400, 'REQUEST.INVALID');
  });

  it('sorts a handler’s list by what is due first, with a keyset cursor', async () => {
    const first = await t.request('GET', '/api/v1/cases?limit=2', { as });
    expect(first.body.items.map((c: any) => c.id)).toEqual([ids.overdue, ids.answered]);
    expect(first.body.items[0].deadlines.firstResponse.state).toBe('overdue');
    const rest = await t.request('GET', `/api/v1/cases?limit=2&cursor=${first.body.nextCursor}`, {
      as,
    });
    // The paused case has no running deadline (answered; the others wait): last.
    expect(rest.body.items.map((c: any) => c.id)).toEqual([ids.extension, ids.paused]);
    expect(rest.body.nextCursor).toBeNull();
  });

  it('pages the whole district by due without losing or repeating a case', async () => {
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await t.request(
        'GET',
        `/api/v1/cases?sort=due&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { as: 'dispatcher' },
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    const counts = await t.request('GET', '/api/v1/cases/counts', { as: 'dispatcher' });
    expect(new Set(seen.map((c) => c.id)).size).toBe(counts.body.total);
    expect(seen).toHaveLength(counts.body.total);
    // Earliest running deadline first; the cases with none (met, paused, withdrawn) last.
    const next = (c: any) =>
      Math.min(
        ...['firstResponse', 'interimUpdate', 'resolution']
          .map((k) => c.deadlines[k])
          .filter((d: any) => d.state === 'running' || d.state === 'overdue')
          .map((d: any) => Date.parse(d.dueAt)),
      );
    const keys = seen.map(next);
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
    expect(keys.filter((k) => k === Infinity).length).toBeGreaterThan(1);
  });

  it('counts each queue for the tabs, under the same filters', async () => {
    const res = await t.request('GET', '/api/v1/cases/counts', { as });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(4);
    expect(res.body.queues).toEqual({
      overdue: 1,
      dueSoon: 0,
      paused: 1,
      extensionPending: 1,
      supervised: 0,
    });
    const wider = await t.request('GET', '/api/v1/cases/counts?dueWithinHours=9', { as });
    expect(wider.body.queues.dueSoon).toBe(2);
  });
});

describe('handled by us', () => {
  it('keeps read-only sight for a department that returned or transferred a case', async () => {
    const id = await open('2026-11-26T10:00', 'customs');
    await district.steps(id, [['return', { reason: '不属于本单位职责' }]]);
    await district.steps(id, [['dispatch', { leadDepartment: 'housing' }]]);
    await district.steps(id, [
      ['accept'],
      ['transfer', { toDepartment: 'human_resources', reason: '涉及人才招聘' }],
    ]);
    await caughtUp();
    for (const department of ['customs', 'housing']) {
      const as = `handler:${department}` as const;
      const read = await t.request('GET', `/api/v1/cases/${id}`, { as });
      expect(read.status).toBe(200);
      expect(read.body.deadlines.resolution.state).toBe('running');
      const comment = await t.request('POST', `/api/v1/cases/${id}/comments`, {
        body: { comment: '补充说明' },
        as,
      });
      expectError(comment, 403, 'ACCESS.READ_ONLY');
      const zh = await t.request('POST', `/api/v1/cases/${id}/comments`, {
        body: { comment: '补充说明' },
        headers: { 'accept-language': 'zh-CN' },
        as,
      });
      expect(zh.body.message).toBe('本部门已不再承办此诉求（已退单或转办），只能查看');
      const handled = await t.request('GET', '/api/v1/cases?handled=true', { as });
      expect(handled.body.items.map((c: any) => c.id)).toContain(id);
      const current = await t.request('GET', '/api/v1/cases', { as });
      expect(current.body.items.map((c: any) => c.id)).not.toContain(id);
      // handled=false is the current work, as documented for a boolean.
      const notHandled = await t.request('GET', '/api/v1/cases?handled=false', { as });
      expect(notHandled.status).toBe(200);
      expect(notHandled.body.items).toEqual(current.body.items);
    }
    const hr = await t.request('GET', '/api/v1/cases?handled=true', {
      as: 'handler:human_resources',
    });
    expect(hr.body.items.map((c: any) => c.id)).not.toContain(id);
    const stranger = await t.request('GET', `/api/v1/cases/${id}`, { as: 'handler:finance' });
    expectError(stranger, 404, 'CASE.NOT_FOUND');
    const needsDepartment = await t.request('GET', '/api/v1/cases?handled=true', {
      as: 'dispatcher',
    });
    expectError(needsDepartment, 400, 'REQUEST.INVALID');
    const forDispatcher = await t.request('GET', '/api/v1/cases?handled=true&department=customs', {
      as: 'dispatcher',
    });
    expect(forDispatcher.body.items.map((c: any) => c.id)).toContain(id);
  });
});

describe('automatic 督办', () => {
  it('is ordered on a department’s overdue case in Chinese, never on one no department holds', async () => {
    now = at('2026-11-26T09:00');
    const policy = await t.request('POST', '/api/v1/sla/policies', {
      as: t.admin,
      body: {
        key: 'logistics/*',
        policy: { resolutionWorkingDays: 1, autoSuperviseOnOverdue: true },
        effectiveFrom: '2026-11-01T00:00:00+08:00',
      },
    });
    expect(policy.status).toBe(200);
    now = at('2026-11-26T10:00');
    const held = (await district.openCase(enterprise, {}, { category: 'logistics' })).body.id;
    await district.steps(held, [['dispatch', { leadDepartment: 'development_reform' }]]);
    const unheld = (await district.openCase(enterprise, {}, { category: 'logistics' })).body.id;
    now = at('2026-11-30T10:00');
    await tick();
    const orders = async (id: string) =>
      (await t.request('GET', `/api/v1/cases/${id}`)).body.timeline.filter(
        (e: any) => e.type === 'CaseSupervisionOrdered',
      );
    expect((await orders(held)).map((e: any) => e.data.instructions)).toEqual([
      '办结时限 2026-11-27 18:00 已超期，系统自动督办',
    ]);
    expect(await orders(unheld)).toEqual([]);
  });
});

describe('the working calendar for 2027', () => {
  let id: string;

  it('says a deadline in an unknown year is provisional, also after one override day', async () => {
    id = await open('2026-12-24T10:00');
    let d = await deadlines(id);
    // 2027-01-01 counted as a working Friday.
    expect(sz(d.resolution.dueAt)).toBe('2027-01-07 18:00');
    expect(d.resolution.calendarKnown).toBe(false);
    expect(d.firstResponse.calendarKnown).toBe(true);
    // The leaders' ledger says the same, by the same function.
    expect(await ledger(id, '2026-12')).toEqual({ due: '2027-01-07 18:00（暂定）', overdue: '否' });
    const list = await t.request('GET', '/api/v1/cases?limit=100', { as: 'dispatcher' });
    expect(list.body.items.find((c: any) => c.id === id).deadlines.resolution.calendarKnown).toBe(
      false,
    );
    let sla = await t.request('GET', '/api/v1/sla', { as: t.admin });
    expect(sla.body.knownYears).not.toContain(2027);
    expect(sla.body.calendarNotices).toEqual([
      expect.objectContaining({
        year: 2027,
        known: false,
        message: expect.stringContaining('2027 年'),
      }),
    ]);
    const override = await t.request('PUT', '/api/v1/sla/calendar/2027-01-01', {
      as: t.admin,
      body: { working: false, name: '元旦' },
    });
    expect(override.status).toBe(200);
    await caughtUp();
    sla = await t.request('GET', '/api/v1/sla', { as: t.admin });
    expect(sla.body.knownYears).not.toContain(2027);
    d = await deadlines(id);
    expect(sz(d.resolution.dueAt)).toBe('2027-01-08 18:00'); // the override day counts
    expect(d.resolution.calendarKnown).toBe(false);
    // Back to no override, for the import below.
    await t.request('DELETE', '/api/v1/sla/calendar/2027-01-01', { as: t.admin });
  });

  it('refuses a schedule with a date twice, outside the year, or a weekday make-up day', async () => {
    const bad = (body: object) =>
      t.request('POST', '/api/v1/sla/calendar/years/2027/preview', { as: t.admin, body });
    const twice = await bad({
      holidays: [
        { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
        { name: '元旦', dates: ['2027-01-03'] },
      ],
      workdays: [],
    });
    expectError(twice, 400, 'SLA.DUPLICATE_DATE');
    expect(twice.body.errors[0]).toMatchObject({ field: 'holidays[1].dates[0]' });
    const zh = await t.request('POST', '/api/v1/sla/calendar/years/2027/preview', {
      as: t.admin,
      headers: { 'accept-language': 'zh-CN' },
      body: { holidays: [{ name: '元旦', dates: ['2027-01-01', '2027-01-01'] }], workdays: [] },
    });
    expect(zh.body.message).toBe(
      '2027-01-01 重复出现（holidays[0].dates[0] 和 holidays[0].dates[1]）',
    );
    expectError(
      await bad({ holidays: [{ name: '元旦', dates: ['2026-12-31'] }], workdays: [] }),
      400,
      'SLA.DATE_OUTSIDE_YEAR',
    );
    expectError(
      await bad({ ...SAMPLE_2027, workdays: [{ name: '调休', dates: ['2027-03-03'] }] }),
      400,
      'SLA.INVALID_SCHEDULE',
    );
    expectError(await bad({ ...SAMPLE_2027, year: 2028 }), 400, 'SLA.INVALID_YEAR');
    expectError(
      await t.request('POST', '/api/v1/sla/calendar/years/1999/preview', {
        as: t.admin,
        body: SAMPLE_2027,
      }),
      400,
      'REQUEST.INVALID',
    );
    expectError(
      await bad({ holidays: [{ name: '', dates: ['2027-01-01'] }], workdays: [] }),
      400,
      'REQUEST.INVALID',
    );
  });

  it('previews which open cases’ deadlines would move, then applies the year as an event', async () => {
    await caughtUp();
    const preview = await t.request('POST', '/api/v1/sla/calendar/years/2027/preview', {
      as: t.admin,
      body: SAMPLE_2027,
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      year: 2027,
      holidays: 29,
      workdays: 5,
      knownBefore: false,
    });
    const mine = preview.body.cases.find((c: any) => c.caseId === id);
    expect(mine.changes).toEqual([
      expect.objectContaining({ clock: 'resolution', oldState: 'running', newState: 'running' }),
    ]);
    expect([sz(mine.changes[0].oldDueAt), sz(mine.changes[0].newDueAt)]).toEqual([
      '2027-01-07 18:00',
      '2027-01-08 18:00',
    ]);
    const unknown = await t.request('GET', '/api/v1/sla/calendar/years/2027', { as: t.admin });
    expect(unknown.body).toEqual({
      year: 2027,
      known: false,
      source: 'weekdays',
      days: [],
      overrides: [],
    });
    // Nothing was written by the preview.
    expect((await deadlines(id)).resolution.calendarKnown).toBe(false);

    const applied = await t.request('PUT', '/api/v1/sla/calendar/years/2027', {
      as: t.admin,
      body: SAMPLE_2027,
    });
    expect(applied.status).toBe(200);
    const d = await deadlines(id);
    expect(sz(d.resolution.dueAt)).toBe('2027-01-08 18:00');
    expect(d.resolution.calendarKnown).toBe(true);
    expect(await ledger(id, '2026-12')).toEqual({ due: '2027-01-08 18:00', overdue: '否' });
    const sla = await t.request('GET', '/api/v1/sla', { as: t.admin });
    expect(sla.body.knownYears).toContain(2027);
    expect(sla.body.importedYears).toEqual([2027]);
    const year = await t.request('GET', '/api/v1/sla/calendar/years/2027', { as: 'handler:tax' });
    expect(year.body).toMatchObject({ year: 2027, known: true, source: 'imported', overrides: [] });
    expect(year.body.days).toHaveLength(34);
    expect(year.body.days[0]).toEqual({ date: '2027-01-01', working: false, name: '元旦' });
    const thisYear = await t.request('GET', '/api/v1/sla/calendar/years/2026', { as: t.admin });
    expect(thisYear.body).toMatchObject({ known: true, source: 'holiday-data' });
    expect(thisYear.body.days).toContainEqual({
      date: '2026-10-10',
      working: true,
      name: '国庆节',
    });
    expect(sla.body.calendarNotices).toEqual([]);
    // The read model moved with it: the worklist's due filter sees the new instant.
    now = at('2027-01-08T10:00');
    const soon = await t.request('GET', '/api/v1/cases?dueWithinHours=8&status=dispatched', {
      as: 'dispatcher',
    });
    expect(soon.body.items.map((c: any) => c.id)).toContain(id);
    const again = await t.request('PUT', '/api/v1/sla/calendar/years/2027', {
      as: t.admin,
      body: SAMPLE_2027,
    });
    expectError(again, 409, 'SLA.UNCHANGED');
  });
});
