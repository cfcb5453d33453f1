import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../apps/api/src/app.js';
import { loadConfig } from '../../apps/api/src/config.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectError, testDistrict } from '../support/http.js';

/**
 * Two API processes on one database (issue 14, speed): each caches open sessions, the
 * reference catalogue and the SLA settings, invalidated across processes by LISTEN/NOTIFY,
 * and a logout, a disabled account, a new category or a calendar day made through one
 * process takes effect on the very next request to the other.
 */
const SECRET = randomBytes(32).toString('base64url');
let a: TestApp;
let b: NestFastifyApplication;
let bUrl: string;
let d: ReturnType<typeof testDistrict>;

beforeAll(async () => {
  a = await startTestApp({ JWT_SECRET: SECRET });
  d = testDistrict(a, 9700);
  b = await createApp(
    {
      ...loadConfig({}),
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'silent',
      PROJECTOR: 'off',
      RATE_LIMIT_READS_PER_MINUTE: 100_000,
      RATE_LIMIT_WRITES_PER_MINUTE: 100_000,
      DATABASE_URL: a.db.url,
    },
    { logger: false },
  );
  await b.listen({ port: 0, host: '127.0.0.1' });
  bUrl = await b.getUrl();
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

async function onB(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${bUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const login = async (username: string, password: string) => {
  const res = await a.request('POST', '/api/v1/auth/login', {
    as: 'anonymous',
    body: { username, password },
  });
  expect(res.status).toBe(200);
  return res.body as { accessToken: string; refreshToken: string };
};

it('ends a session logged out on one process at the next request to the other', async () => {
  const leader = await a.user('leader');
  for (let round = 0; round < 5; round++) {
    const session = await login(leader.username, leader.password);
    // Process B has checked (and cached) the session.
    expect((await onB('GET', '/api/v1/auth/me', session.accessToken)).status).toBe(200);
    expect((await onB('GET', '/api/v1/auth/me', session.accessToken)).status).toBe(200);
    const out = await a.request('POST', '/api/v1/auth/logout', {
      as: 'anonymous',
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    expect(out.status).toBeLessThan(300);
    expectError(
      await onB('GET', '/api/v1/auth/me', session.accessToken),
      401,
      'AUTH.SESSION_ENDED',
    );
  }
});

it('ends every session of an account disabled on one process at the next request to the other', async () => {
  const user = await a.newUser('dispatcher', {}, 'to.be.disabled');
  expect((await onB('GET', '/api/v1/cases', user.accessToken)).status).toBe(200);
  const disabled = await a.request('POST', `/api/v1/users/${user.username}/disable`, {
    as: a.admin,
    body: { reason: '已调离岗位' },
  });
  expect(disabled.status).toBe(200);
  expectError(await onB('GET', '/api/v1/cases', user.accessToken), 401, 'AUTH.SESSION_ENDED');
});

it('lets the other process use a category defined through one at once', async () => {
  const officer = await a.user('officer');
  const { code } = await d.registerEnterprise();
  const body = {
    enterpriseId: code,
    category: 'night_market',
    channel: 'hotline',
    description: '夜市',
  };
  // B has read (and cached) the catalogue: the category does not exist yet.
  const before = await onB('POST', '/api/v1/cases', officer.accessToken, body);
  expect(before.status).toBe(400);
  const defined = await a.request('POST', '/api/v1/reference/category', {
    as: a.admin,
    body: { code: 'night_market', name: '夜间经济' },
  });
  expect(defined.status).toBe(201);
  const after = await onB('POST', '/api/v1/cases', officer.accessToken, body);
  expect(after.status).toBe(201);
});

it('shows the other process a calendar day set through one at once (SLA settings cached per process)', async () => {
  const leader = await a.user('leader');
  const overridden = async () =>
    (
      (await onB('GET', '/api/v1/sla', leader.accessToken)).body.calendarOverrides as {
        date: string;
      }[]
    ).map((o) => o.date);
  // B has read (and cached) the settings: the day is not overridden yet.
  expect(await overridden()).not.toContain('2030-01-02');
  const set = await a.request('PUT', '/api/v1/sla/calendar/2030-01-02', {
    as: a.admin,
    body: { working: false, name: '台风停工' },
  });
  expect(set.status).toBe(200);
  expect(await overridden()).toContain('2030-01-02');
  const cleared = await a.request('DELETE', '/api/v1/sla/calendar/2030-01-02', { as: a.admin });
  expect(cleared.status).toBe(200);
  expect(await overridden()).not.toContain('2030-01-02');
});
