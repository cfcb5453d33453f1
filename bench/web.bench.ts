/**
 * The web app's budget, from the production build (dist/web) served by the real API on a real
 * PostgreSQL:
 *
 *   npm run bench:web       (embedded PostgreSQL; DATABASE_URL to use another server)
 *
 * Prints the gzipped JavaScript the officer's first screen (the enterprise finder, signed in)
 * loads — budget 300 KB — and its time to interactive (the search box takes input: on a cold
 * visit the server's prerendered box, apps/web/src/first-screen; warm, the app's own) on Chromium
 * with 4× CPU slowdown and DevTools' "Fast 3G" (562.5 ms latency, 180 KB/s down, 84 KB/s up),
 * against a bare static page with one input measured in the same run under the same throttling.
 * Twice: cold (no HTTP cache, no service worker: the first visit) and warm (the service worker
 * installed by an earlier visit serves the built assets: the installed PWA an officer opens
 * every day; the API's replies still cross the throttled network). It also checks how the
 * server sends the scripts (content-encoding, cache-control), and when the app itself runs the
 * search for what was typed (the finder has taken the box over).
 * A benchmark, not a test: it prints figures and the budgets, and never fails on them.
 */
import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { createApp } from '../apps/api/src/app.js';
import { loadConfig } from '../apps/api/src/config.js';
import { findWebRoot } from '../apps/api/src/web.js';
import { migrate } from '#read-model';
import { benchDatabase, launchChromium, signedInSession } from './support.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FAST_3G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: 180_000,
  uploadThroughput: 84_375,
};

type Served = { path: string; encoding: string; cacheControl: string; fromSW: boolean };

/**
 * Loads `path` throttled and returns ms until `ready` holds, with the JS it fetched. `warm`
 * first visits the page unthrottled and waits for the service worker to control it (its
 * precache filled), then measures a second visit in the same browser profile.
 */
async function measure(
  browser: Browser,
  base: string,
  path: string,
  session: unknown,
  ready: string,
  warm = false,
) {
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: 375, height: 812 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: warm ? 'allow' : 'block',
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
  if (warm) {
    const first = await context.newPage();
    await first.goto(path);
    await first.evaluate(async () => {
      const sw = (
        globalThis as unknown as {
          navigator: { serviceWorker: { ready: Promise<unknown>; controller: unknown } };
        }
      ).navigator.serviceWorker;
      await sw.ready;
      for (let i = 0; i < 200 && !sw.controller; i++) await new Promise((r) => setTimeout(r, 50));
    });
    await first.close();
  }
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', FAST_3G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const served = new Map<string, Served>();
  page.on('response', (r) => {
    const url = new URL(r.url());
    if (!url.pathname.endsWith('.js')) return;
    const headers = r.headers();
    served.set(url.pathname, {
      path: url.pathname,
      encoding: headers['content-encoding'] ?? 'identity',
      cacheControl: headers['cache-control'] ?? '',
      fromSW: r.fromServiceWorker(),
    });
  });
  const started = Date.now();
  await page.goto(path, { waitUntil: 'commit' });
  await page.getByLabel(ready).waitFor({ timeout: 120_000 });
  await page.getByLabel(ready).fill('深圳');
  const ms = Date.now() - started;
  // The app running the search for what was typed (the finder took over the prerendered box).
  let appMs: number | null = null;
  if (session) {
    await page.waitForURL(/[?&]q=%E6%B7%B1%E5%9C%B3/, { timeout: 120_000 });
    appMs = Date.now() - started;
  }
  await context.close();
  return { ms, appMs, served: [...served.values()] };
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
  const browser = await launchChromium(CHROMIUM);
  try {
    const session = await signedInSession(base, adminPassword, {
      username: 'bench.officer',
      displayName: '测试干部',
      role: 'officer',
      street: 'bantian',
    });

    const path = '/officer/enterprises';
    const label = '输入企业名称或统一社会信用代码';
    const bareRuns: number[] = [];
    const coldRuns: number[] = [];
    const warmRuns: number[] = [];
    const coldApp: number[] = [];
    const warmApp: number[] = [];
    let cold: Served[] = [];
    let warm: Served[] = [];
    for (let i = 0; i < RUNS; i++) {
      bareRuns.push((await measure(browser, base, bare, null, label)).ms);
      const c = await measure(browser, base, path, session, label);
      coldRuns.push(c.ms);
      coldApp.push(c.appMs!);
      cold = c.served;
      const w = await measure(browser, base, path, session, label, true);
      warmRuns.push(w.ms);
      warmApp.push(w.appMs!);
      warm = w.served;
    }
    const scripts = cold.map((s) => s.path);
    const gzipped = scripts.reduce((n, s) => n + gzipSync(readFileSync(join(root, s))).length, 0);
    const raw = scripts.reduce((n, s) => n + readFileSync(join(root, s)).length, 0);
    const sent = cold.reduce((n, s) => {
      const file = join(root, s.path);
      const ext = s.encoding === 'br' ? '.br' : s.encoding === 'gzip' ? '.gz' : '';
      return n + readFileSync(existsSync(file + ext) ? file + ext : file).length;
    }, 0);
    const encodings = new Map<string, number>();
    for (const s of cold) encodings.set(s.encoding, (encodings.get(s.encoding) ?? 0) + 1);
    const immutable = cold.filter((s) => s.cacheControl.includes('immutable')).length;
    const kb = (n: number) => (n / 1024).toFixed(1);
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    const [b, c, w] = [median(bareRuns), median(coldRuns), median(warmRuns)];
    console.log(
      `web app budget (Chromium ${browser.version()}, 4x CPU slowdown, Fast 3G, ${RUNS} runs, median)`,
    );
    console.log(
      `  officer's first screen JS: ${scripts.length} files, ${kb(gzipped)} KB gzipped (${kb(raw)} KB raw, ${kb(sent)} KB as sent); budget 300 KB: ${verdict(gzipped < 300 * 1024)}`,
    );
    console.log(
      `  how the server sent them: content-encoding ${[...encodings].map(([e, n]) => `${e} ${n}/${cold.length}`).join(', ')}; cache-control immutable ${immutable}/${cold.length}`,
    );
    console.log(`  time to interactive (the search box takes input), budget 2000 ms:`);
    console.log(`    bare page with one input (baseline)     ${String(b).padStart(6)} ms  1.00x`);
    console.log(
      `    cold: first visit, no cache, no SW      ${String(c).padStart(6)} ms  ${(c / b).toFixed(2)}x bare  budget ${verdict(c < 2000)}`,
    );
    console.log(
      `    warm: installed PWA, SW cache (${warm.filter((s) => s.fromSW).length}/${warm.length} JS from SW) ${String(w).padStart(6)} ms  ${(w / b).toFixed(2)}x bare  budget ${verdict(w < 2000)}`,
    );
    const [ca, wa] = [median(coldApp), median(warmApp)];
    console.log(`  the app running the search for what was typed (its scripts loaded and run):`);
    console.log(
      `    cold                                    ${String(ca).padStart(6)} ms  ${(ca / b).toFixed(2)}x bare`,
    );
    console.log(
      `    warm                                    ${String(wa).padStart(6)} ms  ${(wa / b).toFixed(2)}x bare`,
    );
    console.log(
      `  runs: bare ${bareRuns.join(', ')}; cold ${coldRuns.join(', ')} (app ${coldApp.join(', ')}); warm ${warmRuns.join(', ')} (app ${warmApp.join(', ')})`,
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
