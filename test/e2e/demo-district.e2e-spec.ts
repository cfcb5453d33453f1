import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { CASE_STATUSES, caseClock, slaTableAt, type CaseEvent } from '#domain';
import type { EventStore } from '#event-store';
import { Projector } from '#read-model';
import { currentSlaSettings, SlaClock, SLA_CLOCK_ACTOR } from '#workers';
import { seedDistrict } from '../../apps/api/src/cli/demo-district.js';
import { createDemoUsers, demoPeople } from '../../apps/api/src/cli/demo-users.js';
import { EVENT_STORE } from '../../apps/api/src/infrastructure/tokens.js';
import { startTestApp, type TestApp } from '../support/app.js';

/**
 * The demo district as `npm run seed` builds it: the SLA clock off, the seed raising each
 * alert itself on its own timeline, the projector started by hand — then checked.
 */
const now = new Date('2026-11-20T08:00:00Z');
let t: TestApp;
let store: EventStore;
beforeAll(async () => {
  t = await startTestApp({ PROJECTOR: 'off' }, { clock: { now: () => now } });
  t.app.get(Projector).start();
  store = t.app.get(EVENT_STORE);
});
afterAll(async () => {
  await t.close();
});

const ALERTS = new Set(['CaseDeadlineApproaching', 'CaseOverdue']);

describe('the demo district', () => {
  let users: Awaited<ReturnType<typeof createDemoUsers>>;

  it('creates one account per role whose printed password logs in at once, and a rerun keeps them', async () => {
    users = await createDemoUsers(t.app, new Date(now.getTime() - 100 * 86400_000));
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
    expect(again.map((u) => u.actor.userId)).toEqual(users.map((u) => u.actor.userId));
  });

  it('builds enterprises, visits, a campaign and cases in every status through the command bus, and a rerun writes nothing', async () => {
    const bus = t.app.get(CommandBus);
    const size = { enterprises: 30, visits: 80, cases: 240 };
    const summary = await seedDistrict(bus, size, { now, store, people: demoPeople(users) });
    expect(summary).toMatchObject({ enterprises: 30, visits: 80, cases: 240 });

    const dataSource = t.app.get(DataSource);
    const events = async () =>
      Number(
        (await dataSource.query(`SELECT count(*) AS n FROM events WHERE stream_type <> 'user'`))[0]
          .n,
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

    // The seed left nothing for the clock to do at its "now": it ran the clock all along.
    const clock = new SlaClock(dataSource, store, { now: () => now });
    expect((await clock.tick()).raised).toBe(0);

    await seedDistrict(bus, size, { now, store, people: demoPeople(users) });
    expect(await events()).toBe(before + 1); // only the probe above
  }, 180_000);

  it('has a history the SLA clock would have written: no alert before the events it judges, none on a met deadline, none after a withdrawal or close', async () => {
    const dataSource = t.app.get(DataSource);
    const { calendar, policies } = await currentSlaSettings(store);
    const streams: { stream_id: string }[] = await dataSource.query(
      `SELECT DISTINCT stream_id FROM events WHERE stream_type = 'case'`,
    );
    expect(streams.length).toBe(240);
    const problems: string[] = [];
    let alerts = 0;
    for (const { stream_id } of streams) {
      const recorded = (await store.readStream(stream_id)).events;
      const history = recorded as unknown as CaseEvent[];
      const table = slaTableAt(policies, new Date(history[0]!.data.at));
      let previous = 0;
      let stopped = false;
      for (const [i, event] of history.entries()) {
        const at = Date.parse(event.data.at);
        if (at < previous)
          problems.push(`${stream_id}#${i} ${event.type} dated before the event before it`);
        previous = at;
        const actor = recorded[i]!.metadata.actor;
        if (ALERTS.has(event.type)) {
          alerts++;
          if (actor !== SLA_CLOCK_ACTOR) problems.push(`${stream_id}#${i} alert by ${actor}`);
          if (stopped)
            problems.push(`${stream_id}#${i} ${event.type} after the case was withdrawn or closed`);
          // Judged on the events before it, at its own instant: it really was due.
          const before = caseClock(history.slice(0, i), table, calendar, new Date(at));
          const d = event.data as { clock: string; dueAt: string };
          if (event.type === 'CaseOverdue') {
            if (at <= Date.parse(d.dueAt))
              problems.push(`${stream_id}#${i} overdue before ${d.dueAt}`);
            if (d.clock === 'first_response' && before.firstRespondedAt)
              problems.push(`${stream_id}#${i} first response overdue though answered`);
            if (d.clock === 'resolution' && before.resolvedAt)
              problems.push(`${stream_id}#${i} resolution overdue though resolved`);
          }
        } else {
          if (!recorded[i]!.metadata.actorDetails?.displayName)
            problems.push(`${stream_id}#${i} ${event.type} by ${actor}, with no name`);
        }
        if (event.type === 'CaseWithdrawn' || event.type === 'CaseClosed') stopped = true;
      }
      // A first response given in time is never flagged late.
      const end = caseClock(history, table, calendar, now);
      const firstOverdue = history.some(
        (e) => e.type === 'CaseOverdue' && (e.data as { clock: string }).clock === 'first_response',
      );
      if (firstOverdue && end.firstRespondedAt && end.firstRespondedAt <= end.firstResponseDueAt)
        problems.push(`${stream_id} flagged late for a first response given in time`);
    }
    expect(problems).toEqual([]);
    // The clock did raise alerts: the history is not simply silent.
    expect(alerts).toBeGreaterThan(10);
    // People act under their names: the demo accounts among them.
    const names: { name: string }[] = await dataSource.query(
      `SELECT DISTINCT metadata->'actorDetails'->>'displayName' AS name FROM events WHERE stream_type = 'case'`,
    );
    expect(names.map((n) => n.name)).toEqual(
      expect.arrayContaining(['王分拨 (企业服务中心)', '陈主任', '赵工 (供电局)']),
    );
  });
});
