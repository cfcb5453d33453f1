import { DataSource } from 'typeorm';
import { PostgresEventStore } from '#event-store';
import { PROJECTIONS, Projector } from '#read-model';
import { Invalidations } from '../../apps/api/src/infrastructure/invalidations.js';
import { ReadCache } from '../../apps/api/src/infrastructure/read-cache.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testDistrict } from '../support/http.js';

/**
 * The read cache (apps/api/src/infrastructure/read-cache.ts) serves a worklist, the counts
 * and the dashboard again only while nothing they are computed from has changed: every
 * test here first makes the cache hold a reply, then changes one thing and shows the next
 * reply is the new one.
 */
let now = new Date('2026-11-16T02:00:00Z'); // Monday 10:00 in Shenzhen
let t: TestApp;
let d: ReturnType<typeof testDistrict>;
let cache: ReadCache;

beforeAll(async () => {
  t = await startTestApp({ PROJECTOR: 'off' }, { clock: { now: () => now } });
  d = testDistrict(t, 8800);
  cache = t.app.get(ReadCache);
  const invalidations = t.app.get(Invalidations);
  for (let i = 0; i < 100 && !invalidations.live; i++) await new Promise((r) => setTimeout(r, 50));
  expect(invalidations.live).toBe(true);
});
afterAll(() => t.close());

const projector = () => t.app.get(Projector);
const worklist = (as: string = 'handler') =>
  t.request('GET', '/api/v1/cases?limit=100&sort=due', { as: as as never });
const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((c) => c.id).sort();

async function dispatchedCase(department = 'industry_it') {
  const { res } = await d.registerEnterprise();
  const id = (await d.openCase(res.body.id)).body.id as string;
  await d.steps(id, [['dispatch', { leadDepartment: department }]]);
  return id;
}

describe('the read cache', () => {
  it('serves a repeated worklist from memory, byte for byte the reply it computed', async () => {
    await dispatchedCase();
    await projector().catchUp();
    const first = await worklist();
    const hits = cache.hits;
    const second = await worklist();
    expect(second.status).toBe(200);
    expect(second.headers['content-type']).toMatch(/^application\/json/);
    expect(second.body).toEqual(first.body);
    expect(cache.hits).toBe(hits + 1);
  });

  it('computes a reply once for all who ask at the same moment after a change', async () => {
    await dispatchedCase();
    await projector().catchUp();
    const computed = cache.computed;
    const replies = await Promise.all(Array.from({ length: 12 }, () => worklist()));
    expect(cache.computed).toBe(computed + 1);
    for (const reply of replies) expect(reply.body).toEqual(replies[0]!.body);
  });

  it('forgets when this process projects: a case dispatched since is on the next list', async () => {
    const before = await worklist();
    await worklist(); // cached
    const id = await dispatchedCase();
    await projector().catchUp();
    const after = await worklist();
    expect(ids(after)).toEqual([...ids(before), id].sort());
  });

  it('forgets when a projector in another process commits (its NOTIFY)', async () => {
    const before = await worklist();
    await worklist();
    // The write answered here empties the cache; the list is then cached again before any
    // projection has run, and projected by a projector that is not this app's: only
    // PostgreSQL's notification can tell the app its reply is stale.
    const other = new Projector(t.app.get(DataSource), t.app.get(PostgresEventStore), PROJECTIONS);
    const id = await dispatchedCase();
    expect(ids(await worklist())).not.toContain(id);
    expect(ids(await worklist())).not.toContain(id); // served from the cache
    const hits = cache.hits;
    await other.catchUp();
    let after = await worklist();
    for (let i = 0; i < 40 && !ids(after).includes(id); i++) {
      await new Promise((r) => setTimeout(r, 50));
      after = await worklist();
    }
    expect(ids(after)).toEqual([...ids(before), id].sort());
    expect(cache.hits).toBeLessThanOrEqual(hits + 1);
  });

  it('keeps each caller apart: another department never gets this one’s list', async () => {
    await dispatchedCase('industry_it');
    const housing = await dispatchedCase('housing');
    await projector().catchUp();
    const mine = await worklist('handler:industry_it');
    const theirs = await worklist('handler:housing');
    expect(ids(mine)).not.toContain(housing);
    expect(ids(theirs)).toContain(housing);
    expect(ids(theirs)).not.toEqual(ids(mine));
  });

  it('is for one 10-second slot of the clock: the countdown moves with time', async () => {
    const first = await worklist();
    const minutes = (res: typeof first) =>
      res.body.items.map(
        (c: { deadlines: { resolution?: { workingMinutesLeft?: number } } }) =>
          c.deadlines.resolution?.workingMinutesLeft,
      );
    now = new Date(now.getTime() + 30 * 60_000);
    const later = await worklist();
    expect(minutes(later)).not.toEqual(minutes(first));
  });

  it('computes every read sent with X-Consistent-With', async () => {
    const id = await dispatchedCase();
    const reply = await t.request('POST', `/api/v1/cases/${id}/comments`, {
      body: { comment: '请尽快联系企业' },
    });
    await worklist();
    const hits = cache.hits;
    const [res] = await Promise.all([
      t.request('GET', '/api/v1/cases?limit=100&sort=due', {
        as: 'handler',
        headers: { 'x-consistent-with': reply.body.position },
      }),
      projector().catchUp(),
    ]);
    expect(ids(res)).toContain(id);
    expect(cache.hits).toBe(hits);
  });

  it('caches the dashboard, and a write answered here empties it', async () => {
    await projector().catchUp();
    const url = '/api/v1/metrics?dimension=district&period=month&on=2026-11-16';
    const received = async () =>
      (await t.request('GET', url, { as: 'leader' })).body.rows.find(
        (r: { key: string }) => r.key === 'all',
      ).counters.received as number;
    const before = await received();
    const hits = cache.hits;
    expect(await received()).toBe(before);
    expect(cache.hits).toBe(hits + 1);
    const { res } = await d.registerEnterprise();
    await d.openCase(res.body.id);
    await projector().catchUp();
    expect(await received()).toBe(before + 1);
  });
});
