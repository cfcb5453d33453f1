/**
 * The admin's screens in a real Chromium against the real server: an account created with
 * its first password shown once, the new user signing in with it (and made to change it),
 * an account disabled and enabled again (and a refused step explained), reference data,
 * next year's calendar imported by preview and confirm with a typhoon day on top, and an SLA
 * change effective in the past previewed — the numbers the API gives — before it is applied.
 * Screenshots (test-artifacts/screens) and axe-core on every screen.
 */
import { readFileSync } from 'node:fs';
import { jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Projector } from '#read-model';
import { SlaClock } from '#workers';
import { startTestApp, type TestApp } from '../support/app.js';
import { testDistrict } from '../support/http.js';
import {
  DESKTOP,
  expectAccessible,
  launchChromium,
  newContext,
  screenshot,
  settled,
  signIn,
} from './browser.js';

jest.setTimeout(180_000);

const at = (local: string) => new Date(`${local}:00+08:00`);
let now = at('2026-11-16T10:00');
let t: TestApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp({}, { clock: { now: () => now } });
  await t.app.get(SlaClock).stop();
  // A few power-supply cases: two answered on 11-16, one of them resolved on 11-24 (on time
  // under the default 10 working days, late under 3); one opened on 12-28, whose deadlines
  // run into 2027 — a year the holiday data does not know.
  const district = testDistrict(t, 7500);
  const { code } = await district.registerEnterprise({ name: '深圳市坂田示例电子有限公司' });
  const ids = [(await district.openCase(code)).body.id, (await district.openCase(code)).body.id];
  for (const id of ids)
    await district.steps(id, [
      ['dispatch', { leadDepartment: 'power_supply' }],
      ['accept'],
      ['first-response', { message: '已联系企业' }],
    ]);
  now = at('2026-11-24T10:00');
  await district.steps(ids[0]!, [['resolve', { resolution: '已协调', outcome: 'solved' }]]);
  now = at('2026-12-28T10:00');
  const late = (await district.openCase(code)).body.id;
  await district.steps(late, [['dispatch', { leadDepartment: 'power_supply' }], ['accept']]);
  await t.app.get(Projector).catchUp();

  context = await newContext(browser, await t.app.getUrl(), DESKTOP);
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
  await page.mouse.move(0, 0); // no button left in its hover colour
  await screenshot(page, name);
  await expectAccessible(page, name);
}

async function choose(scope: Page | ReturnType<Page['getByRole']>, label: string, option: string) {
  await scope.getByLabel(label, { exact: true }).click();
  await page.getByTitle(option, { exact: true }).last().click();
}

const row = (username: string) => page.getByRole('row').filter({ hasText: username });

