import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { DataSource } from 'typeorm';
import { AccessTokens } from '../apps/api/src/auth/access-tokens.js';
import { seededDistrict } from './district.js';
import { benchDatabase, startFlags } from './support.js';

/**
 * npm run bench:http — the real API (embedded PostgreSQL, a seeded district, the projector
 * in-process) against bare NestJS on Fastify (same DTOs and validation, a correct HS256
 * guard, no database), each in its own process, under autocannon at 32 connections; for the
 * commands also the bare app with one durable INSERT each (bare+INSERT).
 * BENCH_SCALE (default 0.3 of the demo district), BENCH_DURATION_S (default 5 per route),
 * BENCH_ONLY (a pattern: only the routes whose name matches), BENCH_PROFILE (a folder: the real
 * app writes a V8 CPU profile there, to open in Chrome DevTools or speedscope), BENCH_PROJECTOR=off
 * (the real app without its in-process projector: the reads then see only the seeded district).
 */
const SCALE = Number(process.env.BENCH_SCALE ?? 0.3);
const DURATION = Number(process.env.BENCH_DURATION_S ?? 5);
const CONNECTIONS = 32;
const SECRET = randomBytes(32).toString('base64url');
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : undefined;
const PROFILE = process.env.BENCH_PROFILE;
const SERVER = fileURLToPath(new URL('./http-server.js', import.meta.url));

const db = await benchDatabase();
console.log(
  `database: ${db.where}; ${cpus().length} cores, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
// The district, through the command bus (as npm run seed builds it).
const seeding = Date.now();
const { context, users } = await seededDistrict(db.url, SCALE);
const ds = context.get(DataSource);
const enterprises = (
  (await ds.query(`SELECT id FROM enterprise_view WHERE street = 'bantian' ORDER BY id`)) as {
    id: string;
  }[]
).map((r) => r.id);
const openCases = (
  (await ds.query(
    `SELECT id FROM case_view WHERE status NOT IN ('closed','withdrawn') ORDER BY id LIMIT 500`,
  )) as { id: string }[]
).map((r) => r.id);
const [{ events }] = (await ds.query(`SELECT count(*)::int AS events FROM events`)) as {
  events: number;
}[];
const [{ cases }] = (await ds.query(`SELECT count(*)::int AS cases FROM case_view`)) as {
  cases: number;
}[];
await context.close();
console.log(
  `seeded ${cases} cases, ${enterprises.length} enterprises in 坂田, ${events} events in ${((Date.now() - seeding) / 1000).toFixed(0)} s`,
);

interface Server {
  child: ChildProcess;
  url: string;
  stats(): Promise<{
    statements: number;
    rss: number;
    memory: NodeJS.MemoryUsage;
    cacheHits: number;
    cacheMisses: number;
    heldHits: number;
    heldMisses: number;
    projectorBatches: number;
    projectorEvents: number;
  }>;
}

/** The real app runs with npm start's Node flags (its heap bound: SAOLOU_HEAP_MB). */
const REAL_FLAGS = startFlags();

function startServer(mode: 'real' | 'bare' | 'bare-db'): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = fork(SERVER, [mode], {
      execArgv:
        mode === 'real'
          ? [...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : []), ...REAL_FLAGS]
          : undefined,
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        JWT_SECRET: SECRET,
        // BENCH_PROJECTOR=off: the commands without the in-process projector, to see its share.
        PROJECTOR: process.env.BENCH_PROJECTOR === 'off' ? 'off' : 'inline',
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
    child.once('message', (m: { ready?: string }) =>
      resolve({
        child,
        url: m.ready!,
        stats: () =>
          new Promise((r) => {
            child.once('message', r as never);
            child.send({ stats: true });
          }),
      }),
    );
  });
}

const real = await startServer('real');
const bare = await startServer('bare');
// The bare app with one durable INSERT per command: what a write that is on disk before it
// is answered costs on this machine, for the commands' second ratio.
const bareDb = await startServer('bare-db');
/**
 * CPU seconds (user + system) a process has used, from /proc (clock ticks of 10 ms); with
 * `reaped`, also its children that have ended (the postmaster's: a backend's time stays
 * counted after its connection closes).
 */
const cpuOf = (pid: number, reaped = false) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    return (fields[11]! + fields[12]! + (reaped ? fields[13]! + fields[14]! : 0)) / 100;
  } catch {
    return 0; // gone between the listing and the read
  }
};
/** CPU seconds of every PostgreSQL process on the machine (the server under test is one). */
const postgresCpu = () =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    })
    .reduce((sum, d) => sum + cpuOf(Number(d), true), 0);
/** CPU milliseconds per request of the server, of PostgreSQL and of the load generator. */
async function measured<T extends { requests: number }>(server: Server, run: () => Promise<T>) {
  const before = { app: cpuOf(server.child.pid!), pg: postgresCpu(), gen: cpuOf(process.pid) };
  const result = await run();
  const per = (seconds: number) => ((1000 * seconds) / Math.max(1, result.requests)).toFixed(2);
  return {
    ...result,
    cpu: `${per(cpuOf(server.child.pid!) - before.app)} / ${per(postgresCpu() - before.pg)} / ${per(cpuOf(process.pid) - before.gen)}`,
  };
}
const rssOf = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
};

const login = async (username: string, password: string) => {
  const res = await fetch(`${real.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
};
const tokenOf = (role: string) => {
  const u = users.find((x) => x.role === role)!;
  return login(u.username, u.password!);
};
const officer = await tokenOf('officer');
const handler = await tokenOf('handler');
const leader = await tokenOf('leader');
// The bare app checks tokens with the same secret; a token of its own shape.
const bareToken = new AccessTokens(SECRET).sign({
  sub: '00000000-0000-4000-8000-000000000001',
  sid: '00000000-0000-4000-8000-000000000002',
  usr: 'bare',
  name: 'bare',
  role: 'leader',
  dept: null,
  street: null,
  iat: Math.floor(Date.now() / 1000),
  exp: Math.floor(Date.now() / 1000) + 3600,
});

interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  token: string;
  path: (n: number) => string;
  body?: (n: number) => unknown;
}
const month = new Date().toISOString().slice(0, 10);
const allScenarios: Scenario[] = [
  {
    name: 'open a case (POST /cases)',
    method: 'POST',
    token: officer,
    path: () => '/api/v1/cases',
    body: (n) => ({
      enterpriseId: enterprises[n % enterprises.length],
      category: 'power_supply',
      channel: 'hotline',
      description: `压测诉求 ${n}：有序用电方案影响夜班生产`,
    }),
  },
  {
    name: 'add a comment (POST /cases/:id/comments)',
    method: 'POST',
    token: leader,
    path: (n) => `/api/v1/cases/${openCases[n % openCases.length]}/comments`,
    body: (n) => ({ comment: `请加快办理（${n}）` }),
  },
  {
    name: 'department worklist (GET /cases)',
    method: 'GET',
    token: handler,
    path: () => '/api/v1/cases',
  },
  {
    name: "leader's month dashboard (GET /metrics)",
    method: 'GET',
    token: leader,
    path: () => `/api/v1/metrics?dimension=lead_department&period=month&on=${month}`,
  },
  { name: 'GET /auth/me', method: 'GET', token: leader, path: () => '/api/v1/auth/me' },
];

