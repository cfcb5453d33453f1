import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { CASE_STATUSES } from '#domain';
import { seedDistrict } from '../../apps/api/src/cli/demo-district.js';
import { createDemoUsers } from '../../apps/api/src/cli/demo-users.js';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('the demo district', () => {
  it('builds enterprises, visits, a campaign and cases in every status through the command bus, and a rerun writes nothing', async () => {
    const bus = t.app.get(CommandBus);
    const size = { enterprises: 30, visits: 80, cases: 240 };
    const now = new Date('2026-11-20T08:00:00Z');
    const summary = await seedDistrict(bus, size, { now });
    expect(summary).toMatchObject({ enterprises: 30, visits: 80, cases: 240 });

    const dataSource = t.app.get(DataSource);
    const events = async () =>
      Number(
        (
          await dataSource.query(
            // Not the test's own logins, nor the SLA clock's alerts (it ticks on its own time).
            `SELECT count(*) AS n FROM events
              WHERE stream_type <> 'user' AND metadata->>'actor' <> 'system:sla-clock'`,
          )
        )[0].n,
      );
    const before = await events();

    // Wait for the read models, then look at the district through the API.
    const last = await t.request('POST', '/api/v1/reference/street', {
      body: { code: 'seed_probe', name: '探针' },
    });
    const consistent = { 'x-consistent-with': last.body.position };
    const counts = await t.request('GET', '/api/v1/cases/counts', { headers: consistent });
    expect(counts.body.total).toBe(240);
    expect(Object.keys(counts.body.byStatus).sort()).toEqual([...CASE_STATUSES].sort());
    const campaigns = await t.request('GET', '/api/v1/campaigns', { headers: consistent });
    expect(campaigns.body).toHaveLength(1);
    const visits = await t.request('GET', '/api/v1/visits?limit=100', { headers: consistent });
    expect(visits.body.items).toHaveLength(80);

    await seedDistrict(bus, size, { now: new Date(now.getTime() + 3600_000) });
    expect(await events()).toBe(before + 1); // only the probe above
  }, 120_000);

  it('creates one account per role whose printed password logs in at once, and a rerun keeps them', async () => {
    const users = await createDemoUsers(t.app);
    expect(users.map((u) => u.role)).toEqual([
      'officer',
      'dispatcher',
      'handler',
      'leader',
      'admin',
    ]);
    for (const u of users) {
      const res = await t.request('POST', '/api/v1/auth/login', {
        as: 'anonymous',
        body: { username: u.username, password: u.password },
      });
      expect({ user: u.username, status: res.status, change: res.body.mustChangePassword }).toEqual(
        {
          user: u.username,
          status: 200,
          change: false,
        },
      );
    }
    const again = await createDemoUsers(t.app);
    expect(again.every((u) => u.password === null)).toBe(true);
  });
});
