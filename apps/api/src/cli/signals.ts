import type { Database } from '../database.js';

/**
 * For the command-line tools that start the embedded PostgreSQL (seed, report, create-admin):
 * Ctrl-C or `kill` while they run stops what they opened (`close`, e.g. the Nest context) and
 * then the embedded server, instead of leaving PostgreSQL running behind a dead process.
 */
export function stopOnSignal(database: Database, close: () => Promise<unknown> = async () => {}) {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping…\n`);
    setTimeout(() => process.exit(1), 15_000).unref();
    void close()
      .catch(() => undefined)
      .then(() => database.embedded?.stop())
      .catch(() => undefined)
      .finally(() => process.exit(130));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
}
