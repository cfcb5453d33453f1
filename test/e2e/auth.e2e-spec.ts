import { Writable } from 'node:stream';
import { startTestApp, type TestApp, type TestUser } from '../support/app.js';
import { expectError } from '../support/http.js';

/** Accounts over HTTP, on a clock the test moves: expiry, refresh, logout, lockout, passwords. */
let now = new Date('2026-11-20T02:00:00Z');
const clock = { now: () => now };
const later = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};
let logs = '';
let t: TestApp;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs += String(chunk);
      done();
    },
  });
  t = await startTestApp(
    { LOG_LEVEL: 'info', ACCESS_TOKEN_TTL_S: 900, LOGIN_MAX_FAILURES: 3, LOGIN_LOCK_MINUTES: 15 },
    { clock, logDestination: sink },
  );
});
afterAll(() => t?.close());

const login = (username: string, password: string) =>
  t.request('POST', '/api/v1/auth/login', { as: 'anonymous', body: { username, password } });
const me = (token: string) =>
  t.request('GET', '/api/v1/auth/me', {
    as: 'anonymous',
    headers: { authorization: `Bearer ${token}` },
  });

describe('accounts and sessions', () => {
  let zhao: TestUser;
  beforeAll(async () => {
    zhao = await t.newUser('handler', { department: 'power_supply' }, 'zhao.power');
  });

  it('answers 401 without a token, with a bad one, and lets health and the docs through', async () => {
    expectError(await t.request('GET', '/api/v1/cases', { as: 'anonymous' }), 401, 'AUTH.REQUIRED');
    const forged = await me(`${zhao.accessToken.slice(0, -4)}AAAA`);
    expectError(forged, 401, 'AUTH.TOKEN_INVALID');
    expect(forged.headers['www-authenticate']).toBe('Bearer');
    expect((await t.request('GET', '/health', { as: 'anonymous' })).status).toBe(200);
    expect((await t.request('GET', '/docs', { as: 'anonymous' })).status).toBe(200);
  });

  it('expires the access token, refreshes it, and refuses a refresh token used twice', async () => {
    const session = await login('zhao.power', zhao.password);
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect((await me(session.body.accessToken)).body).toMatchObject({
      username: 'zhao.power',
      role: 'handler',
      department: 'power_supply',
    });
    later(901);
    expectError(await me(session.body.accessToken), 401, 'AUTH.TOKEN_EXPIRED');
    const refreshed = await t.request('POST', '/api/v1/auth/refresh', {
      as: 'anonymous',
      body: { refreshToken: session.body.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect((await me(refreshed.body.accessToken)).status).toBe(200);
    // The old refresh token again, past the grace window: a stolen copy. The session ends.
    later(11);
    const replayed = await t.request('POST', '/api/v1/auth/refresh', {
      as: 'anonymous',
      body: { refreshToken: session.body.refreshToken },
    });
    expectError(replayed, 401, 'AUTH.REFRESH_REUSED');
    expectError(await me(refreshed.body.accessToken), 401, 'AUTH.SESSION_ENDED');
  });

  it('refuses a guessed or malformed refresh token without ending anyone’s session', async () => {
    const session = await login('zhao.power', zhao.password);
    const [sid] = session.body.refreshToken.split('.');
    for (const refreshToken of [
      `${sid}.guessed-secret-guessed`,
      `${'-'.repeat(36)}.abcdefghij`,
      `${'0'.repeat(36)}.abcdefghij`,
      'no-dot-at-all-here',
    ]) {
      const res = await t.request('POST', '/api/v1/auth/refresh', {
        as: 'anonymous',
        body: { refreshToken },
      });
      expectError(res, 401, 'AUTH.SESSION_ENDED');
    }
    expect((await me(session.body.accessToken)).status).toBe(200);
  });

  it('ends the session at logout: its access and refresh tokens stop working at once', async () => {
    const session = await login('zhao.power', zhao.password);
    const out = await t.request('POST', '/api/v1/auth/logout', {
      as: 'anonymous',
      headers: { authorization: `Bearer ${session.body.accessToken}` },
    });
    expect(out.status).toBe(204);
    expectError(await me(session.body.accessToken), 401, 'AUTH.SESSION_ENDED');
    const refresh = await t.request('POST', '/api/v1/auth/refresh', {
      as: 'anonymous',
      body: { refreshToken: session.body.refreshToken },
    });
    expectError(refresh, 401, 'AUTH.SESSION_ENDED');
  });

  it('locks an account after repeated failures, even against the right password, until the lock runs out', async () => {
    const li = await t.newUser('officer', { street: 'pinghu' }, 'li.pinghu');
    expectError(await login('li.pinghu', 'wrong-password-1'), 401, 'AUTH.INVALID_CREDENTIALS');
    expectError(await login('li.pinghu', 'wrong-password-2'), 401, 'AUTH.INVALID_CREDENTIALS');
    const third = await login('li.pinghu', 'wrong-password-3');
    expectError(third, 423, 'ACCOUNT.LOCKED');
    expect(Number(third.headers['retry-after'])).toBe(900);
    expectError(await login('li.pinghu', li.password), 423, 'ACCOUNT.LOCKED');
    // An unknown user is told the same as a wrong password: no way to probe for names.
    expectError(await login('nobody.here', 'whatever-123456'), 401, 'AUTH.INVALID_CREDENTIALS');
    const admin = await t.request('GET', '/api/v1/users/li.pinghu', { as: t.admin });
    expect(admin.body).toMatchObject({ failures: 3, lockedUntil: expect.any(String) });
    // The lock stops guessing; a session opened before it goes on.
    const refreshed = await t.request('POST', '/api/v1/auth/refresh', {
      as: 'anonymous',
      body: { refreshToken: li.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    later(15 * 60);
    expect((await login('li.pinghu', li.password)).status).toBe(200);
  });

  it('lets an admin unlock an account and reset a password that must then be changed', async () => {
    const wu = await t.newUser('leader', {}, 'wu.leader');
    for (let i = 0; i < 3; i++) await login('wu.leader', 'not-the-password-1');
    expectError(await login('wu.leader', wu.password), 423, 'ACCOUNT.LOCKED');
    expect(
      (await t.request('POST', '/api/v1/users/wu.leader/unlock', { as: t.admin })).status,
    ).toBe(200);
    expect((await login('wu.leader', wu.password)).status).toBe(200);

    const key = { 'idempotency-key': 'reset-wu-leader-1' };
    const reset = await t.request('POST', '/api/v1/users/wu.leader/password-reset', {
      as: t.admin,
      headers: key,
    });
    expect(reset.body.temporaryPassword).toEqual(expect.any(String));
    // A retry cannot repeat a password it never stored: it says so instead of inventing one.
    const retried = await t.request('POST', '/api/v1/users/wu.leader/password-reset', {
      as: t.admin,
      headers: key,
    });
    expectError(retried, 409, 'IDEMPOTENCY.SECRET_NOT_REPEATED');
    const temp = await login('wu.leader', reset.body.temporaryPassword);
    expect(temp.body.mustChangePassword).toBe(true);
    const blocked = await t.request('GET', '/api/v1/metrics', {
      as: 'anonymous',
      headers: { authorization: `Bearer ${temp.body.accessToken}` },
    });
    expectError(blocked, 403, 'AUTH.PASSWORD_CHANGE_REQUIRED');
    const weak = await t.request('POST', '/api/v1/auth/password', {
      as: 'anonymous',
      headers: { authorization: `Bearer ${temp.body.accessToken}` },
      body: { currentPassword: reset.body.temporaryPassword, newPassword: 'short' },
    });
    expectError(weak, 400, 'ACCOUNT.WEAK_PASSWORD');
    expect(weak.body.errors[0]).toMatchObject({ field: 'newPassword' });
    const changed = await t.request('POST', '/api/v1/auth/password', {
      as: 'anonymous',
      headers: { authorization: `Bearer ${temp.body.accessToken}` },
      body: { currentPassword: reset.body.temporaryPassword, newPassword: 'Longgang-2026-leader' },
    });
    expect(changed.status).toBe(200);
    // The change ended every older session, including the one it was made from.
    expectError(await me(temp.body.accessToken), 401, 'AUTH.SESSION_ENDED');
    const fresh = await t.request('GET', '/api/v1/metrics', {
      as: 'anonymous',
      headers: { authorization: `Bearer ${changed.body.accessToken}` },
    });
    expect(fresh.status).toBe(200);
  });

  it('ends the sessions of a user whose role changes or who is disabled', async () => {
    const sun = await t.newUser('dispatcher', {}, 'sun.dispatch');
    const moved = await t.request('PUT', '/api/v1/users/sun.dispatch/assignment', {
      as: t.admin,
      body: { role: 'leader' },
    });
    expect(moved.status).toBe(200);
    expectError(await me(sun.accessToken), 401, 'AUTH.SESSION_ENDED');
    const again = await login('sun.dispatch', sun.password);
    expect((await me(again.body.accessToken)).body.role).toBe('leader');
    const disabled = await t.request('POST', '/api/v1/users/sun.dispatch/disable', {
      as: t.admin,
      body: { reason: '调岗' },
    });
    expect(disabled.status).toBe(200);
    expectError(await me(again.body.accessToken), 401, 'AUTH.SESSION_ENDED');
    expectError(await login('sun.dispatch', sun.password), 403, 'ACCOUNT.DISABLED');
  });

  it('keeps the last active admin: it cannot be disabled or given another role', async () => {
    const off = await t.request('POST', '/api/v1/users/admin/disable', {
      as: t.admin,
      body: { reason: 'oops' },
    });
    expectError(off, 409, 'ACCOUNT.LAST_ADMIN');
    const demoted = await t.request('PUT', '/api/v1/users/admin/assignment', {
      as: t.admin,
      body: { role: 'leader' },
    });
    expectError(demoted, 409, 'ACCOUNT.LAST_ADMIN');
  });

  it('validates account input, naming the field and the rule', async () => {
    const bad = await t.request('POST', '/api/v1/users', {
      as: t.admin,
      body: { username: 'x', displayName: '', role: 'boss' },
    });
    expectError(bad, 400, 'REQUEST.INVALID');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'displayName',
      'role',
      'username',
    ]);
    const noDept = await t.request('POST', '/api/v1/users', {
      as: t.admin,
      body: { username: 'no.dept', displayName: '无部门', role: 'handler' },
    });
    expectError(noDept, 400, 'ACCOUNT.INVALID_ASSIGNMENT');
    const generated = await t.request('POST', '/api/v1/users', {
      as: t.admin,
      body: { username: 'gen.user', displayName: '新人', role: 'officer', street: 'buji' },
    });
    expect(generated.status).toBe(201);
    expect(generated.body.temporaryPassword).toMatch(/^.{12,}$/);
    const taken = await t.request('POST', '/api/v1/users', {
      as: t.admin,
      body: { username: 'GEN.USER', displayName: '重名', role: 'leader' },
    });
    expectError(taken, 409, 'ACCOUNT.ALREADY_EXISTS');
  });

  it('lists accounts in cursor pages, filtered and searched by the server', async () => {
    for (const n of [1, 2, 3, 4, 5])
      await t.newUser('officer', { street: 'buji' }, `page.user${n}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query = `role=officer&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.request('GET', `/api/v1/users?${query}`, { as: t.admin });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((u: { username: string }) => u.username));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    // Every officer once, in username order, none lost or repeated between pages.
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(['page.user1', 'page.user5', 'gen.user']));
    const all = await t.request('GET', '/api/v1/users?role=officer&limit=100', { as: t.admin });
    expect(all.body.items.map((u: { username: string }) => u.username)).toEqual(seen);
    expect(all.body.nextCursor).toBeNull();

    const found = await t.request('GET', `/api/v1/users?q=${encodeURIComponent('USER3')}`, {
      as: t.admin,
    });
    expect(found.body.items.map((u: { username: string }) => u.username)).toEqual(['page.user3']);
    const wildcard = await t.request('GET', '/api/v1/users?q=%25', { as: t.admin });
    expect(wildcard.body.items).toEqual([]);
    const forged = await t.request('GET', '/api/v1/users?cursor=bm90LWEtY3Vyc29y', {
      as: t.admin,
    });
    expectError(forged, 400, 'REQUEST.INVALID');
    const tooMany = await t.request('GET', '/api/v1/users?limit=1000', { as: t.admin });
    expectError(tooMany, 400, 'REQUEST.INVALID');
  });
});

describe('the HTTP edge', () => {
  it('sends security headers and no CORS grant to an origin it was not told about', async () => {
    const res = await t.request('GET', '/health', {
      as: 'anonymous',
      headers: { origin: 'https://evil.example' },
    });
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': expect.stringContaining('max-age='),
      'content-security-policy': expect.stringContaining("default-src 'self'"),
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    // The CSP allows only this origin's scripts, and /docs has no inline ones.
    const docs = await t.request('GET', '/docs', { as: 'anonymous' });
    expect(docs.headers['content-security-policy']).toContain("script-src 'self';");
    const scripts = String(docs.body).match(/<script[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((tag) => /\ssrc=/.test(tag))).toBe(true);
    // Refusals and unknown routes carry them too (the headers are set before routing).
    for (const [path, status] of [
      ['/api/v1/cases', 401],
      ['/api/v1/no-such-route', 404],
    ] as const) {
      const refused = await t.request('GET', path, { as: 'anonymous' });
      expect(refused.status).toBe(status);
      expect(refused.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'content-security-policy': expect.stringContaining("default-src 'self'"),
      });
    }
  });

  it('keeps passwords and tokens out of the logs, and logs each request with its id and user', async () => {
    const u = await t.newUser('leader', {}, 'log.leader');
    await login('log.leader', u.password);
    await t.request('GET', '/api/v1/metrics', {
      as: u,
      headers: { 'x-correlation-id': 'trace-me-123' },
    });
    expect(logs).not.toContain(u.password);
    expect(logs).not.toContain(u.accessToken);
    expect(logs).not.toContain(u.refreshToken.split('.')[1]);
    const line = logs
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((l) => l.requestId === 'trace-me-123');
    expect(line).toMatchObject({
      msg: 'request',
      statusCode: 200,
      userId: u.userId,
      role: 'leader',
    });
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After past the login and write limits', async () => {
    const limited = await startTestApp(
      { RATE_LIMIT_LOGIN_PER_MINUTE: 3, RATE_LIMIT_WRITES_PER_MINUTE: 2 },
      {},
    );
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await limited.request('POST', '/api/v1/auth/login', {
          as: 'anonymous',
          body: { username: 'nobody', password: 'nothing-1234567' },
        });
        statuses.push(res.status);
        if (res.status === 429) {
          expect(res.body.code).toBe('REQUEST.RATE_LIMITED');
          expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        }
      }
      // Counted per account and address: the test app's own admin login was another pair's.
      expect(statuses).toEqual([401, 401, 401, 429]);
      // Writes are counted per account: the third in a minute is refused, reads are not.
      const writes: number[] = [];
      for (const code of ['rl_a', 'rl_b', 'rl_c']) {
        const res = await limited.request('POST', '/api/v1/reference/street', {
          as: limited.admin,
          body: { code, name: code },
        });
        writes.push(res.status);
      }
      expect(writes).toEqual([201, 201, 429]);
      expect(
        (await limited.request('GET', '/api/v1/reference', { as: limited.admin })).status,
      ).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
