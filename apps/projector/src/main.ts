import { migrate, PROJECTIONS, Projector, createDataSource } from '#read-model';
import { SlaClock } from '#workers';
import { PostgresEventStore } from '#event-store';

/**
 * The projector as its own process: `DATABASE_URL=… npm run projector`. Several may run at
 * once (each projection's batches are serialised by a row lock on its checkpoint). Logs one
 * JSON line per event of interest on stdout. It also runs the SLA clock (warnings, overdue
 * alerts, automatic 督办).
 */
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is required: the projector works on the database the API writes to');
  process.exit(1);
}
const log = (entry: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
const batchSize = Number(process.env.PROJECTOR_BATCH_SIZE ?? 500);

const dataSource = createDataSource(url);
try {
  await migrate(url);
  await dataSource.initialize();
} catch (error) {
  console.error(
    `cannot use the database at ${url.replace(/\/\/[^@]*@/, '//')}: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
const store = PostgresEventStore.connect(url, { poolSize: 2 });
const projector = new Projector(dataSource, store, PROJECTIONS, { batchSize, log });
await projector.init();
projector.start();
// The SLA clock runs beside the projections; several processes share its work.
const clock = new SlaClock(dataSource, store, {
  log,
  intervalMs: Number(process.env.SLA_CLOCK_INTERVAL_MS ?? 30_000),
});
clock.start();
log({ msg: 'projector.started', projections: PROJECTIONS.map((p) => p.name), batchSize });

const shutdown = async () => {
  await clock.stop();
  await projector.stop();
  await store.close();
  await dataSource.destroy();
  log({ msg: 'projector.stopped' });
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
