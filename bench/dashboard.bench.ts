/**
 * Read latency at district scale: at least 1,000,000 cases written as real events (through
 * the event store's bulk path, appendToStreams), projected by the real projections, then p50 and
 * p95 of the leader dashboard (GET /metrics: 三率 by lead department for a month, quarter
 * and year) and of the department worklist (GET /cases for one department's open cases).
 *
 * Every figure is also printed as a ratio to a baseline measured in the same run on the
 * same database: a primary-key lookup of one case (the floor of any read). The naive
 * dashboard (GROUP BY over the cases of the month, no rollup) is measured too, to show
 * what the daily/monthly cells buy. Target: p95 < 50 ms for both main queries.
 *
 *   npm run bench:dashboard                      (1,000,000 cases, embedded PostgreSQL)
 *   BENCH_CASES=100000 npm run bench:dashboard   (quicker)
 *   DATABASE_URL=postgres://… npm run bench:dashboard
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { PostgresEventStore, type EventToAppend } from '#event-store';
import { createDataSource, migrate, PROJECTIONS, Projector } from '#read-model';
import { DEFAULT_SCORE_WEIGHTS, LONGGANG_DEFAULTS } from '#domain';
import {
  GetMetricsHandler,
  GetMetricsQuery,
} from '../apps/api/src/metrics/get-metrics/get-metrics.handler.js';
import { periodOf } from '../apps/api/src/metrics/periods.js';
import {
  ListCasesHandler,
  ListCasesQuery,
} from '../apps/api/src/cases/list-cases/list-cases.handler.js';
import { CaseDeadlineReader } from '../apps/api/src/cases/case-deadlines.js';
import type { SlaSettingsCache } from '../apps/api/src/infrastructure/sla-settings.js';
import { systemClock } from '../apps/api/src/infrastructure/tokens.js';
import { currentSlaSettings } from '#workers';
import { benchDatabase } from './support.js';

const CASES = Number(process.env.BENCH_CASES ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const PER_APPEND = 500; // cases per transaction
const WRITERS = 8;

const departments = LONGGANG_DEFAULTS.department.map(([code]) => code);
const streets = LONGGANG_DEFAULTS.street.map(([code]) => code);
const categories = LONGGANG_DEFAULTS.category.map(([code]) => code);
const channels = ['visit', 'hotline', 'leader', 'online'] as const;

/** A small deterministic generator: the same district every run. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const START = Date.parse('2025-01-01T00:00:00+08:00');
const SPAN = Date.parse('2026-11-20T00:00:00+08:00') - START;
const HOUR = 3600_000;

/** One case's events: opened, dispatched; most answered and resolved; some called back. */
function caseEvents(n: number, rand: () => number) {
  const caseId = randomUUID();
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  // Office hours on the opening day, mostly.
  const day = START + Math.floor((rand() * SPAN) / (24 * HOUR)) * 24 * HOUR;
  const opened = day + (9 + rand() * 9) * HOUR;
  const lead = pick(departments);
  const co = rand() < 0.2 ? [pick(departments.filter((d) => d !== lead))] : [];
  const at = (t: number) => new Date(t).toISOString();
  const meta = { actor: 'bench', commandId: randomUUID(), occurredAt: at(opened) };
  const event = (type: string, data: object): EventToAppend => ({
    eventId: randomUUID(),
    type,
    data: { caseId, ...data },
    metadata: meta,
  });
  const events = [
    event('CaseOpened', {
      enterpriseId: `ENT${String(n % 50_000).padStart(15, '0')}`,
      enterpriseName: `企业${n % 50_000}`,
      street: pick(streets),
      category: pick(categories),
      channel: pick(channels),
      priority: rand() < 0.1 ? 'urgent' : 'normal',
      description: '企业反映的问题',
      visitId: null,
      at: at(opened),
    }),
    event('CaseDispatched', { leadDepartment: lead, coDepartments: co, at: at(opened + HOUR) }),
  ];
  if (rand() < 0.85) {
    const answered = opened + HOUR + rand() * 30 * HOUR;
    events.push(event('CaseAccepted', { department: lead, at: at(opened + 2 * HOUR) }));
    events.push(event('CaseFirstResponseRecorded', { message: '已回应', at: at(answered) }));
    if (rand() < 0.8) {
      const resolved = answered + rand() * 20 * 24 * HOUR;
      const outcome = pick(['solved', 'solved', 'partly_solved', 'explained'] as const);
      events.push(event('CaseResolved', { resolution: '已办结', outcome, at: at(resolved) }));
      if (rand() < 0.6) {
        const satisfaction = pick(['satisfied', 'satisfied', 'basically_satisfied', 'unsatisfied']);
        events.push(
          event('CaseCallbackRecorded', { satisfaction, comment: '', at: at(resolved + HOUR) }),
        );
      }
    }
  }
  return { streamId: `case-${caseId}`, events, expectedVersion: 'no_stream' as const };
}

