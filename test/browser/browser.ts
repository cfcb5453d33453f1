import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { findWebRoot } from '../../apps/api/src/web.js';
// The same headless flags as the benchmarks measure with.
import { launchChromium as launchHeadless } from '../../bench/support.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = resolve('test-artifacts/screens');

/** Debian's chromium, driven by playwright-core: no silent skip when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it with ` +
        '`apt-get update && apt-get install -y chromium` (or set CHROMIUM_PATH), then run npm test again.',
    );
  }
  if (!findWebRoot()) {
    throw new Error(
      'The web app is not built (dist/web): run npm run build first (npm test does).',
    );
  }
  return launchHeadless(CHROMIUM);
}

export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1280, height: 860 };

export async function newContext(
  browser: Browser,
  base: string,
  viewport = DESKTOP,
  options: { serviceWorkers?: 'allow' | 'block' } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: base,
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    deviceScaleFactor: 1,
    isMobile: viewport.width < 500,
    hasTouch: viewport.width < 500,
    serviceWorkers: options.serviceWorkers ?? 'block',
  });
  // What the page's own scripts threw or logged as errors, for a failure to quote.
  context.on('page', (page) => {
    const said: string[] = [];
    pageErrors.set(page, said);
    page.on('pageerror', (error) => said.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') said.push(`console.error: ${message.text()}`);
    });
  });
  return context;
}

const pageErrors = new WeakMap<Page, string[]>();

/** A full-page screenshot kept as a test artifact (git-ignored), named after the screen. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  // An opening dialog or a fading toast is shown as it ends, not half-way.
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

/** Until no finite CSS animation or transition runs (antd's dialogs and lists open with motion). */
export async function settled(page: Page): Promise<void> {
  interface Running {
    playState: string;
    effect: { getComputedTiming(): { iterations?: number } } | null;
  }
  await page
    .waitForFunction(
      () =>
        (globalThis as unknown as { document: { getAnimations(): Running[] } }).document
          .getAnimations()
          // A spinner's endless rotation does not hold the check up.
          .every(
            (a) =>
              a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity,
          ),
      undefined,
      { timeout: 5000 },
    )
    .catch(() => undefined);
}

/** axe-core on the screen as it is: serious and critical violations fail the test. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // antd animates colours for 0.2 s after a render, and a toast or a closing list can still be
  // fading on a busy machine: a violation must still be there on the settled screen, checked
  // again after a pause, to count (a real one always is).
  let bad: unknown[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.waitForTimeout(500 + attempt * 1000);
    await settled(page);
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21aa'])
      .analyze();
    bad = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        screen,
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
      }));
    if (bad.length === 0) return;
  }
  expect(bad).toEqual([]);
}

/** Signs in through the login screen. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Polls until `check` holds (the read models follow the log asynchronously). */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  ms = 45_000,
): Promise<T> {
  const until = Date.now() + ms;
  let last: T = await read();
  while (!check(last) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
    last = await read();
  }
  return last;
}

type Scope = Page | ReturnType<Page['getByRole']>;

/**
 * Picks `option` in the antd Select labelled `label` inside `scope`, and waits until the Select
 * shows it: on a loaded machine a click can land while the list is still opening, and a choice
 * that did not take would only show up later as a form that will not submit.
 */
export async function chooseOption(
  page: Page,
  scope: Scope,
  label: string,
  option: string,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await scope.getByLabel(label, { exact: true }).click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
      .getByTitle(option, { exact: true })
      .last()
      .click();
    try {
      // The chosen value is shown with the option's title inside the Select.
      await scope.getByTitle(option, { exact: true }).first().waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/**
 * Clicks the dialog's own `button` and waits for the dialog to close. If it stays open, fails
 * with what it shows (the server's refusal, field errors), the API requests the page sent since
 * the click with their answers, what its scripts threw, and a screenshot named `failed-…`.
 */
export async function submitDialog(
  page: Page,
  dialog: ReturnType<Page['getByRole']>,
  button: string,
  name: string,
): Promise<void> {
  const sent: string[] = [];
  const started = Date.now();
  const line = (request: Request, answer: string) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/api/'))
      sent.push(`${request.method()} ${pathname} → ${answer} at +${Date.now() - started} ms`);
  };
  const onRequest = (request: Request) => line(request, 'sent');
  const onFinished = (request: Request) =>
    void request
      .response()
      .then((r) => line(request, String(r?.status() ?? 'no answer')))
      .catch(() => undefined);
  const onFailed = (request: Request) => line(request, `failed (${request.failure()?.errorText})`);
  page.on('request', onRequest);
  page.on('requestfinished', onFinished);
  page.on('requestfailed', onFailed);
  try {
    // Once antd's opening motion has ended (its classes dropped). Twice on a loaded machine a
    // click that landed while the dialog was still zooming in left it open, once with no
    // request sent; what the dialog showed and sent is now in the failure if it happens again.
    await dialog
      .and(page.locator(':not(.ant-zoom-appear):not(.ant-zoom-enter)'))
      .waitFor({ timeout: 10_000 });
    await dialog.getByRole('button', { name: button, exact: true }).last().click();
    await dialog.waitFor({ state: 'detached' });
  } catch (error) {
    const shown = await dialog.innerText({ timeout: 1_000 }).catch(() => '(gone)');
    const classes = await dialog
      .evaluate((el) => (el as unknown as { className: string }).className, undefined, {
        timeout: 1_000,
      })
      .catch(() => '(gone)');
    await screenshot(page, `failed-${name}`).catch(() => undefined);
    throw new Error(
      `${button}: the dialog stayed open (${classes}), showing: ${shown.replace(/\s+/g, ' ')}; ` +
        `the API requests since it was submitted: ${sent.join(' | ') || '(none)'}; ` +
        `the page's errors: ${pageErrors.get(page)?.slice(-10).join(' | ') || '(none)'}; ` +
        `screenshot failed-${name}.png`,
      { cause: error },
    );
  } finally {
    page.off('request', onRequest);
    page.off('requestfinished', onFinished);
    page.off('requestfailed', onFailed);
  }
}

/**
 * Waits for the app to move to `url` after a submit; if it does not, fails with what the screen
 * says instead (the form's field errors, any alert, what its scripts threw) and keeps a screenshot named `failed-…`.
 */
export async function arrivesAt(page: Page, url: string, name: string): Promise<void> {
  try {
    await page.waitForURL(url);
  } catch (error) {
    const said = await page
      .locator('.ant-form-item-explain-error, [role="alert"], .ant-message-notice')
      .allInnerTexts()
      .catch(() => [] as string[]);
    await screenshot(page, `failed-${name}`).catch(() => undefined);
    throw new Error(
      `${(error as Error).message}\nstill at ${page.url()}; the screen says: ${
        said.join(' | ') || '(no error shown)'
      }; screenshot failed-${name}.png; the page's errors: ${
        pageErrors.get(page)?.slice(-10).join(' | ') || '(none)'
      }`,
      { cause: error },
    );
  }
}