const scenarios = allScenarios.filter((s) => !ONLY || ONLY.test(s.name));

async function load(base: string, s: Scenario, token: string) {
  let n = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [
      {
        method: s.method,
        setupRequest: (request: Record<string, unknown>) => {
          const i = n++;
          return {
            ...request,
            path: s.path(i),
            headers: {
              authorization: `Bearer ${token}`,
              ...(s.body ? { 'content-type': 'application/json' } : {}),
            },
            ...(s.body ? { body: JSON.stringify(s.body(i)) } : {}),
          };
        },
      },
    ],
  });
  const ok = result['2xx'];
  return {
    rps: ok / DURATION,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
    requests: result.requests.total,
  };
}

// Check that each scenario is answered 2xx by both before timing it.
for (const s of scenarios) {
  for (const [base, token] of [
    [real.url, s.token],
    [bare.url, bareToken],
    ...(s.method === 'POST' ? [[bareDb.url, bareToken] as const] : []),
  ] as const) {
    const res = await fetch(`${base}${s.path(0)}`, {
      method: s.method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(s.body ? { 'content-type': 'application/json' } : {}),
      },
      body: s.body ? JSON.stringify(s.body(0)) : undefined,
    });
    if (res.status >= 300)
      throw new Error(`${s.name} on ${base}: ${res.status} ${await res.text()}`);
  }
}