function percentile(sorted: number[], q: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function latency(op: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 10; i++) await op(i); // warm-up
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = process.hrtime.bigint();
    await op(i);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

async function main() {
  const db = await benchDatabase();
  console.log(`Dashboard benchmark: ${CASES.toLocaleString('en')} cases, ${db.where}`);
  await migrate(db.url);
  const store = PostgresEventStore.connect(db.url, { poolSize: WRITERS + 2 });
  const ds = createDataSource(db.url, { poolSize: 8 });
  await ds.initialize();
  try {
    // 1. Write the cases as events, WRITERS transactions at a time.
    let written = 0;
    let events = 0;
    const writeStarted = Date.now();
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        const rand = random(1000 + w);
        for (let batch = w; batch * PER_APPEND < CASES; batch += WRITERS) {
          const appends = [];
          for (let i = 0; i < PER_APPEND && batch * PER_APPEND + i < CASES; i++)
            appends.push(caseEvents(batch * PER_APPEND + i, rand));
          await store.appendToStreams(appends);
          written += appends.length;
          events += appends.reduce((s, a) => s + a.events.length, 0);
          if (written % 100_000 < PER_APPEND)
            process.stdout.write(`  written ${written.toLocaleString('en')} cases\r`);
        }
      }),
    );
    const writeSeconds = (Date.now() - writeStarted) / 1000;
    console.log(
      `wrote ${written.toLocaleString('en')} cases, ${events.toLocaleString('en')} events in ${writeSeconds.toFixed(0)} s (${Math.round(events / writeSeconds).toLocaleString('en')} events/s)`,
    );

    // 2. Project them with the real projections the two queries read, side by side.
    const projectStarted = Date.now();
    const projected = await Promise.all(
      ['case_view', 'case_sla'].map(async (name) => {
        const projector = new Projector(
          ds,
          store,
          PROJECTIONS.filter((p) => p.name === name),
          { batchSize: 5000 },
        );
        await projector.init();
        const started = Date.now();
        await projector.catchUp();
        return { name, seconds: (Date.now() - started) / 1000 };
      }),
    );
    const projectSeconds = (Date.now() - projectStarted) / 1000;
    for (const { name, seconds } of projected)
      console.log(
        `projected ${name} in ${seconds.toFixed(1)} s (${Math.round(events / seconds).toLocaleString('en')} events/s)`,
      );
    console.log(
      `projected case_view and case_sla side by side in ${projectSeconds.toFixed(0)} s (${Math.round(events / projectSeconds).toLocaleString('en')} events/s each)`,
    );
    await ds.query('VACUUM ANALYZE');
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM case_sla`)) as { n: number }[];
    const [{ cells }] = (await ds.query(
      `SELECT count(*)::int AS cells FROM case_metrics_daily`,
    )) as { cells: number }[];
    console.log(
      `read models: ${n.toLocaleString('en')} case rows, ${cells.toLocaleString('en')} metric cells`,
    );

    // 3. Latencies.
    const ids = (
      (await ds.query(`SELECT id FROM case_view TABLESAMPLE SYSTEM (1) LIMIT 1000`)) as {
        id: string;
      }[]
    ).map((r) => r.id);
    const metrics = new GetMetricsHandler(ds);
    // No invalidation channel here: the settings are read once, as a warm process has them.
    const settings = currentSlaSettings(store);
    const slaSettings = { current: () => settings } as unknown as SlaSettingsCache;
    const worklist = new ListCasesHandler(
      ds,
      new CaseDeadlineReader(ds, store, systemClock, slaSettings),
    );
    const months = Array.from({ length: 22 }, (_, i) => {
      const d = new Date(Date.UTC(2025, i, 15));
      return d.toISOString().slice(0, 10);
    });
    const dashboard = (kind: 'month' | 'quarter' | 'year') => (i: number) =>
      metrics.execute(
        new GetMetricsQuery(
          'lead_department',
          periodOf(kind, months[i % months.length]!),
          DEFAULT_SCORE_WEIGHTS,
          5,
        ),
      );
    const results: [string, { p50: number; p95: number }][] = [];
    const baseline = await latency((i) =>
      ds.query(`SELECT * FROM case_view WHERE id = $1`, [ids[i % ids.length]]),
    );
    results.push(['baseline: one case by primary key', baseline]);
    results.push(['leader dashboard, month (GET /metrics)', await latency(dashboard('month'))]);
    results.push(['leader dashboard, quarter', await latency(dashboard('quarter'))]);
    results.push(['leader dashboard, year', await latency(dashboard('year'))]);
    results.push([
      'department worklist: open cases, newest first, 50 (GET /cases)',
      await latency((i) =>
        worklist.execute(
          new ListCasesQuery(
            {
              department: departments[i % departments.length],
              role: 'lead',
              status: ['dispatched', 'accepted', 'paused'],
              limit: 50,
            } as never,
            // A handler of that department: the worklist as the access policy scopes it.
            {
              userId: 'bench',
              username: 'bench',
              displayName: 'bench',
              role: 'handler',
              department: departments[i % departments.length]!,
              street: null,
            },
          ),
        ),
      ),
    ]);
    results.push([
      'naive dashboard, month: GROUP BY over case_sla (no rollup)',
      await latency((i) => {
        const period = periodOf('month', months[i % months.length]!);
        return ds.query(
          `SELECT lead_department, count(*) AS received,
                  count(*) FILTER (WHERE (sla->>'firstResponseOnTime')::boolean) AS on_time,
                  count(*) FILTER (WHERE resolved_at IS NOT NULL) AS resolved
           FROM case_sla
           WHERE opened_at >= ($1::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
             AND opened_at < ($2::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
           GROUP BY lead_department`,
          [period.from, period.to],
        );
      }),
    ]);
    console.log(`\n${SAMPLES} samples each; ratio = p to the baseline's same percentile\n`);
    console.log(
      `${'query'.padEnd(66)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p50 ×'.padStart(7)} ${'p95 ×'.padStart(7)}`,
    );
    for (const [name, r] of results) {
      console.log(
        `${name.padEnd(66)} ${r.p50.toFixed(2).padStart(8)} ${r.p95.toFixed(2).padStart(8)} ${(r.p50 / baseline.p50).toFixed(1).padStart(7)} ${(r.p95 / baseline.p95).toFixed(1).padStart(7)}`,
      );
    }
    const main = results.filter(([name]) => name.includes('GET /'));
    const met = main.every(([, r]) => r.p95 < 50);
    console.log(
      `\ntarget p95 < 50 ms for the dashboard (month) and the worklist: ${met ? 'met' : 'NOT met'}`,
    );
  } finally {
    await ds.destroy();
    await store.close();
    await db.dispose();
  }
}

await main();
