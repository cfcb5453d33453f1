import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { openApiDocumentWithoutDatabase } from '../../apps/api/src/openapi.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectError, testDistrict } from '../support/http.js';

/**
 * Faults found by probing the HTTP edge from outside (issue 14), each kept fixed here:
 * absurdly deep JSON, tokens with claims of the wrong shape, concurrent refreshes.
 */
const SECRET = randomBytes(32).toString('base64url');
let now = new Date('2026-11-20T02:00:00Z');
const clock = { now: () => now };
let t: TestApp;
let d: ReturnType<typeof testDistrict>;

beforeAll(async () => {
  t = await startTestApp({ JWT_SECRET: SECRET, REFRESH_GRACE_S: 10 }, { clock });
  d = testDistrict(t, 9100);
});
afterAll(() => t?.close());

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('deep JSON', () => {
  const bodies = [
    ['arrays 5,000 deep', nested(5000)],
    ['objects 5,000 deep', `{"enterpriseId":${deepObject(5000)}}`],
    ['arrays 100,000 deep', nested(100_000)],
    ['arrays 33 deep', nested(33)],
  ] as const;

  it.each(bodies)(
    'answers 400 REQUEST.TOO_DEEP to %s, with or without a token',
    async (_n, payload) => {
      for (const as of ['anonymous', 'officer'] as const) {
        for (const url of ['/api/v1/cases', '/api/v1/enterprises', '/api/v1/auth/login']) {
          const res = await t.request('POST', url, {
            as,
            payload,
            headers: { 'content-type': 'application/json' },
          });
          expectError(res, 400, 'REQUEST.TOO_DEEP');
          expect(res.body.errors).toEqual([
            expect.objectContaining({ field: 'body', rule: 'maxDepth' }),
          ]);
        }
      }
    },
  );

  it('still parses ordinary bodies, brackets inside strings included', async () => {
    const { code } = await d.registerEnterprise({
      name: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ 科技',
    });
    expect(code).toHaveLength(18);
    const res = await t.request('POST', '/api/v1/cases', {
      payload: `{"enterpriseId":"${code}","category":"power_supply","channel":"hotline","description":"${'{'.repeat(100)}\\"${'['.repeat(100)}"}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(201);
  });

  it('answers 400 to deep values in a query string, never 500', async () => {
    const query = `${'q' + '[a]'.repeat(3000)}=1`;
    const res = await t.request('GET', `/api/v1/cases?${query}`, { as: 'dispatcher' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('long path parameters', () => {
  it('answers 414 REQUEST.PARAM_TOO_LONG in the one error shape to a segment over 100 characters', async () => {
    // Fastify refuses it before Nest sees it; it answered {code: "HTTP.414"} (found by the fuzz).
    // A GET falls through to the web app's catch-all instead (when dist/web is built), which
    // answered 404 until it answered as the router does.
    for (const [method, url] of [
      ['POST', `/api/v1/cases/${'a'.repeat(101)}/accept`],
      ['GET', `/api/v1/users/${'%7B'.repeat(101)}`],
      ['PUT', `/api/v1/sla/calendar/${'2'.repeat(200)}`],
    ] as const) {
      const res = await t.request(method, url, {
        as: 'admin',
        ...(method === 'GET' ? {} : { body: {} }),
      });
      expectError(res, 414, 'REQUEST.PARAM_TOO_LONG');
    }
    const zh = await t.request('GET', `/api/v1/cases/${'a'.repeat(101)}`, {
      as: 'dispatcher',
      headers: { 'accept-language': 'zh-CN' },
    });
    expectError(zh, 414, 'REQUEST.PARAM_TOO_LONG');
    expect(zh.body.message).toBe('路径参数超过 100 个字符');
  });
});

describe('an OPTIONS request with a body', () => {
  it('answers in the one error shape, as every other route does (it answered in Fastify’s)', async () => {
    // OPTIONS * is @fastify/cors's route, outside Nest's error handling (found by the fuzz);
    // a preflight has no body.
    for (const [type, status, code] of [
      ['text/plain', 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE'],
      ['application/json', 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE'],
    ] as const) {
      const res = await t.request('OPTIONS', '/api/v1/users', {
        payload: '{',
        headers: { 'content-type': type },
      });
      expectError(res, status, code);
    }
  });
});

describe('NUL in a path parameter', () => {
  it('names the parameter as validation does, on a route that reads all its parameters at once', async () => {
    // It named the field path.year (and validation names it year; found by the fuzz).
    const res = await t.request('GET', '/api/v1/sla/calendar/years/%00', { as: 'admin' });
    expectError(res, 400, 'REQUEST.INVALID');
    expect(res.body.errors).toEqual([
      expect.objectContaining({ field: 'year', rule: 'wellFormedText' }),
    ]);
    const one = await t.request('GET', '/api/v1/cases/a%00b', { as: 'dispatcher' });
    expectError(one, 400, 'REQUEST.INVALID');
    expect(one.body.errors).toEqual([
      expect.objectContaining({ field: 'id', rule: 'wellFormedText' }),
    ]);
  });
});

describe('prototype keys in a body', () => {
  it.each(['prototype', 'constructor'])(
    'refuses a body with a %s key, at the top or nested, as an unknown field',
    async (key) => {
      // class-transformer dropped the key before the whitelist saw it: 201 (found by the fuzz).
      const { code } = await d.registerEnterprise();
      const body = `{"enterpriseId":"${code}","category":"power_supply","channel":"hotline","description":"用电","${key}":{"polluted":true}}`;
      const res = await t.request('POST', '/api/v1/cases', {
        payload: body,
        headers: { 'content-type': 'application/json' },
      });
      expectError(res, 400, 'REQUEST.INVALID');
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: key, rule: 'notAllowed' }),
      ]);
      const nested = await t.request('POST', '/api/v1/sla/policies', {
        as: 'admin',
        payload: `{"key":"*/high","effectiveFrom":"2026-12-01T00:00:00+08:00","policy":{"${key}":{"a":1}}}`,
        headers: { 'content-type': 'application/json' },
      });
      expectError(nested, 400, 'REQUEST.INVALID');
      expect(nested.body.errors).toEqual([
        expect.objectContaining({ field: `policy.${key}`, rule: 'notAllowed' }),
      ]);
    },
  );
});

describe('the OpenAPI document', () => {
  it("lists the paths as served, in the offline document (the web app's types) as at /docs-json", async () => {
    // The offline one had /api/v1/health/live and /api/v1/health/ready (found by the fuzz).
    const served = await t.request('GET', '/docs-json', { as: 'anonymous' });
    const offline = await openApiDocumentWithoutDatabase();
    expect(Object.keys(offline.paths).sort()).toEqual(Object.keys(served.body.paths).sort());
  });
});

describe('access token claims', () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const sign = (
    payload: Record<string, unknown>,
    header: unknown = { alg: 'HS256', typ: 'JWT' },
  ) => {
    const input = `${b64(header)}.${b64(payload)}`;
    return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
  };
  const iat = () => Math.floor(now.getTime() / 1000);
  const good = () => ({
    sub: randomUUID(),
    sid: randomUUID(),
    usr: 'nobody',
    name: 'nobody',
    role: 'admin',
    dept: null,
    street: null,
    iat: iat(),
    exp: iat() + 600,
    iss: 'saolou',
    aud: 'saolou-api',
  });
  const me = (token: string) =>
    t.request('GET', '/api/v1/auth/me', {
      as: 'anonymous',
      headers: { authorization: `Bearer ${token}` },
    });

  it.each([
    ['sid not a UUID', { sid: 'not-a-uuid' }],
    ['sid missing', { sid: undefined }],
    ['sid an object', { sid: { $gt: '' } }],
    ['sid an array', { sid: [randomUUID()] }],
    ['sub a number', { sub: 42 }],
    ['role unknown', { role: 'root' }],
    ['dept an object', { dept: { a: 1 } }],
    ['exp a string', { exp: 'never' }],
    ['iss missing', { iss: undefined }],
    ['aud of another service', { aud: 'other' }],
  ])('answers 401 AUTH.TOKEN_INVALID to a validly signed token with %s', async (_name, change) => {
    const res = await me(sign({ ...good(), ...change }));
    expectError(res, 401, 'AUTH.TOKEN_INVALID');
  });

  it('answers 401 to a payload that is not an object, and to alg none or another algorithm', async () => {
    const input = `${b64({ alg: 'HS256' })}.${Buffer.from('"text"').toString('base64url')}`;
    const text = `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
    expectError(await me(text), 401, 'AUTH.TOKEN_INVALID');
    expectError(await me(sign(good(), { alg: 'HS512' })), 401, 'AUTH.TOKEN_INVALID');
    expectError(await me(`${b64({ alg: 'none' })}.${b64(good())}.`), 401, 'AUTH.TOKEN_INVALID');
  });

  it('answers 401 AUTH.SESSION_ENDED to well-formed claims of a session that does not exist', async () => {
    expectError(await me(sign(good())), 401, 'AUTH.SESSION_ENDED');
  });
});

describe('refresh tokens', () => {
  const login = async () => {
    const user = await t.user('leader');
    const res = await t.request('POST', '/api/v1/auth/login', {
      as: 'anonymous',
      body: { username: user.username, password: user.password },
    });
    expect(res.status).toBe(200);
    return res.body as { accessToken: string; refreshToken: string };
  };
  const refresh = (refreshToken: string) =>
    t.request('POST', '/api/v1/auth/refresh', { as: 'anonymous', body: { refreshToken } });
  const me = (token: string) =>
    t.request('GET', '/api/v1/auth/me', {
      as: 'anonymous',
      headers: { authorization: `Bearer ${token}` },
    });

  it('gives concurrent refreshes of one token the same successor, and the session goes on', async () => {
    const session = await login();
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => refresh(session.refreshToken)),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const successors = new Set(replies.map((r) => r.body.refreshToken));
    expect(successors.size).toBe(1);
    for (const r of replies) expect((await me(r.body.accessToken)).status).toBe(200);
    // The successor rotates on as usual.
    const next = await refresh([...successors][0]!);
    expect(next.status).toBe(200);
    expect((await me(next.body.accessToken)).status).toBe(200);
  });

  it('still ends the session when the replaced token comes back after the grace window', async () => {
    const session = await login();
    const first = await refresh(session.refreshToken);
    expect(first.status).toBe(200);
    now = new Date(now.getTime() + 11_000);
    expectError(await refresh(session.refreshToken), 401, 'AUTH.REFRESH_REUSED');
    expectError(await me(first.body.accessToken), 401, 'AUTH.SESSION_ENDED');
  });

  it('does not let the token two rotations back use the grace window', async () => {
    const session = await login();
    const first = await refresh(session.refreshToken);
    const second = await refresh(first.body.refreshToken);
    expect(second.status).toBe(200);
    // Within the last rotation's grace window, a secret older than the one it replaced may
    // be a late retry: refused, with no tokens of its own, and the session goes on.
    expectError(await refresh(session.refreshToken), 401, 'AUTH.SESSION_ENDED');
    expect((await me(second.body.accessToken)).status).toBe(200);
    // No third chain was handed out: the last successor is still the one that rotates.
    const third = await refresh(second.body.refreshToken);
    expect(third.status).toBe(200);
    expect((await me(third.body.accessToken)).status).toBe(200);
  });

  it.each([2, 3])(
    'ends the session when the token from %i rotations back comes back after the grace window',
    async (back) => {
      const session = await login();
      const chain = [session];
      for (let i = 0; i < back; i++) {
        const next = await refresh(chain.at(-1)!.refreshToken);
        expect(next.status).toBe(200);
        chain.push(next.body);
      }
      now = new Date(now.getTime() + 11_000);
      // It answered 401 AUTH.SESSION_ENDED as to a guess, and the session went on.
      expectError(await refresh(session.refreshToken), 401, 'AUTH.REFRESH_REUSED');
      expectError(await me(chain.at(-1)!.accessToken), 401, 'AUTH.SESSION_ENDED');
      expectError(await refresh(chain.at(-1)!.refreshToken), 401, 'AUTH.SESSION_ENDED');
    },
  );

  it('does not end the session for a secret it never had', async () => {
    const session = await login();
    const [id] = session.refreshToken.split('.');
    now = new Date(now.getTime() + 11_000);
    expectError(
      await refresh(`${id}.${randomBytes(32).toString('base64url')}`),
      401,
      'AUTH.SESSION_ENDED',
    );
    expect((await me(session.accessToken)).status).toBe(200);
  });
});
