import 'reflect-metadata';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import { SingleBar, Presets } from 'cli-progress';
import { DataSource } from 'typeorm';
import { Projector, PROJECTIONS, migrate } from '#read-model';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../database.js';
import { FULL_DISTRICT, seedDistrict } from './demo-district.js';
import { createDemoUsers, demoPeople } from './demo-users.js';
import { EVENT_STORE } from '../infrastructure/tokens.js';
import { stopOnSignal } from './signals.js';

/**
 * npm run seed — builds a demo Longgang district: 500 enterprises, one campaign, 2,000
 * visits and 3,000 cases in every state, through the command bus. `--scale 0.1` for a
 * tenth of it. Run it while the API is stopped (the embedded database has one owner).
 */
const scaleArg = process.argv.indexOf('--scale');
const scale = scaleArg > 0 ? Number(process.argv[scaleArg + 1]) : 1;
if (!(scale > 0 && scale <= 10)) {
  console.error('--scale must be a number above 0 and at most 10');
  process.exit(2);
}
const size = {
  enterprises: Math.max(5, Math.round(FULL_DISTRICT.enterprises * scale)),
  visits: Math.max(5, Math.round(FULL_DISTRICT.visits * scale)),
  cases: Math.max(10, Math.round(FULL_DISTRICT.cases * scale)),
};

const config = loadConfig();
const database = await openDatabase(config);
const started = Date.now();
let app: INestApplicationContext | undefined;
stopOnSignal(database, async () => app?.close());
const bar = new SingleBar(
  {
    format: ' {phase} [{bar}] {value}/{total}',
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 5000,
  },
  Presets.shades_classic,
);
try {
  await migrate(database.url);
  app = await NestFactory.createApplicationContext(
    // The SLA clock stays off: the seed raises each alert itself, at the instant it fell due
    // on the seed's own timeline; the projector is started by hand below.
    AppModule.forRoot({ ...config, DATABASE_URL: database.url, PROJECTOR: 'off' }),
    {
      // Errors only: its start-up warnings (no admin yet, no JWT_SECRET) do not apply to a seed.
      logger: ['error'],
    },
  );
  await app.init();
  const projector = app.get(Projector);
  projector.start();
  const now = new Date();
  // The demo accounts first (dated before the history), so they act in it as themselves.
  const users = await createDemoUsers(app, new Date(now.getTime() - 100 * 86400_000));
  let phase = '';
  const summary = await seedDistrict(app.get(CommandBus), size, {
    now,
    store: app.get(EVENT_STORE),
    people: demoPeople(users),
    onProgress: (p) => {
      if (p.phase !== phase) {
        if (phase) bar.stop();
        phase = p.phase;
        bar.start(p.total, 0, { phase: p.phase.padEnd(44) });
      }
      bar.update(p.done, { phase: p.phase.padEnd(44) });
    },
  });
  bar.stop();
  const written = Date.now() - started;
  process.stdout.write(' projecting the read models…\n');
  const dataSource = app.get(DataSource);
  const [head] = await dataSource.query(
    `SELECT transaction_id::text AS tx, global_position::text AS pos FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
  );
  await projector.waitFor(
    PROJECTIONS.map((p) => p.name),
    { transactionId: BigInt(head.tx), globalPosition: BigInt(head.pos) },
    600_000,
  );
  const [{ events }] = await dataSource.query(`SELECT count(*)::int AS events FROM events`);
  const statuses: { status: string; n: number }[] = await dataSource.query(
    `SELECT status, count(*)::int AS n FROM case_view GROUP BY status ORDER BY n DESC`,
  );
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `\nDemo district ready in ${seconds.toFixed(1)} s (${(written / 1000).toFixed(1)} s writing, ${summary.commands} commands): ` +
      `${summary.enterprises} enterprises, ${summary.visits} visits, ${summary.cases} cases, ${events} events in the log.`,
  );
  console.log(`Cases by status: ${statuses.map((s) => `${s.status} ${s.n}`).join(', ')}`);
  console.log('\nDemo accounts, one per role. The passwords are shown this once; keep them:');
  for (const u of users) {
    console.log(
      `  ${u.role.padEnd(10)} ${u.username.padEnd(16)} ${u.password ?? '(already existed: password unchanged)'}  ${u.place}`,
    );
  }
  console.log(
    `\nNow: npm start, log in with POST /api/v1/auth/login, then open http://${config.HOST}:${config.PORT}/docs ` +
      `(Authorize with the access token) — as demo.dispatcher try GET /api/v1/dispatch-queue, GET /api/v1/cases/counts; ` +
      `as demo.leader GET /api/v1/metrics.`,
  );
} catch (error) {
  new Logger('Seed').error(error instanceof Error ? error.stack : String(error));
  process.exitCode = 1;
} finally {
  bar.stop(); // its timer would keep the process alive
  // Close the app (and its projector) before the database it uses.
  await app?.close();
  await database.embedded?.stop();
}
