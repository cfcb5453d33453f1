import { jest } from '@jest/globals';
import { Projector } from '#read-model';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectError, testDistrict } from '../support/http.js';

/**
 * Reads under pressure (issue 14, faults 7 and 8): waiting for a position, rate limits on
 * reads, and health that tells a projector keeping up from one falling behind. The app runs
 * without its in-process projector, so the test decides when the read models move.
 */
let t: TestApp;
let d: ReturnType<typeof testDistrict>;
let projector: Projector;

beforeAll(async () => {
  t = await startTestApp({
    PROJECTOR: 'off',
    CONSISTENCY_TIMEOUT_MS: 1500,
    HEALTH_MAX_LAG_EVENTS: 3,
    HEALTH_MAX_LAG_S: 3600,
  });
  d = testDistrict(t, 9500);
  projector = t.app.get(Projector);
});
afterAll(async () => {
  await projector?.stop();
  await t?.close();
});

describe('X-Consistent-With', () => {
  it('answers 400 at once to a position past the end of the log', async () => {
    await t.user('dispatcher');
    for (const position of [
      '999999999:1',
      '1:999999999',
      '9223372036854775807:9223372036854775807',
    ]) {
      const started = Date.now();
      const res = await t.request('GET', '/api/v1/cases', {
        as: 'dispatcher',
        headers: { 'x-consistent-with': position },
      });
      expectError(res, 400, 'REQUEST.INVALID_HEADER');
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'X-Consistent-With', rule: 'knownPosition' }),
      ]);
      expect(Date.now() - started).toBeLessThan(1000);
    }
  });

  it('lets 150 readers wait for one real position on one shared poll, then serves them', async () => {
    const { code } = await d.registerEnterprise();
    const opened = await d.openCase(code);
    const position = opened.body.position as string;
    const polls = jest.spyOn(projector, 'checkpoints');
    const started = Date.now();
    const waiting = await Promise.all(
      Array.from({ length: 150 }, () =>
        t.request('GET', '/api/v1/cases', {
          as: 'dispatcher',
          headers: { 'x-consistent-with': position },
        }),
      ),
    );
    const elapsed = Date.now() - started;
    for (const res of waiting) expectError(res, 503, 'READ_MODEL.BEHIND');
    // One poll every 50 ms for all of them, not one per reader every 25 ms (≈ 9,000).
    expect(polls.mock.calls.length).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 5);
    polls.mockRestore();

    // Once the projector has caught up, the same read is served.
    await projector.catchUp();
    const res = await t.request('GET', `/api/v1/cases/${opened.body.id}`, {
      as: 'dispatcher',
      headers: { 'x-consistent-with': position },
    });
    expect(res.status).toBe(200);
  });

  it('wakes a waiting reader as soon as the in-process projector commits', async () => {
    const { code } = await d.registerEnterprise();
    const opened = await d.openCase(code);
    const read = t.request('GET', `/api/v1/cases/${opened.body.id}`, {
      as: 'dispatcher',
      headers: { 'x-consistent-with': opened.body.position },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await projector.catchUp();
    expect((await read).status).toBe(200);
  });
});

describe('health', () => {
  it('keeps liveness apart, reports each projection’s lag, and fails readiness past the bound', async () => {
    await projector.catchUp();
    const live = await t.request('GET', '/health/live', { as: 'anonymous' });
    expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await t.request('GET', '/health/ready', { as: 'anonymous' });
    expect(ready.status).toBe(200);

    for (let i = 0; i < 5; i++) await d.registerEnterprise();
    const health = await t.request('GET', '/health', { as: 'anonymous' });
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('behind');
    const names = projector.projections.map((p) => p.name).sort();
    expect(health.body.projections.map((p: { name: string }) => p.name)).toEqual(names);
    const enterprises = health.body.projections.find(
      (p: { name: string }) => p.name === 'enterprise_view',
    );
    expect(enterprises).toMatchObject({ lagEvents: 4, behind: true });
    expect(enterprises.checkpoint).toMatch(/^\d+:\d+$/);

    const notReady = await t.request('GET', '/health/ready', { as: 'anonymous' });
    expectError(notReady, 503, 'HEALTH.NOT_READY');
    expect(notReady.body.message).toContain('enterprise_view');
    expect((await t.request('GET', '/health/live', { as: 'anonymous' })).status).toBe(200);

    await projector.catchUp();
    expect((await t.request('GET', '/health/ready', { as: 'anonymous' })).status).toBe(200);
    expect((await t.request('GET', '/health', { as: 'anonymous' })).body.status).toBe('ok');
  });
});

describe('read rate limit', () => {
  it('limits reads per account at their own bound, apart from writes', async () => {
    const limited = await startTestApp({ RATE_LIMIT_READS_PER_MINUTE: 5 });
    try {
      const leader = await limited.user('leader');
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++)
        statuses.push((await limited.request('GET', '/api/v1/cases', { as: leader })).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      const refused = await limited.request('GET', '/api/v1/cases', { as: leader });
      expectError(refused, 429, 'REQUEST.RATE_LIMITED');
      expect(refused.headers['retry-after']).toEqual(expect.any(String));
      // Another account has its own count; health is not limited.
      const other = await limited.user('dispatcher');
      expect((await limited.request('GET', '/api/v1/cases', { as: other })).status).toBe(200);
      for (let i = 0; i < 10; i++)
        expect((await limited.request('GET', '/health/live', { as: 'anonymous' })).status).toBe(
          200,
        );
    } finally {
      await limited.close();
    }
  });
});
