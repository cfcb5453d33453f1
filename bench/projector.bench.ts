import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { Projector, PROJECTIONS } from '#read-model';
import { entityIdFor, type PostgresEventStore } from '#event-store';
import {
  CaseCommandMessage,
  type CaseRequest,
} from '../apps/api/src/cases/case-command.handler.js';
import { EVENT_STORE } from '../apps/api/src/infrastructure/tokens.js';
import { actingAs } from '../apps/api/src/cli/demo-district.js';
import { seededDistrict } from './district.js';
import { benchDatabase } from './support.js';

/**
 * npm run bench:projector — what the projector costs per event, the way the in-process
 * projector meets it under load: a seeded district, then COMMANDS comments on open cases
 * (the commonest command), projected in batches of BATCH events (the live projector's
 * batches are as large as what arrived while the last one ran). Prints, per projection and
 * in all, the CPU of this process and the SQL statements per event: each projection in a
 * transaction of its own (alone, runBatch), and all of them in one round (runRound: one
 * transaction, one read of the log), as the running projector does. BENCH_COMMANDS (default
 * 2000), BENCH_BATCHES (default 10,100), BENCH_SCALE (default 0.1), BENCH_PROFILE (a folder:
 * a V8 CPU profile of the rounds of each batch size).
 */
const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 2000);
const SCALE = Number(process.env.BENCH_SCALE ?? 0.1);
const KIND = process.env.BENCH_EVENTS === 'opens' ? 'opens' : 'comments';
const BATCHES = (process.env.BENCH_BATCHES ?? '10,100').split(',').map(Number);

const PROFILE = process.env.BENCH_PROFILE;
const profiler = new Session();
if (PROFILE) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await mkdir(PROFILE, { recursive: true });
}

const db = await benchDatabase();
const { context, users } = await seededDistrict(db.url, SCALE);
const store = context.get<PostgresEventStore>(EVENT_STORE);
const ds = context.get(DataSource);
const openCases = (
  (await ds.query(
    `SELECT id FROM case_view WHERE status NOT IN ('closed','withdrawn') ORDER BY id LIMIT 500`,
  )) as { id: string }[]
).map((r) => r.id);
const leader = users.find((u) => u.role === 'leader')!.actor;

let statements = 0;
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
  statements++;
  return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
} as never;

const officer = users.find((u) => u.role === 'officer')!.actor;
const enterprises = (
  (await ds.query(`SELECT id FROM enterprise_view WHERE street = $1 ORDER BY id`, [
    officer.street,
  ])) as { id: string }[]
).map((r) => r.id);

const bus = context.get(CommandBus);
/** The commands whose events are projected: comments on open cases, or new cases. */
async function commands(n: number) {
  for (let i = 0; i < n; i++) {
    const commandId = randomUUID();
    const message =
      KIND === 'opens'
        ? new CaseCommandMessage(
            entityIdFor(commandId, 'case'),
            {
              type: 'OpenCase',
              enterpriseId: enterprises[i % enterprises.length]!,
              data: {
                category: 'power_supply',
                channel: 'hotline',
                priority: 'normal',
                description: `压测诉求 ${i}：有序用电方案影响夜班生产`,
              },
            } as CaseRequest,
            actingAs(commandId, new Date(), officer),
          )
        : new CaseCommandMessage(
            openCases[i % openCases.length]!,
            { type: 'CommentOnCase', data: { comment: `请加快办理（${i}）` } } as CaseRequest,
            actingAs(commandId, new Date(), leader),
          );
    await bus.execute(message as never);
  }
}

const rows: string[][] = [];
for (const batchSize of BATCHES) {
  for (const mode of ['alone', 'round'] as const) {
    await commands(COMMANDS);
    const projector = new Projector(ds, store, PROJECTIONS, { batchSize });
    const perProjection = new Map<string, { cpu: number; sql: number }>();
    if (PROFILE && mode === 'round') await profiler.post('Profiler.start');
    const cpu0 = process.cpuUsage();
    const sql0 = statements;
    const wall0 = process.hrtime.bigint();
    for (;;) {
      let read = 0;
      if (mode === 'round') read = await projector.runRound();
      else
        for (const projection of PROJECTIONS) {
          const c = process.cpuUsage();
          const s = statements;
          read += await projector.runBatch(projection);
          const used = process.cpuUsage(c);
          const entry = perProjection.get(projection.name) ?? { cpu: 0, sql: 0 };
          entry.cpu += (used.user + used.system) / 1000;
          entry.sql += statements - s;
          perProjection.set(projection.name, entry);
        }
      if (read === 0) break;
    }
    const wall = Number(process.hrtime.bigint() - wall0) / 1e6;
    if (PROFILE && mode === 'round') {
      const { profile } = await profiler.post('Profiler.stop');
      const file = join(PROFILE, `projector-round-${batchSize}.cpuprofile`);
      await writeFile(file, JSON.stringify(profile));
      console.log(`profile of the rounds at batch ${batchSize}: ${file}`);
    }
    const used = process.cpuUsage(cpu0);
    const total = (used.user + used.system) / 1000;
    for (const [name, e] of perProjection)
      rows.push([
        String(batchSize),
        mode,
        name,
        ((1000 * e.cpu) / COMMANDS).toFixed(0),
        (e.sql / COMMANDS).toFixed(3),
        '',
      ]);
    rows.push([
      String(batchSize),
      mode,
      'all',
      ((1000 * total) / COMMANDS).toFixed(0),
      ((statements - sql0) / COMMANDS).toFixed(3),
      ((1000 * wall) / COMMANDS).toFixed(0),
    ]);
  }
}

const header = ['batch', 'how', 'projection', 'µs CPU/event', 'SQL/event', 'µs wall/event'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
console.log(`${COMMANDS} ${KIND} per batch size, district at ${SCALE} of the demo's`);
console.log(header.map((h, i) => h.padEnd(widths[i]!)).join('  '));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
await context.close();
await db.dispose();
process.exit(0);