type Counts = Record<'cacheHits' | 'cacheMisses' | 'heldHits' | 'heldMisses', number>;
/**
 * The share of the route's requests the read cache answered, and for the commands the share
 * of their stream lookups the stream cache (RecentStreams) answered (— where none was asked).
 */
function cacheShare(before: Counts, after: Counts) {
  const share = (h: 'cacheHits' | 'heldHits', m: 'cacheMisses' | 'heldMisses') => {
    const hits = after[h] - before[h];
    const asked = hits + after[m] - before[m];
    return asked === 0 ? null : `${((100 * hits) / asked).toFixed(1)} %`;
  };
  const read = share('cacheHits', 'cacheMisses');
  const held = share('heldHits', 'heldMisses');
  return read ?? (held ? `${held} held` : '—');
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)}`;
const memoryOf = (m: NodeJS.MemoryUsage) =>
  `RSS ${mb(m.rss)}, V8 heap ${mb(m.heapUsed)} used of ${mb(m.heapTotal)}, external ${mb(m.external)} (buffers ${mb(m.arrayBuffers)}) MB`;
const idle = await real.stats();
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(real.child.pid!))), 250);
const rows: string[][] = [];
for (const s of scenarios) {
  const before = await real.stats();
  const r = await measured(real, () => load(real.url, s, s.token));
  const after = await real.stats();
  const b = await measured(bare, () => load(bare.url, s, bareToken));
  const d =
    s.method === 'POST' ? await measured(bareDb, () => load(bareDb.url, s, bareToken)) : null;
  rows.push([
    s.name,
    r.rps.toFixed(0),
    `${r.p50} / ${r.p99}`,
    b.rps.toFixed(0),
    `${b.p50} / ${b.p99}`,
    (r.rps / b.rps).toFixed(2),
    d ? d.rps.toFixed(0) : '—',
    d ? (r.rps / d.rps).toFixed(2) : '—',
    r.cpu,
    b.cpu,
    d ? d.cpu : '—',
    ((after.statements - before.statements) / Math.max(1, r.requests)).toFixed(2),
    after.projectorBatches > before.projectorBatches
      ? (
          (after.projectorEvents - before.projectorEvents) /
          (after.projectorBatches - before.projectorBatches)
        ).toFixed(1)
      : '—',
    String(r.errors),
    cacheShare(before, after),
    mb(after.memory.rss),
  ]);
  console.log(`  done: ${s.name}`);
}
clearInterval(sampler);

const header = [
  'route',
  'real req/s',
  'p50/p99 ms',
  'bare req/s',
  'p50/p99 ms',
  'ratio',
  'bare+INSERT req/s',
  'ratio to it',
  'CPU ms/req real',
  'bare',
  'bare+INSERT',
  'SQL/request',
  'events/round',
  'non-2xx',
  'cache hits',
  'RSS MB after',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(
  `\n${CONNECTIONS} connections, ${DURATION} s per route per app, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(line(header));
for (const r of rows) console.log(line(r));
console.log(
  `real app RSS peak ${(peakRss / 1048576).toFixed(0)} MB (projector ${process.env.BENCH_PROJECTOR === 'off' ? 'off' : 'in-process'}); bare app RSS ${(rssOf(bare.child.pid!) / 1048576).toFixed(0)} MB`,
);
const end = await real.stats();
console.log(`real app memory: idle before the runs ${memoryOf(idle.memory)}`);
console.log(`                 after the runs      ${memoryOf(end.memory)}`);
console.log(
  'cache hits: the share of requests answered from the read cache (READ_CACHE_MB=0 turns it off: compare); "held": of the commands\' stream lookups, the share the stream cache answered (STREAM_CACHE_MB)',
);
console.log(
  'bare+INSERT: the bare app with one durable INSERT per command (its own transaction, a pool of 20): the floor of a write answered once on disk',
);
console.log(
  'CPU ms/req: CPU time per request of the app / of PostgreSQL / of the load generator, over the run (the machine has ' +
    `${cpus().length} cores: req/s can be at most ${cpus().length} × 1000 / their sum)`,
);
console.log(
  "events/round: how many events the in-process projector's rounds read on average during the route's run",
);
console.log(
  'SQL/request: every round trip the real app sent during its run (in-process projector included) / requests',
);

for (const s of [real, bare, bareDb]) {
  s.child.removeAllListeners('exit');
  s.child.send({ stop: true });
}
await new Promise((resolve) => setTimeout(resolve, 1500));
await db.dispose();
process.exit(0);
