import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { aCreditCode } from '../../libs/domain/src/testing/builders.js';
import { freePort, stopOrphan } from '#event-store';

/**
 * The API as `npm start` runs it — its own embedded PostgreSQL in a data folder — killed
 * with SIGKILL in the middle of a burst of writes, then started again by the test (issue
 * 14, fault 6 and the crash suite): the second start finds the PostgreSQL the first one
 * left running on its folder and stops it, then starts normally; every write that was
 * acknowledged is there, and retrying the others with their Idempotency-Keys stores each
 * exactly once.
 */
const API_MAIN = 'dist/apps/api/src/main.js';
const PASSWORD = `Crash-${randomBytes(9).toString('base64url')}1`;
let dataDir: string;
let port: number;
let pgPort: number;
let api: ChildProcess | null = null;

const base = () => `http://127.0.0.1:${port}`;

function startApi(): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    EMBEDDED_PG_PORT: String(pgPort),
    JWT_SECRET: 'a-fixed-secret-for-the-crash-test-0123456789',
    SAOLOU_ADMIN_USERNAME: 'admin',
    SAOLOU_ADMIN_PASSWORD: PASSWORD,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_WRITES_PER_MINUTE: '100000',
    RATE_LIMIT_READS_PER_MINUTE: '100000',
    RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
  };
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [API_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(String(chunk));
    if (output.length > 200) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  (child as ChildProcess & { output: string[] }).output = output;
  return child;
}

async function untilLive(child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(
        `the API exited with ${child.exitCode}:\n${(child as never as { output: string[] }).output.join('')}`,
      );
    const ok = await fetch(`${base()}/health/live`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `the API did not come up:\n${(child as never as { output: string[] }).output.join('')}`,
  );
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base()}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function officerToken(admin: string): Promise<string> {
  const first = `Temp-${randomBytes(9).toString('base64url')}9`;
  const auth = { authorization: `Bearer ${admin}` };
  const created = await call(
    'POST',
    '/api/v1/users',
    {
      username: 'crash.officer',
      displayName: '压测干部',
      role: 'officer',
      street: 'bantian',
      password: first,
    },
    auth,
  );
  expect(created.status).toBe(201);
  const login = await call('POST', '/api/v1/auth/login', {
    username: 'crash.officer',
    password: first,
  });
  const changed = await call(
    'POST',
    '/api/v1/auth/password',
    { currentPassword: first, newPassword: `Own-${randomBytes(9).toString('base64url')}7` },
    { authorization: `Bearer ${login.body.accessToken}` },
  );
  expect(changed.status).toBe(200);
  return changed.body.accessToken as string;
}

beforeAll(async () => {
  if (!existsSync(API_MAIN))
    throw new Error(`${API_MAIN} is missing: run npm run build (npm test does)`);
  dataDir = await mkdtemp(join(tmpdir(), 'saolou-crash-'));
  // PostgreSQL runs as its own user (we may be root): it must reach the folder.
  await chmod(dataDir, 0o755);
  port = await freePort();
  pgPort = await freePort();
});

afterAll(async () => {
  if (api && api.exitCode === null) api.kill('SIGKILL');
  // Whatever the test left running on the folder.
  await stopOrphan(join(dataDir, 'pgdata')).catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
});

it('survives SIGKILL mid-burst: the next start stops the orphaned PostgreSQL, no acknowledged write is lost', async () => {
  api = startApi();
  await untilLive(api);
  const admin = await call('POST', '/api/v1/auth/login', { username: 'admin', password: PASSWORD });
  expect(admin.status).toBe(200);
  const token = await officerToken(admin.body.accessToken);

  // A burst of registrations, each with its own Idempotency-Key; killed part-way.
  const writes = Array.from({ length: 200 }, (_, i) => ({
    code: aCreditCode(70_000 + i),
    key: `crash-${i}-${randomBytes(4).toString('hex')}`,
  }));
  const register = (w: (typeof writes)[number], bearer: string) =>
    call(
      'POST',
      '/api/v1/enterprises',
      { creditCode: w.code, name: `深圳市压测企业${w.code.slice(-6)}有限公司`, street: 'bantian' },
      { authorization: `Bearer ${bearer}`, 'idempotency-key': w.key },
    );
  const acknowledged = new Map<string, string>();
  let next = 0;
  let killed = false;
  const worker = async () => {
    while (next < writes.length && !killed) {
      const w = writes[next++]!;
      const res = await register(w, token).catch(() => null);
      if (res?.status === 201) acknowledged.set(w.code, res.body.position as string);
      if (acknowledged.size >= 60 && !killed) {
        killed = true;
        api!.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: 12 }, worker));
  await new Promise<void>((resolve) =>
    api!.exitCode !== null || api!.signalCode ? resolve() : api!.once('exit', () => resolve()),
  );
  expect(api.signalCode).toBe('SIGKILL');

  // The fault: PostgreSQL outlived the API and still holds the data folder.
  const lock = await readFile(join(dataDir, 'pgdata', 'postmaster.pid'), 'utf8');
  const orphan = Number(lock.split('\n')[0]);
  expect(() => process.kill(orphan, 0)).not.toThrow();

  // The next start stops it and comes up normally.
  api = startApi();
  await untilLive(api);
  expect(() => process.kill(orphan, 0)).toThrow();

  const again = await call('POST', '/api/v1/auth/login', { username: 'admin', password: PASSWORD });
  expect(again.status).toBe(200);
  const db = new pg.Client({
    connectionString: `postgres://postgres:postgres@127.0.0.1:${pgPort}/saolou`,
  });
  await db.connect();
  try {
    const stored = new Set(
      (
        await db.query<{ id: string }>(
          `SELECT substring(stream_id from 12) AS id FROM events WHERE event_type = 'EnterpriseRegistered'`,
        )
      ).rows.map((r) => r.id),
    );
    for (const code of acknowledged.keys()) expect(stored.has(code)).toBe(true);

    // Every acknowledged write reads back through the restarted API.
    // (The officer's access token outlives the restart: JWT_SECRET is fixed.)
    for (const [code, position] of [...acknowledged].slice(0, 20)) {
      const res = await call('GET', `/api/v1/enterprises/${code}`, undefined, {
        authorization: `Bearer ${token}`,
        'x-consistent-with': position,
      });
      expect(res.status).toBe(200);
    }

    // Retrying every write with its key stores each exactly once.
    for (const w of writes) {
      const res = await register(w, token);
      expect([200, 201]).toContain(res.status);
    }
    const { rows } = await db.query<{ n: string; streams: string }>(
      `SELECT count(*) AS n, count(DISTINCT stream_id) AS streams FROM events WHERE event_type = 'EnterpriseRegistered'`,
    );
    expect({ n: Number(rows[0]!.n), streams: Number(rows[0]!.streams) }).toEqual({
      n: writes.length,
      streams: writes.length,
    });
  } finally {
    await db.end();
  }

  // A graceful stop stops PostgreSQL too.
  api.kill('SIGTERM');
  await new Promise<void>((resolve) =>
    api!.exitCode !== null ? resolve() : api!.once('exit', () => resolve()),
  );
  expect(existsSync(join(dataDir, 'pgdata', 'postmaster.pid'))).toBe(false);
});
