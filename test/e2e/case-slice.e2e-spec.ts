import { aCreditCode } from '../../libs/domain/src/testing/builders.js';
import { startTestApp, type TestApp } from '../support/app.js';

const json = { 'content-type': 'application/json' };
let t: TestApp;
let nextCode = 1000;
const newCode = () => aCreditCode(nextCode++);

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

async function registerEnterprise(code = newCode(), name = '深圳市龙岗示例科技有限公司') {
  const res = await t.request('POST', '/api/v1/enterprises', {
    body: { creditCode: code, name, street: '坂田' },
  });
  expect(res.status).toBe(201);
  return { code, res };
}

async function openCase(enterpriseId: string, headers: Record<string, string> = {}) {
  const res = await t.request('POST', '/api/v1/cases', {
    body: {
      enterpriseId,
      category: 'power_supply',
      description: '有序用电方案影响二期产线夜班生产',
    },
    headers,
  });
  expect(res.status).toBe(201);
  return res;
}

function expectError(res: { status: number; body: any }, status: number, code: string) {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(typeof res.body.message).toBe('string');
  expect(res.body.correlationId).toEqual(expect.any(String));
}

describe('the case slice over HTTP', () => {
  it('registers an enterprise, opens, assigns, answers and resolves a case, and reads it back with its timeline', async () => {
    const { code, res: registered } = await registerEnterprise(newCode(), '深圳市坂田电子有限公司');
    expect(registered.body).toEqual({
      id: code,
      version: 0,
      position: expect.stringMatching(/^\d+:\d+$/),
    });
    expect(registered.headers.location).toBe(`/api/v1/enterprises/${code}`);

    const enterprise = await t.request('GET', `/api/v1/enterprises/${code}`, {
      headers: { 'x-consistent-with': registered.body.position },
    });
    expect(enterprise.status).toBe(200);
    expect(enterprise.body).toMatchObject({
      id: code,
      name: '深圳市坂田电子有限公司',
      street: '坂田',
      version: 0,
    });

    const opened = await openCase(code, { 'x-actor': 'officer-li' });
    const id = opened.body.id as string;
    expect(opened.body).toMatchObject({ version: 0 });
    const steps: [string, object, string][] = [
      ['assign', { department: '供电局' }, 'dispatcher-wang'],
      ['first-response', { message: '已联系企业，明日上门' }, 'handler-zhao'],
      ['resolve', { resolution: '调整有序用电时段' }, 'handler-zhao'],
    ];
    let last = opened;
    for (const [step, body, actor] of steps) {
      last = await t.request('POST', `/api/v1/cases/${id}/${step}`, {
        body,
        headers: { 'x-actor': actor },
      });
      expect(last.status).toBe(200);
    }
    expect(last.body.version).toBe(3);
    expect(last.headers.etag).toBe('"3"');

    // Read your own write: the read side waits for the position the command returned.
    const detail = await t.request('GET', `/api/v1/cases/${id}`, {
      headers: { 'x-consistent-with': last.body.position },
    });
    expect(detail.status).toBe(200);
    expect(detail.headers.etag).toBe('"3"');
    expect(detail.body).toMatchObject({
      id,
      enterpriseId: code,
      enterpriseName: '深圳市坂田电子有限公司',
      status: 'resolved',
      department: '供电局',
      firstResponse: '已联系企业，明日上门',
      resolution: '调整有序用电时段',
      version: 3,
    });
    expect(detail.body.timeline.map((e: any) => [e.version, e.type, e.actor])).toEqual([
      [0, 'CaseOpened', 'officer-li'],
      [1, 'CaseAssigned', 'dispatcher-wang'],
      [2, 'CaseFirstResponseRecorded', 'handler-zhao'],
      [3, 'CaseResolved', 'handler-zhao'],
    ]);

    const resolved = await t.request(
      'GET',
      '/api/v1/cases?status=resolved&department=供电局'.replace(
        '供电局',
        encodeURIComponent('供电局'),
      ),
      {
        headers: { 'x-consistent-with': last.body.position },
      },
    );
    expect(resolved.status).toBe(200);
    expect(resolved.body.items.map((c: any) => c.id)).toContain(id);
    const open = await t.request('GET', '/api/v1/cases?status=open');
    expect(open.body.items.map((c: any) => c.id)).not.toContain(id);
  });

  it('lists cases newest first, a page at a time, without overlap', async () => {
    const { code } = await registerEnterprise();
    const ids: string[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await openCase(code);
      ids.push(last.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await t.request(
        'GET',
        `/api/v1/cases?status=open&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        {
          headers: { 'x-consistent-with': last!.body.position },
        },
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((c: any) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(ids));
  });

  describe('idempotency', () => {
    it('answers a retried case creation with the first result and stores one case', async () => {
      const { code } = await registerEnterprise();
      const key = { 'idempotency-key': `phone-retry-${Date.now()}` };
      const first = await openCase(code, key);
      const again = await openCase(code, key);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      const timeline = await t.request('GET', `/api/v1/cases/${first.body.id}`, {
        headers: { 'x-consistent-with': first.body.position },
      });
      expect(timeline.body.timeline).toHaveLength(1);
    });

    it('answers a retried step that already succeeded with its first result, not a conflict', async () => {
      const { code } = await registerEnterprise();
      const { body: opened } = await openCase(code);
      const key = { 'idempotency-key': `assign-${opened.id}` };
      const first = await t.request('POST', `/api/v1/cases/${opened.id}/assign`, {
        body: { department: '税务局' },
        headers: key,
      });
      const again = await t.request('POST', `/api/v1/cases/${opened.id}/assign`, {
        body: { department: '税务局' },
        headers: key,
      });
      expect(first.status).toBe(200);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      // Without the key it is a second assignment, refused.
      const other = await t.request('POST', `/api/v1/cases/${opened.id}/assign`, {
        body: { department: '税务局' },
      });
      expectError(other, 409, 'CASE.ALREADY_ASSIGNED');
    });

    it('answers a retried registration with the first result', async () => {
      const code = newCode();
      const key = { 'idempotency-key': `register-${code}` };
      const body = { creditCode: code, name: 'X', street: '平湖' };
      const first = await t.request('POST', '/api/v1/enterprises', { body, headers: key });
      const again = await t.request('POST', '/api/v1/enterprises', { body, headers: key });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
    });
  });

  describe('refusals', () => {
    it('refuses a wrong check character in the credit code, naming the field and the rule', async () => {
      const code = newCode();
      const wrong = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
      const res = await t.request('POST', '/api/v1/enterprises', {
        body: { creditCode: wrong, name: 'X', street: '坂田' },
      });
      expectError(res, 400, 'REQUEST.INVALID');
      expect(res.body.errors).toEqual([
        {
          field: 'creditCode',
          rule: 'isCreditCode',
          message: expect.stringContaining('check character'),
        },
      ]);
    });

    it('names every missing field and every field that is not allowed', async () => {
      const res = await t.request('POST', '/api/v1/enterprises', {
        body: { name: 'X', admin: true },
      });
      expectError(res, 400, 'REQUEST.INVALID');
      expect(res.body.errors.map((e: any) => [e.field, e.rule])).toEqual(
        expect.arrayContaining([
          ['admin', 'notAllowed'],
          ['creditCode', 'isString'],
          ['street', 'isString'],
        ]),
      );
    });

    it('refuses a second enterprise with the same credit code, naming the first', async () => {
      const { code } = await registerEnterprise(newCode(), '第一家公司');
      const res = await t.request('POST', '/api/v1/enterprises', {
        body: { creditCode: code, name: '第二家', street: '坂田' },
      });
      expectError(res, 409, 'ENTERPRISE.ALREADY_REGISTERED');
      expect(res.body.details).toEqual({ enterpriseId: code, name: '第一家公司' });
    });

    it('refuses a case for an enterprise that is not registered, and an unknown category', async () => {
      const unknown = await t.request('POST', '/api/v1/cases', {
        body: { enterpriseId: newCode(), category: 'tax', description: 'x' },
      });
      expectError(unknown, 400, 'ENTERPRISE.NOT_FOUND');
      expect(unknown.body.errors[0].field).toBe('enterpriseId');
      const { code } = await registerEnterprise();
      const category = await t.request('POST', '/api/v1/cases', {
        body: { enterpriseId: code, category: 'weather', description: 'x' },
      });
      expectError(category, 400, 'REQUEST.INVALID');
      expect(category.body.errors[0]).toMatchObject({ field: 'category', rule: 'isIn' });
    });

    it('refuses illegal transitions with 409 and a message that says the state', async () => {
      const { code } = await registerEnterprise();
      const { body: opened } = await openCase(code);
      const early = await t.request('POST', `/api/v1/cases/${opened.id}/first-response`, {
        body: { message: 'hi' },
      });
      expectError(early, 409, 'CASE.NOT_ASSIGNED');
      expect(early.body.message).toContain('status: open');
      await t.request('POST', `/api/v1/cases/${opened.id}/assign`, {
        body: { department: '海关' },
      });
      await t.request('POST', `/api/v1/cases/${opened.id}/resolve`, {
        body: { resolution: 'done' },
      });
      const twice = await t.request('POST', `/api/v1/cases/${opened.id}/resolve`, {
        body: { resolution: 'again' },
      });
      expectError(twice, 409, 'CASE.ALREADY_RESOLVED');
    });

    it('answers 404 for a case that does not exist and 400 for an id that is not a UUID', async () => {
      expectError(
        await t.request('GET', '/api/v1/cases/00000000-0000-4000-8000-000000000000'),
        404,
        'CASE.NOT_FOUND',
      );
      expectError(
        await t.request('POST', '/api/v1/cases/00000000-0000-4000-8000-000000000000/assign', {
          body: { department: 'x' },
        }),
        404,
        'CASE.NOT_FOUND',
      );
      const bad = await t.request('GET', '/api/v1/cases/not-a-uuid');
      expectError(bad, 400, 'REQUEST.INVALID');
      expect(bad.body.errors[0].field).toBe('id');
      expectError(
        await t.request('GET', `/api/v1/enterprises/${newCode()}`),
        404,
        'ENTERPRISE.NOT_FOUND',
      );
      expectError(await t.request('GET', '/api/v1/nowhere'), 404, 'ROUTE.NOT_FOUND');
    });

    it('refuses a stale If-Match with 412 and a malformed one with 400', async () => {
      const { code } = await registerEnterprise();
      const { body: opened } = await openCase(code);
      const stale = await t.request('POST', `/api/v1/cases/${opened.id}/assign`, {
        body: { department: '住房和建设局' },
        headers: { 'if-match': '"5"' },
      });
      expectError(stale, 412, 'STREAM.PRECONDITION_FAILED');
      const ok = await t.request('POST', `/api/v1/cases/${opened.id}/assign`, {
        body: { department: '住房和建设局' },
        headers: { 'if-match': '"0"' },
      });
      expect(ok.status).toBe(200);
      const bad = await t.request('POST', `/api/v1/cases/${opened.id}/resolve`, {
        body: { resolution: 'x' },
        headers: { 'if-match': 'yesterday' },
      });
      expectError(bad, 400, 'REQUEST.INVALID_HEADER');
    });

    it('lets exactly one of two simultaneous resolutions win', async () => {
      const { code } = await registerEnterprise();
      const { body: opened } = await openCase(code);
      await t.request('POST', `/api/v1/cases/${opened.id}/assign`, {
        body: { department: '发展和改革局' },
      });
      const results = await Promise.all(
        ['甲', '乙'].map((who) =>
          t.request('POST', `/api/v1/cases/${opened.id}/resolve`, {
            body: { resolution: who },
            headers: { 'if-match': '"1"' },
          }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, expect.any(Number)]);
      expect([409, 412]).toContain(results.map((r) => r.status).sort()[1]);
      const winner = results.find((r) => r.status === 200)!;
      const detail = await t.request('GET', `/api/v1/cases/${opened.id}`, {
        headers: { 'x-consistent-with': winner.body.position },
      });
      expect(detail.body.timeline.filter((e: any) => e.type === 'CaseResolved')).toHaveLength(1);
    });

    it('answers malformed JSON with 400, a body over 1 MB with 413 and a non-JSON body with 415', async () => {
      expectError(
        await t.request('POST', '/api/v1/enterprises', {
          payload: '{"creditCode":',
          headers: json,
        }),
        400,
        'REQUEST.MALFORMED_JSON',
      );
      const big = JSON.stringify({
        creditCode: newCode(),
        name: 'x'.repeat(1024 * 1024),
        street: '坂田',
      });
      expectError(
        await t.request('POST', '/api/v1/enterprises', { payload: big, headers: json }),
        413,
        'REQUEST.BODY_TOO_LARGE',
      );
      expectError(
        await t.request('POST', '/api/v1/enterprises', {
          payload: 'creditCode=1',
          headers: { 'content-type': 'text/plain' },
        }),
        415,
        'REQUEST.UNSUPPORTED_MEDIA_TYPE',
      );
    });

    it('refuses bad list parameters and headers, naming them', async () => {
      for (const [query, field] of [
        ['status=bogus', 'status'],
        ['limit=0', 'limit'],
        ['limit=abc', 'limit'],
        ['cursor=!!', 'cursor'],
        ['cursor=bm90LWpzb24', 'cursor'],
        ['colour=red', 'colour'],
      ]) {
        const res = await t.request('GET', `/api/v1/cases?${query}`);
        expectError(res, 400, 'REQUEST.INVALID');
        expect(res.body.errors[0].field).toBe(field);
      }
      const position = await t.request('GET', '/api/v1/cases', {
        headers: { 'x-consistent-with': 'soon' },
      });
      expectError(position, 400, 'REQUEST.INVALID_HEADER');
      const key = await t.request('POST', '/api/v1/cases', {
        body: {},
        headers: { 'idempotency-key': 'x' },
      });
      expect(key.status).toBe(400);
    });

    it('echoes a well-formed X-Correlation-Id in errors', async () => {
      const res = await t.request('GET', '/api/v1/cases/nope', {
        headers: { 'x-correlation-id': 'req-42' },
      });
      expect(res.body.correlationId).toBe('req-42');
      expect(res.headers['x-correlation-id']).toBe('req-42');
    });

    it('answers no garbage body with a 5xx', async () => {
      const { code } = await registerEnterprise();
      const { body: opened } = await openCase(code);
      const bodies = [
        'null',
        '[]',
        '"text"',
        '42',
        'true',
        '{}',
        '{"creditCode":null}',
        '{"creditCode":["91"]}',
        '{"name":{"$gt":""}}',
        '{"department":123}',
        '{"department":"' + 'x'.repeat(5000) + '"}',
        '{"description":"\\u0000"}',
        '{"enterpriseId":"' + code + '","category":"tax","description":"\\u0000"}',
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{}}}',
        '{"resolution":"' + '扫'.repeat(4001) + '"}',
      ];
      const urls = [
        '/api/v1/enterprises',
        '/api/v1/cases',
        `/api/v1/cases/${opened.id}/assign`,
        `/api/v1/cases/${opened.id}/first-response`,
        `/api/v1/cases/${opened.id}/resolve`,
      ];
      for (const url of [
        '/api/v1/enterprises/9144%00',
        '/api/v1/cases?department=%00',
        `/api/v1/cases/${opened.id}%00`,
      ]) {
        const res = await t.request('GET', url);
        expect({ url, status: res.status }).toEqual({ url, status: 400 });
      }
      for (const url of urls) {
        for (const payload of bodies) {
          const res = await t.request('POST', url, { payload, headers: json });
          expect({ url, payload: payload.slice(0, 60), status: res.status < 500 }).toEqual({
            url,
            payload: payload.slice(0, 60),
            status: true,
          });
        }
      }
    });
  });
});

describe('read-your-writes when the projector is elsewhere', () => {
  it('answers 503 READ_MODEL.BEHIND when the read model does not reach the position in time', async () => {
    const behind = await startTestApp({ PROJECTOR: 'off', CONSISTENCY_TIMEOUT_MS: 300 });
    try {
      const code = aCreditCode(99_999);
      const res = await behind.request('POST', '/api/v1/enterprises', {
        body: { creditCode: code, name: 'X', street: '龙城' },
      });
      expect(res.status).toBe(201);
      const read = await behind.request('GET', `/api/v1/enterprises/${code}`, {
        headers: { 'x-consistent-with': res.body.position },
      });
      expectError(read, 503, 'READ_MODEL.BEHIND');
      expect(read.headers['retry-after']).toBe('1');
    } finally {
      await behind.close();
    }
  });
});
