/**
 * The leader's dashboard in a real Chromium over a seeded district: figures on screen, a
 * department's resolution figure drilled down to a list whose total equals it, 督办 from the
 * list; screenshots (test-artifacts/screens) and axe-core on every screen.
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
import {
  DESKTOP,
  expectAccessible,
  launchChromium,
  newContext,
  screenshot,
  signIn,
} from './browser.js';

jest.setTimeout(180_000);

const now = new Date('2026-11-20T08:00:00Z');
let t: TestApp;
let browser: Browser;
let base: string;
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
  // Settle the SLA clock's alerts at the fixed now, so the figures stand still.
  const clock = t.app.get(SlaClock);
  await clock.stop();
  while ((await clock.tick()).raised > 0) await t.app.get(Projector).catchUp();
  await t.app.get(Projector).catchUp();
  base = await t.app.getUrl();
  leader = await t.newUser('leader', {}, 'chen.leader');
  context = await newContext(browser, base, DESKTOP);
  page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && console.log('browser:', m.text()));
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
}, 180_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

async function look(name: string) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await screenshot(page, name);
  await expectAccessible(page, name);
}

const totalOnList = async () => {
  const total = page.getByTestId('list-total');
  await total.filter({ hasText: /共 \d+ 件/ }).waitFor();
  return Number(/共 (\d+) 件/.exec((await total.textContent()) ?? '')![1]);
};

describe('the leader’s dashboard, in Chromium', () => {
  it('signs in to the dashboard and sees the month’s figures, as the API counts them', async () => {
    await signIn(page, leader.username, leader.password);
    await page.waitForURL('**/leader');
    await page.goto('/leader?period=month&on=2026-11-20');
    await page.getByTestId('card-resolution').waitFor();
    await page.getByRole('table').first().waitFor();
    const api = await t.request(
      'GET',
      '/api/v1/metrics?dimension=district&period=month&on=2026-11-20',
      { as: 'leader' },
    );
    const counters = api.body.rows[0].counters;
    expect(Number(await page.getByTestId('count-received').getAttribute('data-figure'))).toBe(
      counters.received,
    );
    await expect(page.getByTestId('card-resolution').textContent()).resolves.toContain('解决率');
    await look('leader-dashboard');
  });

  it('a department’s resolution figure opens the list of exactly its solved cases', async () => {
    const cell = page.locator('[data-testid^="resolution-"]').first();
    const figure = Number(await cell.getAttribute('data-figure'));
    expect(figure).toBeGreaterThan(0);
    await cell.click();
    await page.waitForURL('**/leader/cases?**');
    expect(new URL(page.url()).searchParams.get('metric')).toBe('solved');
    expect(await totalOnList()).toBe(figure);
    // The menu keeps the dashboard the figure came from.
    const nav = page.getByRole('navigation', { name: '菜单' });
    await expect(
      nav.getByRole('link', { name: '三率看板' }).getAttribute('aria-current'),
    ).resolves.toBe('page');
    await look('leader-drill-down');
  });

  it('a card drills down too, and a quarter and a custom range show figures', async () => {
    await page.goto('/leader?period=month&on=2026-11-20');
    const card = page.getByTestId('count-overdue');
    await card.waitFor();
    const figure = Number(await card.getAttribute('data-figure'));
    await card.click();
    await page.waitForURL('**/leader/cases?**');
    expect(await totalOnList()).toBe(figure);
    await page.goto('/leader?period=quarter&on=2026-10-15');
    await page.getByTestId('card-score').waitFor();
    await look('leader-dashboard-quarter');
    await page.goto('/leader?period=range&from=2026-10-01&to=2026-11-15');
    await page.getByTestId('card-score').waitFor();
    await look('leader-dashboard-range');
  });

  it('the overdue list orders 督办 with a note in one click', async () => {
    await page.goto('/leader/cases?view=overdue');
    const before = await totalOnList();
    await expect(
      page
        .getByRole('navigation', { name: '菜单' })
        .getByRole('link', { name: '超时督办' })
        .getAttribute('aria-current'),
    ).resolves.toBe('page');
    expect(before).toBeGreaterThan(0);
    await page.getByRole('button', { name: /^督办/ }).first().click();
    await page.getByLabel('督办意见').fill('请三个工作日内办结并报送结果');
    // The list itself is checked by axe below; with the dialog open the mask dims it.
    await screenshot(page, 'leader-supervise');
    await page.getByRole('button', { name: '发出督办' }).click();
    await page.getByText('已督办').first().waitFor();
    await page.goto('/leader/cases?view=supervised');
    expect(await totalOnList()).toBeGreaterThan(0);
    await look('leader-supervised');
  });
});
