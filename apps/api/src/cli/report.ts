import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import { Projector, migrate } from '#read-model';
import { SlaClock } from '#workers';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../database.js';
import { stopOnSignal } from './signals.js';
import { MonthlyLedgerQuery } from '../reports/monthly-ledger/monthly-ledger.handler.js';
import { QuarterlyReviewQuery } from '../reports/quarterly-review/quarterly-review.handler.js';
import { REPORT_FORMATS, render, type ReportFormat } from '../reports/report.js';

/**
 * npm run report -- monthly-ledger [--month 2026-11] [--format xlsx|csv] [--out file]
 * npm run report -- quarterly-review [--quarter 2026-Q4] [--format xlsx|csv] [--out file]
 *
 * The same reports as GET /api/v1/reports/…, after the read models and the SLA clock are
 * brought up to date.
 * Run it while the API is stopped when using the embedded database (it has one owner).
 */
const usage =
  'usage: npm run report -- monthly-ledger|quarterly-review [--month YYYY-MM] [--quarter YYYY-Qn] [--format xlsx|csv] [--out file]';
let parsed: ReturnType<typeof parse>;
const parse = () =>
  parseArgs({
    allowPositionals: true,
    options: {
      month: { type: 'string' },
      quarter: { type: 'string' },
      format: { type: 'string', default: 'xlsx' },
      out: { type: 'string' },
    },
  });
try {
  parsed = parse();
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exit(2);
}
const { positionals, values } = parsed;
const kind = positionals[0];
const format = values.format as ReportFormat;
const problems = [
  kind === 'monthly-ledger' || kind === 'quarterly-review'
    ? null
    : 'the report must be monthly-ledger or quarterly-review',
  REPORT_FORMATS.includes(format) ? null : '--format must be xlsx or csv',
  values.month && !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.month) ? '--month must be YYYY-MM' : null,
  values.quarter && !/^\d{4}-Q[1-4]$/.test(values.quarter) ? '--quarter must be YYYY-Qn' : null,
].filter(Boolean);
if (problems.length) {
  console.error(`${problems.join('\n')}\n${usage}`);
  process.exit(2);
}

const config = loadConfig();
const database = await openDatabase(config);
let app: INestApplicationContext | undefined;
stopOnSignal(database, async () => app?.close());
try {
  await migrate(database.url);
  app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ ...config, DATABASE_URL: database.url, PROJECTOR: 'off' }),
    { logger: ['error', 'warn'] },
  );
  await app.init();
  // Bring the read models and the SLA clock (overdue alerts) up to date first.
  const projector = app.get(Projector);
  await projector.catchUp();
  if ((await app.get(SlaClock).tick()).raised) await projector.catchUp();
  const report = await app
    .get(QueryBus)
    .execute(
      kind === 'monthly-ledger'
        ? new MonthlyLedgerQuery(values.month)
        : new QuarterlyReviewQuery(values.quarter),
    );
  const out = values.out ?? `${report.name}.${format}`;
  await writeFile(out, await render(report, format));
  console.log(`${report.title}: ${report.rows.length} rows → ${out}`);
} catch (error) {
  new Logger('Report').error(error instanceof Error ? error.stack : String(error));
  process.exitCode = 1;
} finally {
  await app?.close();
  await database.embedded?.stop();
}
