import pg from 'pg';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectError, testDistrict } from '../support/http.js';

/**
 * The command path under contention and under reused idempotency keys (issue 14, faults 3
 * and 4): a key belongs to one request of one account whatever the route or record, and
 * commands that only add to a case all succeed when hundreds arrive at once.
 */
let t: TestApp;
let d: ReturnType<typeof testDistrict>;
let pool: pg.Pool;

beforeAll(async () => {
  t = await startTestApp();
  d = testDistrict(t, 9300);
  pool = new pg.Pool({ connectionString: t.db.url, max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await t?.close();
});

const eventCount = async () =>
  Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
const key = (name: string) => ({ 'idempotency-key': `${name}-${Date.now()}-key` });

async function dispatchedCase(): Promise<string> {
  const { code } = await d.registerEnterprise();
  const opened = await d.openCase(code);
  const id = opened.body.id as string;
  await d.steps(id, [['dispatch', { leadDepartment: 'power_supply' }]]);
  return id;
}

describe('Idempotency-Key', () => {
  it('refuses a key used for an enterprise when it comes back to open a case (422), writing nothing', async () => {
    const headers = key('cross-route');
    const { code } = await d.registerEnterprise({}).then(async (first) => {
      // The same key, now for a registration: stored once.
      const code = d.newCode();
      const res = await t.request('POST', '/api/v1/enterprises', {
        as: 'officer',
        headers,
        body: { creditCode: code, name: '深圳市幂等测试有限公司', street: 'bantian' },
      });
      expect(res.status).toBe(201);
      return { code: first.code };
    });
    const before = await eventCount();
    const res = await t.request('POST', '/api/v1/cases', {
      as: 'officer',
      headers,
      body: {
        enterpriseId: code,
        category: 'power_supply',
        channel: 'hotline',
        description: '用电',
      },
    });
    expectError(res, 422, 'IDEMPOTENCY.KEY_REUSED');
    expect(await eventCount()).toBe(before);
  });

  it('refuses a key used on one case when it comes to another case, and to another step', async () => {
    const a = await dispatchedCase();
    const b = await dispatchedCase();
    const headers = key('cross-record');
    const first = await t.request('POST', `/api/v1/cases/${a}/comments`, {
      as: 'leader',
      headers,
      body: { comment: '请尽快' },
    });
    expect(first.status).toBe(200);
    const before = await eventCount();
    const other = await t.request('POST', `/api/v1/cases/${b}/comments`, {
      as: 'leader',
      headers,
      body: { comment: '请尽快' },
    });
    expectError(other, 422, 'IDEMPOTENCY.KEY_REUSED');
    // Another step the case's state refuses anyway: still the key's answer, not the step's.
    const step = await t.request('POST', `/api/v1/cases/${a}/close`, {
      as: 'dispatcher',
      headers,
      body: {},
    });
    expect(step.status).toBeGreaterThanOrEqual(400);
    expect(await eventCount()).toBe(before);
    // The same request again is answered with its first result.
    const again = await t.request('POST', `/api/v1/cases/${a}/comments`, {
      as: 'leader',
      headers,
      body: { comment: '请尽快' },
    });
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await eventCount()).toBe(before);
  });

  it('lets 5 + 5 concurrent requests with two bodies under one key store exactly one', async () => {
    const headers = key('concurrent');
    const codes = [d.newCode(), d.newCode()];
    const before = await eventCount();
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.request('POST', '/api/v1/enterprises', {
          as: 'officer',
          headers,
          body: { creditCode: codes[i % 2], name: '深圳市并发测试有限公司', street: 'bantian' },
        }),
      ),
    );
    expect(await eventCount()).toBe(before + 1);
    const ok = replies.filter((r) => r.status === 201 || r.status === 200);
    const refused = replies.filter((r) => r.status === 422);
    expect({ ok: ok.length, refused: refused.length }).toEqual({ ok: 5, refused: 5 });
    for (const r of refused) expect(r.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
    // The five that succeeded are one request and its replays: one id.
    expect(new Set(ok.map((r) => r.body.id)).size).toBe(1);
    expect(ok.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
  });

  it('keeps two accounts’ equal keys apart', async () => {
    const id = await dispatchedCase();
    const headers = key('two-accounts');
    const leader = await t.request('POST', `/api/v1/cases/${id}/comments`, {
      as: 'leader',
      headers,
      body: { comment: '领导关注' },
    });
    const dispatcher = await t.request('POST', `/api/v1/cases/${id}/comments`, {
      as: 'dispatcher',
      headers,
      body: { comment: '已跟进' },
    });
    expect([leader.status, dispatcher.status]).toEqual([200, 200]);
    expect(dispatcher.headers['idempotent-replayed']).toBeUndefined();
  });
});

describe('contention on one case', () => {
  it('lets ≥ 99 % of 200 concurrent progress notes on one case succeed', async () => {
    const id = await dispatchedCase();
    await d.steps(id, [['accept']]);
    const handler = await t.user('handler:power_supply');
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        t.request('POST', `/api/v1/cases/${id}/progress`, {
          as: handler,
          body: { note: `进展 ${i}` },
        }),
      ),
    );
    const ok = replies.filter((r) => r.status === 200).length;
    const statuses = replies.reduce<Record<number, number>>((acc, r) => {
      acc[r.status] = (acc[r.status] ?? 0) + 1;
      return acc;
    }, {});
    if (ok < 198) throw new Error(`only ${ok} of 200 succeeded: ${JSON.stringify(statuses)}`);
    for (const r of replies) expect(r.status).not.toBeGreaterThanOrEqual(500);
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM events WHERE stream_id = $1 AND event_type = 'CaseProgressNoted'`,
      [`case-${id}`],
    );
    expect(Number(rows[0]!.n)).toBe(ok);
  });

  it('still answers 409 to all but one of concurrent conflicting transitions, and 412 to a stale If-Match', async () => {
    const id = await dispatchedCase();
    const handler = await t.user('handler:power_supply');
    const replies = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.request('POST', `/api/v1/cases/${id}/accept`, { as: handler, body: {} }),
      ),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of replies.filter((r) => r.status !== 200)) expect(r.status).toBe(409);
    const stale = await t.request('POST', `/api/v1/cases/${id}/progress`, {
      as: handler,
      headers: { 'if-match': '"1"' },
      body: { note: '按旧版本提交' },
    });
    expectError(stale, 412, 'STREAM.PRECONDITION_FAILED');
  });
});
