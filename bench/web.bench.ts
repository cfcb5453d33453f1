/**
 * The web app's budget, from the production build (dist/web) served by the real API on a real
 * PostgreSQL:
 *
 *   npm run bench:web       (embedded PostgreSQL; DATABASE_URL to use another server)
 *
 * Prints the gzipped JavaScript the officer's first screen (the enterprise finder, signed in)
 * loads — budget 300 KB — and its time to interactive (the search box takes input) on Chromium
 * with 4× CPU slowdown and DevTools' "Fast 3G" (562.5 ms latency, 180 KB/s down, 84 KB/s up),
 * against a bare static page with one input measured in the same run under the same throttling.
 * A benchmark, not a test: it prints figures and the budgets, and never fails on them.
 */
import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { createApp } from '../apps/api/src/app.js';
import { loadConfig } from '../apps/api/src/config.js';
import { findWebRoot } from '../apps/api/src/web.js';
import { migrate } from '#read-model';
import { benchDatabase } from './support.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FAST_3G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: 180_000,
  uploadThroughput: 84_375,
};

async function post(base: string, path: string, body: unknown, token?: string) {
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

/** Loads `path` throttled and returns ms until `ready` holds, with the JS it fetched. */
async function measure(
  browser: Browser,
  base: string,
  path: string,
  session: unknown,
  ready: string,
) {
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: 375, height: 812 },
    serviceWorkers: 'block',
  });
  if (session) {
    await context.addInitScript(
      (s) =>
        (
          globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }
        ).localStorage.setItem('saolou.session', s),
      JSON.stringify(session),
    );
  }
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', FAST_3G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const scripts: string[] = [];
  page.on('response', (r) => {
    const url = new URL(r.url());
    if (url.pathname.endsWith('.js')) scripts.push(url.pathname);
  });
  const started = Date.now();
  await page.goto(path, { waitUntil: 'commit' });
  await page.getByLabel(ready).waitFor({ timeout: 120_000 });
  await page.getByLabel(ready).fill('深圳');
  const ms = Date.now() - started;
  await context.close();
  return { ms, scripts: [...new Set(scripts)] };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const root = findWebRoot();
  if (!root) throw new Error('dist/web is missing: npm run build first');
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  const db = await benchDatabase();
  await migrate(db.url);
  const adminPassword = 'Bench9root9secret7x';
  const app = await createApp(
    {
      ...loadConfig({}),
      DATABASE_URL: db.url,
      LOG_LEVEL: 'silent',
      SAOLOU_ADMIN_USERNAME: 'admin',
      SAOLOU_ADMIN_PASSWORD: adminPassword,
    },
    { logger: false },
  );
  // The baseline: a bare page with one input, served by the same server (the SPA fallback).
  const bare = '/bench-baseline.html';
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get(bare, (_req: unknown, reply: { type(t: string): { send(b: string): void } }) =>
    reply
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><html lang="zh-CN"><title>baseline</title><label>搜索 <input aria-label="输入企业名称或统一社会信用代码"></label></html>',
      ),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = await app.getUrl();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
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
  try {
    const admin = await post(base, '/api/v1/auth/login', {
      username: 'admin',
      password: adminPassword,
    });
    await post(
      base,
      '/api/v1/users',
      {
        username: 'bench.officer',
        displayName: '测试干部',
        role: 'officer',
        street: 'bantian',
        password: 'Bench9first9secret7x',
      },
      admin.accessToken,
    );
    const first = await post(base, '/api/v1/auth/login', {
      username: 'bench.officer',
      password: 'Bench9first9secret7x',
    });
    const officer = await post(
      base,
      '/api/v1/auth/password',
      {
        currentPassword: 'Bench9first9secret7x',
        newPassword: 'Bench9own9secret7y2',
      },
      first.accessToken,
    );
    const session = {
      accessToken: officer.accessToken,
      refreshToken: officer.refreshToken,
      mustChangePassword: false,
    };

    const app1: number[] = [];
    const base1: number[] = [];
    let scripts: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      base1.push((await measure(browser, base, bare, null, '输入企业名称或统一社会信用代码')).ms);
      const run = await measure(
        browser,
        base,
        '/officer/enterprises',
        session,
        '输入企业名称或统一社会信用代码',
      );
      app1.push(run.ms);
      scripts = run.scripts;
    }
    const gzipped = scripts.reduce((n, s) => n + gzipSync(readFileSync(join(root, s))).length, 0);
    const raw = scripts.reduce((n, s) => n + readFileSync(join(root, s)).length, 0);
    console.log(
      `web app budget (Chromium ${browser.version()}, 4x CPU slowdown, Fast 3G, ${RUNS} runs, median)`,
    );
    console.log(
      `  officer's first screen JS: ${scripts.length} files, ${(gzipped / 1024).toFixed(1)} KB gzipped (${(raw / 1024).toFixed(0)} KB raw); budget 300 KB`,
    );
    console.log(
      `  time to interactive (search box takes input): ${median(app1)} ms; budget 2000 ms`,
    );
    console.log(`  baseline, bare page with one input:           ${median(base1)} ms`);
    console.log(
      `  difference: ${median(app1) - median(base1)} ms (runs: app ${app1.join(', ')}; baseline ${base1.join(', ')})`,
    );
  } finally {
    await browser.close();
    await app.close();
    await db.dispose();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
