/**
 * Drill-down equality through the screens, over the seeded demo district: on the month
 * dashboard, every card and every clickable figure of every department row opens the leader's
 * case list, and the list's total (共 N 件) equals the figure that was clicked. The API-level
 * twin is test/e2e/drill-down.e2e-spec.ts; this one checks what a leader actually sees.
 */
import { jest } from '@jest/globals';
import { CommandBus } from '@nestjs/cqrs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Projector } from '#read-model';
import { SlaClock } from '#workers';
import { seedDistrict } from '../../apps/api/src/cli/demo-district.js';
import { createDemoUsers, demoPeople } from '../../apps/api/src/cli/demo-users.js';
import { EVENT_STORE } from '../../apps/api/src/infrastructure/tokens.js';
import { startTestApp, type TestApp, type TestUser } from '../support/app.js';
import { DESKTOP, launchChromium, newContext, screenshot, signIn } from './browser.js';

jest.setTimeout(240_000);

const now = new Date('2026-11-20T08:00:00Z');
const DASHBOARD = '/leader?period=month&on=2026-11-20';
const CARDS = [
  'card-score',
  'card-response',
  'card-resolution',
  'card-satisfaction',
  'card-sameDay',
  'count-received',
  'count-solved',
  'count-overdue',
  'count-escalated',
];
/** The clickable figures of a department row (DashboardPage's Ranking). */
const ROW_FIGURES = /^(received|response|resolution|satisfaction|overdue)-/;

let t: TestApp;
let browser: Browser;
let leader: TestUser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp({}, { clock: { now: () => now } });
  const users = await createDemoUsers(t.app, new Date(now.getTime() - 100 * 86400_000));
  await seedDistrict(
    t.app.get(CommandBus),
    { enterprises: 30, visits: 60, cases: 300 },
    { now, store: t.app.get(EVENT_STORE), people: demoPeople(users) },
  );
  // The figures and the lists are read from one settled state: the SLA clock's alerts of the
  // fixed now raised first, then the clock stopped.
  const clock = t.app.get(SlaClock);
  await clock.stop();
  while ((await clock.tick()).raised > 0) await t.app.get(Projector).catchUp();
  await t.app.get(Projector).catchUp();
  leader = await t.newUser('leader', {}, 'he.leader');
  context = await newContext(browser, await t.app.getUrl(), DESKTOP);
  page = await context.newPage();
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await signIn(page, leader.username, leader.password);
}, 180_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

async function dashboard() {
  if (!new URL(page.url()).pathname.endsWith('/leader')) await page.goto(DASHBOARD);
  await page.getByTestId('card-score').waitFor();
  await page.locator('[data-testid^="resolution-"]').first().waitFor();
}

/** Clicks the figure named `testId` on the dashboard; returns it and the list's total. */
async function drill(testId: string): Promise<{ figure: number; total: number; url: string }> {
  await dashboard();
  const target = page.getByTestId(testId);
  const figure = Number(await target.getAttribute('data-figure'));
  await target.click();
  await page.waitForURL('**/leader/cases?**');
  const shown = page.getByTestId('list-total').filter({ hasText: /共 \d+ 件/ });
  await shown.waitFor();
  const total = Number(/共 (\d+) 件/.exec((await shown.textContent()) ?? '')![1]);
  const url = page.url();
  await page.goBack();
  return { figure, total, url };
}

describe('drill-down equality in the browser, seeded district, month view', () => {
  it('every card opens a list whose total equals the card’s figure', async () => {
    await page.goto(DASHBOARD);
    await dashboard();
    await screenshot(page, 'drill-dashboard-month');
    const figures: Record<string, number> = {};
    const totals: Record<string, number> = {};
    for (const card of CARDS) {
      const { figure, total } = await drill(card);
      figures[card] = figure;
      totals[card] = total;
    }
    expect(totals).toEqual(figures);
    // The seeded month has cases of every kind: a list of zeros would prove nothing.
    for (const card of ['count-received', 'count-solved', 'count-overdue', 'card-satisfaction'])
      expect({ card, some: figures[card]! > 0 }).toEqual({ card, some: true });
  });

  it('every figure of every department row opens a list whose total equals it', async () => {
    await dashboard();
    const ids = (
      await page
        .locator('[data-testid]')
        .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-testid') ?? ''))
    ).filter((id) => ROW_FIGURES.test(id));
    const departments = new Set(ids.map((id) => id.replace(ROW_FIGURES, '')));
    expect(departments.size).toBeGreaterThan(3);
    const figures: Record<string, number> = {};
    const totals: Record<string, number> = {};
    for (const id of ids) {
      const { figure, total, url } = await drill(id);
      // The list is the department's: the row's key is in the URL the click opened.
      expect(new URL(url).searchParams.get('key')).toBe(id.replace(ROW_FIGURES, ''));
      figures[id] = figure;
      totals[id] = total;
    }
    expect(totals).toEqual(figures);
    expect(Object.values(figures).some((n) => n > 0)).toBe(true);
    await page.getByTestId(ids.find((id) => id.startsWith('resolution-'))!).click();
    await page
      .getByTestId('list-total')
      .filter({ hasText: /共 \d+ 件/ })
      .waitFor();
    await screenshot(page, 'drill-department-resolution');
  });
});