describe('the admin’s screens, in Chromium', () => {
  let firstPassword = '';

  it('signs in to the users list, with the admin’s menu and next year’s calendar warning', async () => {
    await signIn(page, t.admin.username, t.admin.password);
    await page.waitForURL('**/admin/users');
    await row('admin').waitFor();
    const menu = page.getByRole('navigation', { name: '菜单' });
    for (const item of ['用户管理', '基础数据', '时限策略', '工作日历'])
      await menu.getByRole('link', { name: item }).waitFor();
    await page.getByTestId('calendar-notice-2027').waitFor();
    await expect(page.getByTestId('calendar-notice-2027').textContent()).resolves.toContain(
      '2027 年的节假日安排尚未导入',
    );
    await look('admin-users');
  });

  it('creates a user and shows the generated first password once, copyable', async () => {
    await page.getByRole('button', { name: '新建用户' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名', { exact: true }).fill('li.ganshi');
    await dialog.getByLabel('姓名', { exact: true }).fill('李干事');
    await choose(dialog, '角色', '走访干部');
    await choose(dialog, '所属街道', '坂田');
    await screenshot(page, 'admin-user-create');
    await dialog.getByRole('button', { name: '新建用户' }).click();

    const shown = page.getByTestId('temporary-password');
    await shown.waitFor();
    firstPassword = ((await shown.textContent()) ?? '').trim();
    expect(firstPassword.length).toBeGreaterThanOrEqual(12);
    await page.getByText('密码只显示这一次').waitFor();
    await page.getByRole('button', { name: '复制密码' }).waitFor();
    await look('admin-user-password');
    await page.getByRole('button', { name: '我已记下' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await expect(page.getByText(firstPassword).count()).resolves.toBe(0);
    await row('li.ganshi').getByText('待修改密码').waitFor();
  });

  it('the new user signs in with it and must set a password of their own first', async () => {
    const other = await newContext(browser, await t.app.getUrl(), DESKTOP);
    const officer = await other.newPage();
    try {
      await signIn(officer, 'li.ganshi', firstPassword);
      await officer.waitForURL('**/password');
      await officer.getByLabel('当前密码').fill(firstPassword);
      await officer.getByLabel('新密码', { exact: true }).fill('Lgs-own-password-2026');
      await officer.getByLabel('再次输入新密码').fill('Lgs-own-password-2026');
      await officer.getByRole('button', { name: '设置新密码' }).click();
      await officer.waitForURL('**/officer/enterprises');
    } finally {
      await other.close();
    }
  });

  it('disables and enables a user; a refused step says why, in the server’s words', async () => {
    await page.reload();
    await row('li.ganshi').getByRole('button', { name: '停用 li.ganshi' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('停用原因').fill('已调离岗位');
    await dialog.getByRole('button', { name: '停用' }).click();
    await row('li.ganshi').getByText('已停用').waitFor();
    const disabled = await t.request('GET', '/api/v1/users/li.ganshi');
    expect(disabled.body.status).toBe('disabled');

    await row('li.ganshi').getByRole('button', { name: '启用 li.ganshi' }).click();
    await settled(page); // the confirmation has stopped zooming in: a click mid-way can be lost
    await page.getByRole('button', { name: '启用', exact: true }).click();
    await row('li.ganshi').getByText('正常', { exact: true }).waitFor();
    const enabled = await t.request('GET', '/api/v1/users/li.ganshi');
    expect(enabled.body.status).toBe('active');

    // The last active admin cannot be disabled: the dialog shows the server's reason.
    await row('admin').getByRole('button', { name: '停用 admin' }).first().click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('停用原因').fill('测试');
    await dialog.getByRole('button', { name: '停用' }).click();
    await dialog.getByRole('alert').waitFor();
    await expect(dialog.getByRole('alert').textContent()).resolves.toMatch(/管理员|admin/);
    await look('admin-user-refused');
    await dialog.getByRole('button', { name: '取消' }).click();
  });

  it('lists, adds and renames reference data', async () => {
    await page.getByRole('link', { name: '基础数据' }).click();
    await page.waitForURL('**/admin/reference');
    await page.getByRole('cell', { name: '坂田', exact: true }).waitFor();
    await page.getByLabel('编码').fill('pingshan');
    await page.getByLabel('名称').fill('坪山');
    await page.getByRole('button', { name: '添加' }).click();
    await page.getByRole('cell', { name: '坪山', exact: true }).waitFor();
    await look('admin-reference');
    // A name corrected, the code kept.
    await page.getByRole('button', { name: '改名 坪山' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('新名称').fill('坪山街道');
    await look('admin-reference-rename');
    await dialog.getByRole('button', { name: '改名' }).click();
    await page.getByRole('cell', { name: '坪山街道', exact: true }).waitFor();
    const reference = await t.request('GET', '/api/v1/reference');
    expect(reference.body.find((e: { code: string }) => e.code === 'pingshan')).toMatchObject({
      kind: 'street',
      name: '坪山街道',
      active: true,
    });
    await page.getByRole('tab', { name: '诉求类别' }).click();
    await page.getByRole('cell', { name: '供电/有序用电', exact: true }).waitFor();
  });

  const day = (date: string) => page.locator(`[data-date="${date}"]`);

  it('shows this year’s calendar, from the holiday data', async () => {
    await page.getByRole('link', { name: '工作日历' }).click();
    await page.waitForURL('**/admin/calendar');
    // 2026 comes from the holiday data: National Day is a day off.
    await page.locator('[data-date="2026-10-01"][aria-label*="国庆节"]').waitFor();
    await expect(day('2026-10-01').getAttribute('aria-label')).resolves.toMatch(/ · 休息日$/);
    await look('admin-calendar-2026');
  });

  it('imports next year’s holidays by preview and confirm', async () => {
    await page.goto('/admin/calendar?year=2027');
    await page.getByText('节假日未知').waitFor();
    await page.getByTestId('calendar-notice-2027').waitFor();
    await page.getByRole('button', { name: '导入 2027 年全年安排' }).first().click();
    await page
      .getByLabel('全年安排（JSON）')
      .fill(readFileSync('samples/calendar-2027.json', 'utf8'));
    await page.getByRole('button', { name: '预览影响' }).click();
    const preview = page.getByTestId('year-preview');
    await preview.waitFor();
    const api = await t.request('POST', '/api/v1/sla/calendar/years/2027/preview', {
      body: JSON.parse(readFileSync('samples/calendar-2027.json', 'utf8')),
    });
    expect(api.body.affectedCases).toBeGreaterThan(0);
    await expect(preview.textContent()).resolves.toContain(
      `时限将变化的未办结诉求：${api.body.affectedCases} 件`,
    );
    await expect(preview.textContent()).resolves.toContain(
      `共 ${api.body.holidays} 天放假、${api.body.workdays} 天调休上班`,
    );
    await look('admin-calendar-import-preview');
    await page.getByRole('button', { name: '确认导入' }).click();
    await page.getByText('节假日已知').waitFor();
    await page.locator('[data-date="2027-02-08"][aria-label*="春节"]').waitFor();
    await expect(day('2027-02-20').getAttribute('aria-label')).resolves.toBe(
      '2027-02-20：春节调休 · 工作日',
    );
    await expect(page.getByTestId('calendar-notice-2027').count()).resolves.toBe(0);
  });

  it('marks a typhoon day with a single-day override', async () => {
    await expect(day('2027-07-15').getAttribute('aria-label')).resolves.toBe('2027-07-15：工作日');
    await day('2027-07-15').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('说明').fill('台风停工');
    await dialog.getByRole('button', { name: '保存调整' }).click();
    await page
      .locator('[data-date="2027-07-15"][aria-label="2027-07-15：台风停工 · 休息日"]')
      .waitFor();
    const year = await t.request('GET', '/api/v1/sla/calendar/years/2027');
    expect(year.body).toMatchObject({
      known: true,
      source: 'imported',
      overrides: [{ date: '2027-07-15', working: false, name: '台风停工' }],
    });
    await look('admin-calendar-2027');
  });

  it('previews an SLA change effective in the past — the API’s numbers — then applies it', async () => {
    await page.getByRole('link', { name: '时限策略' }).click();
    await page.waitForURL('**/admin/sla');
    await page.getByTestId('policy-matrix').getByText('10 个工作日办结').first().waitFor();
    await look('admin-sla');

    await choose(page, '诉求类别', '供电/有序用电');
    await page.getByLabel('办结时限（工作日）').fill('3');
    const picker = page.getByLabel('生效时间（深圳时间）');
    await picker.click();
    await picker.fill('2026-11-01 00:00');
    await picker.press('Enter');
    await page.getByText('生效时间早于现在：').waitFor();
    expect(await page.getByRole('button', { name: '确认应用' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: '预览影响' }).click();
    await page.getByTestId('policy-preview').waitFor();
    const body = {
      key: 'power_supply/*',
      policy: { resolutionWorkingDays: 3 },
      effectiveFrom: '2026-11-01T00:00:00+08:00',
    };
    const api = await t.request('POST', '/api/v1/sla/policies/preview', { body });
    expect(api.body).toMatchObject({ casesCovered: 3, casesMoved: 3, casesChangingFigures: 1 });
    await expect(page.getByTestId('preview-moved').textContent()).resolves.toBe(
      String(api.body.casesMoved),
    );
    await expect(page.getByTestId('preview-figures').textContent()).resolves.toBe(
      String(api.body.casesChangingFigures),
    );
    await page.getByText('按期办结 1 → 0').first().waitFor();
    await page.getByText('按期办结率 100% → 0%').first().waitFor();
    await look('admin-sla-preview');

    await page.getByRole('button', { name: '确认应用' }).click();
    await page.getByRole('cell', { name: /供电\/有序用电 \/ 全部优先级/ }).waitFor();
    const settings = await t.request('GET', '/api/v1/sla');
    expect(settings.body.policies).toEqual([
      {
        key: 'power_supply/*',
        policy: { resolutionWorkingDays: 3 },
        effectiveFrom: '2026-10-31T16:00:00.000Z',
      },
    ]);
    await page.getByTestId('policy-matrix').getByText('3 个工作日办结').first().waitFor();
    await look('admin-sla-applied');
  });
});
