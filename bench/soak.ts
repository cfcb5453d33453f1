import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { makeCreditCode } from '#domain';
import { migrate } from '#read-model';
import { benchDatabase, startFlags } from './support.js';

/**
 * npm run soak — a bounded soak (SOAK_SECONDS, default 180; not part of CI): the real API
 * in its own process under steady mixed load, as a dispatcher: /auth/me, the reference data,
 * the first page of the case list, health, and one write in twenty — a comment on one of
 * SOAK_CASES (500) open cases in turn, so the writes append events without growing what the
 * reads return — printing p99 latency and RSS every 10 s, then the trend (RSS growth per
 * minute over the second half: a leak shows there).
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 180);
const SERVER = fileURLToPath(new URL('./http-server.js', import.meta.url));
const PASSWORD = `Soak-${randomBytes(9).toString('base64url')}1`;

const db = await benchDatabase();
await migrate(db.url);
const child = fork(SERVER, ['real'], {
  // As npm start runs it (its heap bound: SAOLOU_HEAP_MB).
  execArgv: startFlags(),
  env: {
    ...process.env,
    DATABASE_URL: db.url,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    SAOLOU_ADMIN_USERNAME: 'admin',
    SAOLOU_ADMIN_PASSWORD: PASSWORD,
  },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const url = await new Promise<string>((resolve) =>
  child.once('message', (m: { ready: string }) => resolve(m.ready)),
);
const login = await fetch(`${url}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'admin', password: PASSWORD }),
});
const { accessToken } = (await login.json()) as { accessToken: string };
const CASES = Number(process.env.SOAK_CASES ?? 500);
const call = async (method: string, path: string, token: string, body?: unknown) => {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  const json = (await res.json()) as Record<string, string>;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
};
// The dispatcher the load runs as, its enterprises and the open cases the writes comment on.
const firstPassword = `Soak-${randomBytes(9).toString('base64url')}2`;
await call('POST', '/api/v1/users', accessToken, {
  username: 'soak.dispatcher',
  displayName: '压测分拨员',
  role: 'dispatcher',
  password: firstPassword,
});
const signedIn = await fetch(`${url}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'soak.dispatcher', password: firstPassword }),
});
const changed = await call(
  'POST',
  '/api/v1/auth/password',
  ((await signedIn.json()) as { accessToken: string }).accessToken,
  { currentPassword: firstPassword, newPassword: `${firstPassword}x9` },
);
const token = changed.accessToken!;
const cases: string[] = [];
for (let i = 0; i < CASES; i++) {
  const enterpriseId = makeCreditCode('440307', 880_000 + i);
  await call('POST', '/api/v1/enterprises', token, {
    creditCode: enterpriseId,
    name: `深圳市压测企业${i}有限公司`,
    street: 'bantian',
  });
  const opened = await call('POST', '/api/v1/cases', token, {
    enterpriseId,
    category: 'power_supply',
    channel: 'hotline',
    description: `压测诉求 ${i}`,
  });
  cases.push(opened.id!);
}
const rss = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
};
const paths = ['/api/v1/auth/me', '/api/v1/reference', '/api/v1/cases?limit=20', '/health'];
let n = 0;
const samples: { at: number; p99: number; rps: number; rss: number; refused: number }[] = [];
console.log('   s   req/s   p99 ms   RSS MB   non-2xx');
for (let at = 10; at <= SECONDS; at += 10) {
  const result = await autocannon({
    url,
    connections: 16,
    duration: 10,
    requests: [
      {
        setupRequest: (request: Record<string, unknown>) => {
          const i = n++;
          const write = i % 20 === 0;
          return {
            ...request,
            method: write ? 'POST' : 'GET',
            path: write
              ? `/api/v1/cases/${cases[(i / 20) % CASES]}/comments`
              : paths[i % paths.length],
            headers: {
              authorization: `Bearer ${token}`,
              ...(write ? { 'content-type': 'application/json' } : {}),
            },
            ...(write ? { body: JSON.stringify({ comment: `压测进展（${i}）` }) } : {}),
          };
        },
      },
    ],
  });
  const sample = {
    at,
    p99: result.latency.p99,
    rps: result.requests.average,
    rss: rss(),
    refused: result.non2xx,
  };
  samples.push(sample);
  console.log(
    `${String(at).padStart(4)}  ${sample.rps.toFixed(0).padStart(6)}  ${String(sample.p99).padStart(7)}  ${sample.rss.toFixed(0).padStart(7)}  ${String(sample.refused).padStart(8)}`,
  );
}
const half = samples.slice(Math.floor(samples.length / 2));
const first = half[0]!;
const last = half[half.length - 1]!;
const perMinute = ((last.rss - first.rss) / Math.max(1, last.at - first.at)) * 60;
console.log(
  `trend over the second half: RSS ${first.rss.toFixed(0)} → ${last.rss.toFixed(0)} MB (${perMinute >= 0 ? '+' : ''}${perMinute.toFixed(1)} MB/min), p99 ${first.p99} → ${last.p99} ms`,
);
child.send({ stop: true });
await new Promise((resolve) => setTimeout(resolve, 1500));
await db.dispose();
process.exit(0);
