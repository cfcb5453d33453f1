import { DataSource } from 'typeorm';
import { aCreditCode } from '../../libs/domain/src/testing/builders.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectError, testDistrict } from '../support/http.js';

const json = { 'content-type': 'application/json' };
let t: TestApp;
let d: ReturnType<typeof testDistrict>;

beforeAll(async () => {
  t = await startTestApp();
  d = testDistrict(t, 1000);
});
afterAll(async () => {
  await t.close();
});

describe('the HTTP edge', () => {
  it('walks a case from registration to resolution and reads it back with its timeline', async () => {
    const { code, res: registered } = await d.registerEnterprise({
      name: '深圳市坂田电子有限公司',
    });
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
      street: 'bantian',
      tags: [],
      version: 0,
    });

    // Real accounts act, and the timeline names them.
    const li = await t.newUser('officer', { street: 'bantian' }, 'li.officer');
    const wang = await t.newUser('dispatcher', {}, 'wang.dispatch');
    const zhao = await t.newUser('handler', { department: 'power_supply' }, 'zhao.power');
    const opened = await t.request('POST', '/api/v1/cases', {
      as: li,
      body: { enterpriseId: code, category: 'power_supply', channel: 'visit', description: '限电' },
    });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    const steps: [string, object, typeof li][] = [
      ['dispatch', { leadDepartment: 'power_supply' }, wang],
      ['accept', {}, zhao],
      ['first-response', { message: '已联系企业，明日上门' }, zhao],
      ['resolve', { resolution: '调整有序用电时段', outcome: 'solved' }, zhao],
    ];
    let last = opened;
    for (const [step, body, actor] of steps) {
      last = await t.request('POST', `/api/v1/cases/${id}/${step}`, { body, as: actor });
      expect({ step, status: last.status }).toEqual({ step, status: 200 });
    }
    expect(last.body.version).toBe(4);
    expect(last.headers.etag).toBe('"4"');

    // Read your own write: the read side waits for the position the command returned.
    const detail = await t.request('GET', `/api/v1/cases/${id}`, {
      headers: { 'x-consistent-with': last.body.position },
    });
    expect(detail.status).toBe(200);
    expect(detail.headers.etag).toBe('"4"');
    expect(detail.body).toMatchObject({
      id,
      enterpriseId: code,
      enterpriseName: '深圳市坂田电子有限公司',
      status: 'resolved',
      leadDepartment: 'power_supply',
      firstResponse: '已联系企业，明日上门',
      resolution: '调整有序用电时段',
      outcome: 'solved',
      version: 4,
    });
    const who = (u: typeof li) => [u.userId, `${u.role} ${u.username}`, u.role, u.department];
    expect(
      detail.body.timeline.map((e: any) => [
        e.version,
        e.type,
        e.actor,
        e.actorName,
        e.actorRole,
        e.actorDepartment,
      ]),
    ).toEqual([
      [0, 'CaseOpened', ...who(li)],
      [1, 'CaseDispatched', ...who(wang)],
      [2, 'CaseAccepted', ...who(zhao)],
      [3, 'CaseFirstResponseRecorded', ...who(zhao)],
      [4, 'CaseResolved', ...who(zhao)],
    ]);
    // The events themselves carry the account, the client and the command.
    const rows: { metadata: any }[] = await t.app
      .get(DataSource)
      .query(`SELECT metadata FROM events WHERE stream_id = $1 ORDER BY stream_position`, [
        `case-${id}`,
      ]);
    expect(rows[2].metadata).toMatchObject({
      actor: zhao.userId,
      actorDetails: { username: 'zhao.power', role: 'handler', department: 'power_supply' },
      client: { ip: '127.0.0.1', userAgent: expect.any(String) },
      commandId: expect.any(String),
      correlationId: expect.any(String),
    });
  });

  describe('idempotency', () => {
    it('answers a retried case creation with the first result and stores one case', async () => {
      const { code } = await d.registerEnterprise();
      const key = { 'idempotency-key': `phone-retry-${Date.now()}` };
      const first = await d.openCase(code, key);
      const again = await d.openCase(code, key);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      const detail = await t.request('GET', `/api/v1/cases/${first.body.id}`, {
        headers: { 'x-consistent-with': first.body.position },
      });
      expect(detail.body.timeline).toHaveLength(1);
    });

    it('answers a retried step that already succeeded with its first result, not a conflict', async () => {
      const { code } = await d.registerEnterprise();
      const { body: opened } = await d.openCase(code);
      const key = { 'idempotency-key': `dispatch-${opened.id}` };
      const first = await t.request('POST', `/api/v1/cases/${opened.id}/dispatch`, {
        body: { leadDepartment: 'tax' },
        headers: key,
      });
      const again = await t.request('POST', `/api/v1/cases/${opened.id}/dispatch`, {
        body: { leadDepartment: 'tax' },
        headers: key,
      });
      expect([first.status, again.status]).toEqual([200, 200]);
      expect(again.body).toEqual(first.body);
      // Without the key it is a second dispatch, refused.
      const other = await t.request('POST', `/api/v1/cases/${opened.id}/dispatch`, {
        body: { leadDepartment: 'tax' },
      });
      expectError(other, 409, 'CASE.ILLEGAL_TRANSITION');
      expect(other.body.message).toContain('status: dispatched');
    });

    it('answers a retried registration with the first result', async () => {
      const code = d.newCode();
      const key = { 'idempotency-key': `register-${code}` };
      const body = { creditCode: code, name: 'X', street: 'pinghu' };
      const first = await t.request('POST', '/api/v1/enterprises', { body, headers: key });
      const again = await t.request('POST', '/api/v1/enterprises', { body, headers: key });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
    });
  });

  describe('refusals', () => {
    it('refuses a wrong check character in the credit code, naming the field and the rule', async () => {
      const code = d.newCode();
      const wrong = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
      const res = await t.request('POST', '/api/v1/enterprises', {
        body: { creditCode: wrong, name: 'X', street: 'bantian' },
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
      const { code } = await d.registerEnterprise({ name: '第一家公司' });
      const res = await t.request('POST', '/api/v1/enterprises', {
        body: { creditCode: code, name: '第二家', street: 'bantian' },
      });
      expectError(res, 409, 'ENTERPRISE.ALREADY_REGISTERED');
      expect(res.body.details).toEqual({ enterpriseId: code, name: '第一家公司' });
    });

    it('refuses an unregistered enterprise and an unknown category or street, listing the choices', async () => {
      const unknown = await t.request('POST', '/api/v1/cases', {
        body: { enterpriseId: d.newCode(), category: 'tax', channel: 'online', description: 'x' },
      });
      expectError(unknown, 400, 'ENTERPRISE.NOT_FOUND');
      expect(unknown.body.errors[0].field).toBe('enterpriseId');
      const { code } = await d.registerEnterprise();
      const category = await t.request('POST', '/api/v1/cases', {
        body: { enterpriseId: code, category: 'weather', channel: 'online', description: 'x' },
      });
      expectError(category, 400, 'CASE.UNKNOWN_CATEGORY');
      expect(category.body.errors[0]).toMatchObject({
        field: 'category',
        message: expect.stringContaining('power_supply'),
      });
      const street = await t.request('POST', '/api/v1/enterprises', {
        body: { creditCode: d.newCode(), name: 'X', street: '坂田' },
      });
      expectError(street, 400, 'ENTERPRISE.UNKNOWN_STREET');
      expect(street.body.errors[0].message).toContain('bantian');
    });

    it('refuses illegal transitions with 409 and a message that says the status', async () => {
      const { code } = await d.registerEnterprise();
      const { body: opened } = await d.openCase(code);
      const early = await t.request('POST', `/api/v1/cases/${opened.id}/close`);
      expectError(early, 409, 'CASE.ILLEGAL_TRANSITION');
      expect(early.body.message).toContain('status: new');
      expect(early.body.details).toMatchObject({ status: 'new' });
      await t.request('POST', `/api/v1/cases/${opened.id}/dispatch`, {
        body: { leadDepartment: 'customs' },
      });
      await t.request('POST', `/api/v1/cases/${opened.id}/accept`);
      await t.request('POST', `/api/v1/cases/${opened.id}/resolve`, {
        body: { resolution: 'done', outcome: 'explained' },
      });
      const twice = await t.request('POST', `/api/v1/cases/${opened.id}/resolve`, {
        body: { resolution: 'again', outcome: 'solved' },
      });
      expectError(twice, 409, 'CASE.ILLEGAL_TRANSITION');
      expect(twice.body.message).toContain('status: resolved');
    });

    it('answers 404 for what does not exist and 400 for an id that is not a UUID', async () => {
      expectError(
        await t.request('GET', '/api/v1/cases/00000000-0000-4000-8000-000000000000'),
        404,
        'CASE.NOT_FOUND',
      );
      expectError(
        await t.request('POST', '/api/v1/cases/00000000-0000-4000-8000-000000000000/dispatch', {
          body: { leadDepartment: 'tax' },
        }),
        404,
        'CASE.NOT_FOUND',
      );
      const bad = await t.request('GET', '/api/v1/cases/not-a-uuid');
      expectError(bad, 400, 'REQUEST.INVALID');
      expect(bad.body.errors[0].field).toBe('id');
      expectError(
        await t.request('GET', `/api/v1/enterprises/${d.newCode()}`),
        404,
        'ENTERPRISE.NOT_FOUND',
      );
      expectError(await t.request('GET', '/api/v1/visits/nope'), 404, 'VISIT.NOT_FOUND');
      expectError(await t.request('GET', '/api/v1/nowhere'), 404, 'ROUTE.NOT_FOUND');
    });

    it('refuses a stale If-Match with 412 and a malformed one with 400', async () => {
      const { code } = await d.registerEnterprise();
      const { body: opened } = await d.openCase(code);
      const stale = await t.request('POST', `/api/v1/cases/${opened.id}/dispatch`, {
        body: { leadDepartment: 'housing' },
        headers: { 'if-match': '"5"' },
      });
      expectError(stale, 412, 'STREAM.PRECONDITION_FAILED');
      const ok = await t.request('POST', `/api/v1/cases/${opened.id}/dispatch`, {
        body: { leadDepartment: 'housing' },
        headers: { 'if-match': '"0"' },
      });
      expect(ok.status).toBe(200);
      const bad = await t.request('POST', `/api/v1/cases/${opened.id}/accept`, {
        headers: { 'if-match': 'yesterday' },
      });
      expectError(bad, 400, 'REQUEST.INVALID_HEADER');
    });

    it('lets exactly one of two simultaneous resolutions win', async () => {
      const { code } = await d.registerEnterprise();
      const { body: opened } = await d.openCase(code);
      await t.request('POST', `/api/v1/cases/${opened.id}/dispatch`, {
        body: { leadDepartment: 'development_reform' },
      });
      await t.request('POST', `/api/v1/cases/${opened.id}/accept`);
      const results = await Promise.all(
        ['甲', '乙'].map((who) =>
          t.request('POST', `/api/v1/cases/${opened.id}/resolve`, {
            body: { resolution: who, outcome: 'solved' },
            headers: { 'if-match': '"2"' },
          }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses[0]).toBe(200);
      expect([409, 412]).toContain(statuses[1]);
      const winner = results.find((r) => r.status === 200)!;
      const detail = await t.request('GET', `/api/v1/cases/${opened.id}`, {
        headers: { 'x-consistent-with': winner.body.position },
      });
      expect(detail.body.timeline.filter((e: any) => e.type === 'CaseResolved')).toHaveLength(1);
    });

    it('lets exactly one of two simultaneous resolutions win without If-Match too', async () => {
      const { code } = await d.registerEnterprise();
      const { body: opened } = await d.openCase(code);
      await t.request('POST', `/api/v1/cases/${opened.id}/dispatch`, {
        body: { leadDepartment: 'tax' },
      });
      await t.request('POST', `/api/v1/cases/${opened.id}/accept`);
      const results = await Promise.all(
        ['甲', '乙'].map((who) =>
          t.request('POST', `/api/v1/cases/${opened.id}/resolve`, {
            body: { resolution: who, outcome: 'solved' },
          }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
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
        creditCode: d.newCode(),
        name: 'x'.repeat(1024 * 1024),
        street: 'bantian',
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
      for (const [url, field] of [
        ['/api/v1/cases?status=bogus', 'status'],
        ['/api/v1/cases?status=new,bogus', 'status'],
        ['/api/v1/cases?limit=0', 'limit'],
        ['/api/v1/cases?limit=abc', 'limit'],
        ['/api/v1/cases?cursor=!!', 'cursor'],
        ['/api/v1/cases?cursor=bm90LWpzb24', 'cursor'],
        ['/api/v1/cases?openedFrom=yesterday', 'openedFrom'],
        ['/api/v1/cases?role=boss', 'role'],
        ['/api/v1/cases?sort=random', 'sort'],
        ['/api/v1/cases?colour=red', 'colour'],
        ['/api/v1/visits?level=mayor', 'level'],
        ['/api/v1/enterprises?includeArchived=maybe', 'includeArchived'],
      ]) {
        const res = await t.request('GET', url!);
        expectError(res, 400, 'REQUEST.INVALID');
        expect({ url, field: res.body.errors[0].field }).toEqual({ url, field });
      }
      expectError(
        await t.request('GET', '/api/v1/cases', { headers: { 'x-consistent-with': 'soon' } }),
        400,
        'REQUEST.INVALID_HEADER',
      );
      expect(
        (
          await t.request('POST', '/api/v1/cases', {
            body: {},
            headers: { 'idempotency-key': 'x' },
          })
        ).status,
      ).toBe(400);
    });

    it('echoes a well-formed X-Correlation-Id in errors', async () => {
      const res = await t.request('GET', '/api/v1/cases/nope', {
        headers: { 'x-correlation-id': 'req-42' },
      });
      expect(res.body.correlationId).toBe('req-42');
      expect(res.headers['x-correlation-id']).toBe('req-42');
    });

    it('answers no garbage input with a 5xx', async () => {
      const { code } = await d.registerEnterprise();
      const { body: opened } = await d.openCase(code);
      for (const url of [
        '/api/v1/enterprises/9144%00',
        '/api/v1/cases?department=%00',
        `/api/v1/cases/${opened.id}%00`,
        '/api/v1/cases?q=%00',
      ]) {
        const res = await t.request('GET', url);
        expect({ url, status: res.status }).toEqual({ url, status: 400 });
      }
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
        '{"leadDepartment":123}',
        '{"leadDepartment":"' + 'x'.repeat(5000) + '"}',
        '{"coDepartments":"tax"}',
        '{"coDepartments":[1,2]}',
        '{"description":"\\u0000"}',
        '{"enterpriseId":"' +
          code +
          '","category":"tax","channel":"online","description":"\\u0000"}',
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{}}}',
        '{"resolution":"' + '扫'.repeat(4001) + '"}',
        '{"requestedDueAt":"2026-02-30T00:00:00Z","reason":"x"}',
        '{"problems":[{"category":null}]}',
        '{"problems":"many"}',
        '{"satisfaction":"meh","comment":"x"}',
        '{"officers":[null],"visitedOn":"2026-13-45"}',
      ];
      const urls = [
        '/api/v1/enterprises',
        '/api/v1/cases',
        '/api/v1/visits',
        '/api/v1/reference/department',
        `/api/v1/enterprises/${code}/archive`,
        ...[
          'dispatch',
          'accept',
          'return',
          'transfer',
          'first-response',
          'progress',
          'extension',
          'extension/approve',
          'extension/refuse',
          'pause',
          'resume',
          'resolve',
          'callback',
          'close',
          'withdraw',
          'supervision',
          'comments',
        ].map((step) => `/api/v1/cases/${opened.id}/${step}`),
      ];
      for (const url of urls) {
        for (const payload of bodies) {
          const res = await t.request('POST', url, { payload, headers: json });
          expect({ url, payload: payload.slice(0, 60), below500: res.status < 500 }).toEqual({
            url,
            payload: payload.slice(0, 60),
            below500: true,
          });
        }
      }
      const patch = await t.request('PATCH', `/api/v1/enterprises/${code}`, {
        payload: '{"tags":[{"x":1}]}',
        headers: json,
      });
      expect(patch.status).toBe(400);
    });
  });
});

describe('read-your-writes when the projector is elsewhere', () => {
  it('answers 503 READ_MODEL.BEHIND when the read model does not reach the position in time', async () => {
    const behind = await startTestApp({ PROJECTOR: 'off', CONSISTENCY_TIMEOUT_MS: 300 });
    try {
      const code = aCreditCode(99_999);
      const res = await behind.request('POST', '/api/v1/enterprises', {
        body: { creditCode: code, name: 'X', street: 'longcheng' },
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

describe('inputs a review found answering 500', () => {
  const cursor = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

  it('refuses forged cursors and dates PostgreSQL would reject, naming the field', async () => {
    for (const [url, field] of [
      [`/api/v1/cases?cursor=${cursor(['2026-01-01T00:00:00.000Z', 'not-a-uuid'])}`, 'cursor'],
      [`/api/v1/cases?cursor=${cursor(['1', '00000000-0000-4000-8000-000000000000'])}`, 'cursor'],
      [
        `/api/v1/visits?cursor=${cursor(['2026-13-45', '00000000-0000-4000-8000-000000000000'])}`,
        'cursor',
      ],
      ['/api/v1/cases?openedFrom=2026-11', 'openedFrom'],
      ['/api/v1/cases/counts?openedTo=2026-W10', 'openedTo'],
      ['/api/v1/cases?openedFrom=2026-02-30', 'openedFrom'],
      ['/api/v1/visits?from=2026-02-30', 'from'],
    ]) {
      const res = await t.request('GET', url!);
      expect({ url, status: res.status, field: res.body.errors?.[0]?.field }).toEqual({
        url,
        status: 400,
        field,
      });
    }
  });

  it('refuses null where it means nothing, and unpaired surrogates anywhere', async () => {
    const { code } = await d.registerEnterprise();
    const { body: opened } = await d.openCase(code);
    const name = await t.request('PATCH', `/api/v1/enterprises/${code}`, { body: { name: null } });
    expectError(name, 400, 'REQUEST.INVALID');
    expect(name.body.errors[0].field).toBe('name');
    // null still clears a field where it means "none".
    expect(
      (
        await t.request('PATCH', `/api/v1/enterprises/${code}`, {
          body: { building: 'X', contactPerson: null },
        })
      ).status,
    ).toBe(200);
    await d.steps(opened.id, [
      ['dispatch', { leadDepartment: 'tax' }],
      ['accept'],
      ['extension', { reason: 'r', requestedDueAt: '2030-01-01T18:00:00+08:00' }],
    ]);
    expectError(
      await t.request('POST', `/api/v1/cases/${opened.id}/extension/approve`, {
        body: { comment: null },
      }),
      400,
      'REQUEST.INVALID',
    );
    const surrogate = await t.request('POST', '/api/v1/cases', {
      payload: `{"enterpriseId":"${code}","category":"tax","channel":"online","description":"bad \\ud800 text"}`,
      headers: json,
    });
    expectError(surrogate, 400, 'REQUEST.INVALID');
    expect(surrogate.body.errors[0]).toMatchObject({
      field: 'description',
      rule: 'wellFormedText',
    });
    const noOffset = await t.request('POST', `/api/v1/cases/${opened.id}/extension`, {
      body: { reason: 'r', requestedDueAt: '2030-01-01T18:00' },
    });
    expect(noOffset.status).toBe(400);
  });

  it('reads a date-only filter as midnight in Shenzhen, not in the server’s time zone', async () => {
    const { code } = await d.registerEnterprise({ street: 'longgang' });
    const { body: opened } = await d.openCase(code);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const ids = async (query: string) =>
      (
        await t.request('GET', `/api/v1/cases?street=longgang&${query}`, {
          headers: { 'x-consistent-with': opened.position },
        })
      ).body.items.map((c: any) => c.id);
    expect(await ids(`openedFrom=${today}`)).toContain(opened.id);
    expect(await ids(`openedTo=${today}`)).not.toContain(opened.id);
  });
});
