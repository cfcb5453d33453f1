/**
 * The web app in a real Chromium, as real accounts against the real API on a real PostgreSQL:
 * the stories of issue 12, with a screenshot (test-artifacts/screens) and an axe-core check of
 * every screen on the way.
 */
import { jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { aCreditCode } from '../../libs/domain/src/testing/builders.js';
import { startTestApp, type TestApp, type TestUser } from '../support/app.js';
import {
  arrivesAt,
  chooseOption,
  DESKTOP,
  eventually,
  expectAccessible,
  launchChromium,
  newContext,
  PHONE,
  screenshot,
  signIn,
  submitDialog,
} from './browser.js';

jest.setTimeout(180_000);

/**
 * The clock: the server and every browser context run on one clock, started at 09:30 on a
 * Tuesday in Shenzhen and running at real speed. On the machine's own clock a run that crossed
 * 16:00 or 18:00 on a working day would see the SLA clock warn of (or raise) the first
 * response's deadline on the cases, moving them on under the screens and the timeline's check.
 */
const START = Date.parse('2026-11-17T09:30:00+08:00');
const started = Date.now();
const now = () => new Date(START + (Date.now() - started));

let t: TestApp;
let browser: Browser;
let base: string;
let officer: TestUser;
let dispatcher: TestUser;
let handler: TestUser;
let coHandler: TestUser;
const contexts: BrowserContext[] = [];

const ENTERPRISE = aCreditCode(91_001);
const OFFLINE_ENTERPRISE = aCreditCode(91_002);
const ENTERPRISE_NAME = '深圳市坂田智造电子有限公司';
const FIRST_SCREEN_ENTERPRISE = aCreditCode(91_003);

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp({}, { clock: { now } });
  base = await t.app.getUrl();
  officer = await t.newUser('officer', { street: 'bantian' }, 'li.officer');
  dispatcher = await t.newUser('dispatcher', {}, 'wang.dispatch');
  handler = await t.newUser('handler', { department: 'power_supply' }, 'zhao.power');
  coHandler = await t.newUser('handler', { department: 'industry_it' }, 'qian.industry');
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

async function open(viewport = DESKTOP, serviceWorkers: 'allow' | 'block' = 'block') {
  const context = await newContext(browser, base, viewport, { serviceWorkers });
  contexts.push(context);
  await context.clock.install({ time: now() });
  const page = await context.newPage();
  return { context, page };
}

/** Screenshot and accessibility check of the screen as it stands. */
async function look(page: Page, name: string) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await screenshot(page, name);
  await expectAccessible(page, name);
}

let caseIds: string[] = [];

describe('the web app, in Chromium', () => {
  it('login screen: Chinese by default, English on request, accessible', async () => {
    const { page } = await open(PHONE);
    await page.goto('/');
    await page.waitForURL('**/login');
    // Every context is a browser in China: Chinese and Shanghai time, whatever the machine's.
    expect(
      await page.evaluate(() => [
        (globalThis as unknown as { navigator: { language: string } }).navigator.language,
        Intl.DateTimeFormat().resolvedOptions().timeZone,
        new Date('2026-12-01T04:00:00Z').getHours(),
      ]),
    ).toEqual(['zh-CN', 'Asia/Shanghai', 12]);
    await page.getByRole('heading', { name: '登录扫楼' }).waitFor();
    await look(page, 'login-phone');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Sign in to Saolou' }).waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByLabel('用户名').fill(officer.username);
    await page.getByLabel('密码').fill('wrong-password-1');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').filter({ hasText: '请重新登录后再试' }).waitFor();
  });

  it('an officer on a 375 px phone registers an enterprise (credit code checked as typed) and logs a visit with two problems', async () => {
    const { page } = await open(PHONE);
    await signIn(page, officer.username, officer.password);
    await page.waitForURL('**/officer/enterprises');
    await page.getByText(`officer ${officer.username}`, { exact: false }).first().waitFor();
    await page.getByText('坂田街道').first().waitFor();
    await page.getByText('暂无数据').last().waitFor();
    await look(page, 'officer-find-phone');

    await page.getByRole('button', { name: '登记新企业' }).click();
    await page.waitForURL('**/officer/enterprises/new');
    await page.getByRole('heading', { name: '登记企业' }).waitFor();
    const wrong = ENTERPRISE.slice(0, 17) + (ENTERPRISE.endsWith('0') ? '1' : '0');
    await page.getByLabel('统一社会信用代码').fill(ENTERPRISE.slice(0, 10));
    await page.getByText('还差 8 位').waitFor();
    await page.getByLabel('统一社会信用代码').fill(wrong.toLowerCase());
    await page.getByText(`校验位不对：第 18 位应为 ${ENTERPRISE.at(-1)}`).waitFor();
    await page.getByLabel('企业名称').fill(ENTERPRISE_NAME);
    await look(page, 'officer-register-phone');
    await page.getByLabel('统一社会信用代码').fill(ENTERPRISE);
    await page.getByText('校验通过').waitFor();
    await page.getByRole('button', { name: '保存' }).click();

    await page.waitForURL('**/officer/visit?enterprise=*');
    await page.getByText(ENTERPRISE_NAME, { exact: false }).first().waitFor();
    await page.getByLabel('走访情况').fill('了解企业扩产计划，现场查看二期厂房');
    await page.getByRole('button', { name: '添加问题' }).click();
    await page.getByRole('button', { name: '添加问题' }).click();
    const first = page.getByRole('group', { name: '问题 1' });
    const second = page.getByRole('group', { name: '问题 2' });
    await chooseOption(page, first, '问题类别', '供电/有序用电');
    await first.getByLabel('问题描述').fill('有序用电方案影响夜班生产');
    await first.getByText('紧急', { exact: true }).click();
    await chooseOption(page, second, '问题类别', '人才住房');
    await second.getByLabel('问题描述').fill('新引进工程师需要人才住房');
    await look(page, 'officer-visit-phone');
    // Touch targets: every button on the phone screen is at least 44 px high.
    for (const button of await page.getByRole('button').all()) {
      if (!(await button.isVisible())) continue;
      const box = await button.boundingBox();
      expect({ button: await button.textContent(), tall: (box?.height ?? 0) >= 44 }).toMatchObject({
        tall: true,
      });
    }
    await page.getByRole('button', { name: '提交走访' }).click();
    await arrivesAt(page, '**/officer/visits', 'officer-visit-phone');
    await page.getByText('走访已提交，生成 2 件诉求').waitFor();
    await look(page, 'officer-visits-phone');

    const visits = await eventually(
      () => t.request('GET', `/api/v1/visits?enterpriseId=${ENTERPRISE}`, { as: officer }),
      (r) => r.body.items?.length === 1,
    );
    expect(visits.body.items).toHaveLength(1);
    expect(visits.body.items[0]).toMatchObject({ level: 'street', enterpriseId: ENTERPRISE });
    caseIds = visits.body.items[0].caseIds;
    expect(caseIds).toHaveLength(2);

    await page.getByRole('button', { name: '菜单' }).click();
    await page.getByRole('link', { name: '我的诉求' }).click();
    await page.getByText('有序用电方案影响夜班生产').waitFor();
    await look(page, 'officer-cases-phone');

    // The first screen finds the enterprise by a part of its name (a plain list, no antd Card).
    await page.getByRole('button', { name: '菜单' }).click();
    await page.getByRole('link', { name: '找企业' }).click();
    await page.getByLabel('输入企业名称或统一社会信用代码').fill('坂田智造');
    await page.waitForURL('**/officer/enterprises?q=*');
    const found = page.getByRole('listitem').filter({ hasText: ENTERPRISE_NAME });
    await found.getByText(ENTERPRISE).waitFor();
    await expect(found.getByRole('button', { name: '记录走访' }).count()).resolves.toBe(1);
    await look(page, 'officer-find-results-phone');
  });

  it("the officer's first screen takes typing before the app's scripts arrive, and the finder takes it over", async () => {
    await t.request('POST', '/api/v1/enterprises', {
      as: officer,
      body: {
        creditCode: FIRST_SCREEN_ENTERPRISE,
        name: '深圳市坂田首屏科技有限公司',
        street: 'bantian',
      },
    });
    const { page } = await open(PHONE);
    await signIn(page, officer.username, officer.password);
    // A phone on a slow network: the scripts are held back until the officer has typed.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/assets/*.js', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('/officer/enterprises', { waitUntil: 'commit' });
    const early = page.locator('#first-screen-q');
    await early.waitFor();
    await expect(page.getByRole('heading', { name: '找企业' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'officer-first-screen-phone');
    await expectAccessible(page, 'officer-first-screen-phone');
    await early.click();
    await early.pressSequentially('坂田首屏X');
    await page.keyboard.press('ArrowLeft'); // the caret before the X
    expect(await page.locator('#first-screen').count()).toBe(1);

    release();
    const box = page.getByLabel('输入企业名称或统一社会信用代码');
    await page.locator('#first-screen').waitFor({ state: 'detached' });
    await expect(box.inputValue()).resolves.toBe('坂田首屏X');
    // The focus and the caret came along: editing goes on where it stopped.
    await page.keyboard.press('Delete');
    await page.keyboard.type('科技');
    await expect(box.inputValue()).resolves.toBe('坂田首屏科技');
    await page.waitForURL((url) => url.searchParams.get('q') === '坂田首屏科技');
    await page.getByText('深圳市坂田首屏科技有限公司').first().waitFor();
    await look(page, 'officer-first-screen-taken-over-phone');
    await page.unroute('**/assets/*.js');

    // A ?q= in the address fills the box on the server, written as text, never as markup.
    const html = await (await fetch(`${base}/officer/enterprises?q=%22%3E%3Cb%3E`)).text();
    expect(html).toContain('data-q value="&quot;&gt;&lt;b&gt;"');
    expect(html).not.toContain('"><b>');
    // Without a session the same address leads to the login screen, and the prerendered box goes.
    const signedOut = await open(PHONE);
    await signedOut.page.goto('/officer/enterprises');
    await signedOut.page.waitForURL('**/login');
    await signedOut.page.getByRole('heading', { name: '登录扫楼' }).waitFor();
    expect(await signedOut.page.locator('#first-screen').count()).toBe(0);
  });

  it('offline: a visit logged without signal is kept through a reload and arrives exactly once', async () => {
    await t.request('POST', '/api/v1/enterprises', {
      as: officer,
      body: { creditCode: OFFLINE_ENTERPRISE, name: '深圳市地下室仓储有限公司', street: 'bantian' },
    });
    const { context, page } = await open(PHONE, 'allow');
    await signIn(page, officer.username, officer.password);
    await page.goto(`/officer/visit?enterprise=${OFFLINE_ENTERPRISE}`);
    await page
      .getByText('深圳市地下室仓储有限公司', { exact: false })
      .first()
      .waitFor({ timeout: 60_000 });
    // The service worker is active: it has precached the app shell.
    await page.evaluate(async () => {
      await (globalThis as any).navigator.serviceWorker.ready;
    });
    // Who went is filled in from GET /auth/me: signal lost before it answers leaves the field
    // for the officer to type (the form says so), not what this story is about.
    const who = `officer ${officer.username}`;
    expect(
      await eventually(
        () => page.getByLabel('走访人员').inputValue(),
        (v) => v === who,
      ),
    ).toBe(who);

    await context.setOffline(true);
    await page.getByText('网络已断开', { exact: false }).waitFor();
    await page.getByLabel('走访情况').fill('地下室无信号，离线记录');
    await page.getByRole('button', { name: '添加问题' }).click();
    const problem = page.getByRole('group', { name: '问题 1' });
    await chooseOption(page, problem, '问题类别', '物流运输');
    await problem.getByLabel('问题描述').fill('货车进出园区受限');
    await page.getByRole('button', { name: '提交走访' }).click();
    await arrivesAt(page, '**/officer/outbox', 'officer-visit-offline-phone');
    await page.getByText('等待发送（1）').waitFor();

    await page.reload(); // still offline: the shell comes from the service worker, the visit from IndexedDB
    await page.getByText('等待发送（1）').waitFor();
    await page.getByText('深圳市地下室仓储有限公司').waitFor();
    await look(page, 'officer-outbox-offline-phone');
    // Offline too, the installed app opens the finder with its prerendered box (the precache
    // answers /officer/enterprises with officer/enterprises.html), and the finder takes over.
    expect(
      await page.evaluate(async () =>
        (await (await fetch('/officer/enterprises')).text()).includes('id="first-screen-q"'),
      ),
    ).toBe(true);
    await page.goto('/officer/enterprises');
    // Only the app shows these: the header's language switch and the register button.
    await page.getByRole('button', { name: 'English' }).waitFor();
    await page.getByRole('button', { name: '登记新企业' }).waitFor();
    await page.locator('#first-screen').waitFor({ state: 'detached' });
    await page.goto('/officer/outbox');
    await page.getByText('等待发送（1）').waitFor();

    // Back online, the first reply is lost on the way back: the retry carries the same key.
    let lost = 0;
    await context.route('**/api/v1/visits', async (route) => {
      if (route.request().method() === 'POST' && lost === 0) {
        lost++;
        await route.fetch(); // the server stores it…
        await route.abort('connectionreset'); // …and the phone never hears back
        return;
      }
      await route.continue();
    });
    await context.setOffline(false);
    await eventually(
      async () => lost,
      (n) => n === 1,
    );
    await page.getByText('已尝试 1 次', { exact: false }).waitFor(); // the lost reply left it waiting
    await page.getByRole('button', { name: '立即发送' }).click();
    await page.getByText('没有待发送的记录').waitFor({ timeout: 20_000 });

    const visits = await eventually(
      () => t.request('GET', `/api/v1/visits?enterpriseId=${OFFLINE_ENTERPRISE}`, { as: officer }),
      (r) => r.body.items?.length >= 1,
    );
    expect(visits.body.items).toHaveLength(1);
    expect(visits.body.items[0].caseIds).toHaveLength(1);
    const cases = await t.request(
      'GET',
      `/api/v1/cases?q=${encodeURIComponent('货车进出园区受限')}`,
      { as: officer },
    );
    expect(cases.body.items).toHaveLength(1);
  });

  it('a dispatcher dispatches a new case to a lead and a co-handling department', async () => {
    expect(caseIds).toHaveLength(2);
    const { page } = await open(DESKTOP);
    await signIn(page, dispatcher.username, dispatcher.password);
    await page.waitForURL('**/dispatch');
    const row = page.getByRole('row').filter({ hasText: '有序用电方案影响夜班生产' });
    await row.waitFor();
    await look(page, 'dispatch-queue');
    await row.getByRole('button', { name: '派单' }).click();
    const dialog = page.getByRole('dialog');
    await chooseOption(page, dialog, '主办部门', '供电局');
    await chooseOption(page, dialog, '协办部门（可选多个）', '工业和信息化局');
    await dialog.getByText('有序用电方案影响夜班生产').click(); // closes the open list
    await look(page, 'dispatch-dialog');
    await dialog.getByRole('button', { name: '派单' }).last().click();
    await page.getByText('已派单给 供电局').waitFor();
    const detail = await eventually(
      () => t.request('GET', `/api/v1/cases/${caseIds[0]}`, { as: dispatcher }),
      (r) => r.body.status === 'dispatched',
    );
    expect(detail.body).toMatchObject({
      status: 'dispatched',
      leadDepartment: 'power_supply',
      coDepartments: ['industry_it'],
    });
    await page.getByRole('link', { name: '延期审批' }).click();
    await page.getByRole('heading', { name: '延期审批' }).waitFor();
    await look(page, 'dispatch-extensions');
  });

  it('the lead handler accepts, answers, pauses, resumes and resolves; a co-handler sees only its steps', async () => {
    const { page } = await open(DESKTOP);
    await signIn(page, handler.username, handler.password);
    await page.waitForURL('**/worklist');
    // A handler's menu is the worklist alone: no leader's dashboard or supervision lists.
    await expect(page.getByText('三率看板').count()).resolves.toBe(0);
    await expect(page.getByText('超时督办').count()).resolves.toBe(0);
    const row = page.getByRole('row').filter({ hasText: ENTERPRISE_NAME });
    await row.first().waitFor();
    await look(page, 'worklist');
    await row.getByRole('link', { name: ENTERPRISE_NAME }).first().click();
    await page.waitForURL(`**/cases/${caseIds[0]}`);
    await page.getByRole('heading', { name: ENTERPRISE_NAME }).waitFor();
    await look(page, 'case-dispatched');

    const step = async (button: string, fill: Record<string, string> = {}, next?: string) => {
      await page.getByRole('button', { name: button, exact: true }).first().click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      for (const [label, value] of Object.entries(fill)) await dialog.getByLabel(label).fill(value);
      await submitDialog(page, dialog, button, `case-${button}`);
      if (next) await page.getByRole('button', { name: next, exact: true }).waitFor();
    };
    await step('签收', {}, '首次回应');
    await step('首次回应', { 回应内容: '已联系企业，明日上门核实用电情况' }, '暂停计时');
    await look(page, 'case-accepted');
    await step('暂停计时', { 原因: '等待企业提供用电负荷资料' }, '恢复计时');
    await step('恢复计时', {}, '暂停计时');
    await page.getByRole('button', { name: '办结' }).waitFor();
    await page.getByRole('button', { name: '办结' }).click();
    const resolve = page.getByRole('dialog');
    await resolve.getByText('已解决', { exact: true }).click();
    await resolve.getByLabel('办结说明').fill('调整有序用电时段，夜班恢复生产');
    await look(page, 'case-resolve-dialog');
    await submitDialog(page, resolve, '办结', 'case-resolve');
    await page.getByText('已办结').first().waitFor();
    // The timeline names who did each step, with role and department.
    await page.getByText(`${handler.username}`, { exact: false }).first().waitFor();
    await look(page, 'case-resolved');

    const detail = await eventually(
      () => t.request('GET', `/api/v1/cases/${caseIds[0]}`, { as: handler }),
      (r) => r.body.status === 'resolved',
    );
    expect(detail.body.timeline.map((e: { type: string }) => e.type)).toEqual([
      'CaseOpened',
      'CaseDispatched',
      'CaseAccepted',
      'CaseFirstResponseRecorded',
      'CasePaused',
      'CaseResumed',
      'CaseResolved',
    ]);
    expect(detail.body.outcome).toBe('solved');

    // A refused step is explained with the server's reason (the other handler resolved it already).
    const co = await open(DESKTOP);
    await signIn(co.page, coHandler.username, coHandler.password);
    await co.page.goto(`/cases/${caseIds[0]}`);
    await co.page.getByText('您的部门是协办部门').waitFor();
    await expect(co.page.getByRole('button', { name: '签收' }).count()).resolves.toBe(0);
  });

  it('the worklist countdown shows the API’s remaining working minutes', async () => {
    // The second case of the first visit, dispatched to the handler's department: running clocks.
    const dispatched = await t.request('POST', `/api/v1/cases/${caseIds[1]}/dispatch`, {
      as: dispatcher,
      body: { leadDepartment: 'power_supply' },
    });
    expect(dispatched.status).toBe(200);
    const list = await eventually(
      () =>
        t.request('GET', '/api/v1/cases?status=dispatched,accepted,paused', {
          as: handler,
          headers: { 'x-consistent-with': dispatched.body.position },
        }),
      (r) => r.body.items?.some((c: { id: string }) => c.id === caseIds[1]),
    );
    const row = list.body.items.find((c: { id: string }) => c.id === caseIds[1]);
    expect(row.deadlines).toBeDefined();
    const clock =
      row.deadlines.firstResponse.state === 'met' ||
      row.deadlines.firstResponse.state === 'met_late'
        ? row.deadlines.resolution
        : row.deadlines.firstResponse;

    const { page } = await open(DESKTOP);
    await signIn(page, handler.username, handler.password);
    const badge = page
      .getByRole('row')
      .filter({ hasText: '新引进工程师需要人才住房' })
      .getByTestId('countdown');
    await badge.waitFor();
    const shown = Number(await badge.getAttribute('data-minutes'));
    // Computed a moment apart: at most a minute of office time between the two.
    expect({
      shown,
      close: Math.abs(shown - clock.workingMinutesLeft) <= 1,
      deadlines: row.deadlines,
    }).toEqual({
      shown,
      close: true,
      deadlines: row.deadlines,
    });
    // Near the due instant the API's row and the page's own fetch can fall either side of it:
    // the badge's words follow the state it shows (overdue: 已超时, else the time left).
    const text = await badge.textContent();
    const overdue = (await badge.getAttribute('data-kind')) === 'overdue';
    expect(text).toMatch(overdue ? /已超时/ : /剩/);
    await screenshot(page, 'worklist-countdown');
  });
  it('a dispatcher transfers (改派) a case dispatched to the wrong department, with a reason', async () => {
    // caseIds[1] (人才住房) was dispatched to the power supply bureau by the countdown story.
    const { page } = await open(DESKTOP);
    await signIn(page, dispatcher.username, dispatcher.password);
    await page.waitForURL('**/dispatch');
    await page.getByRole('tab', { name: '已派单（可改派）' }).click();
    await page.waitForURL('**/dispatch?status=dispatched');
    const row = page.getByRole('row').filter({ hasText: '新引进工程师需要人才住房' });
    await row.waitFor();
    await look(page, 'dispatch-dispatched');
    await row.getByRole('button', { name: `转办：${ENTERPRISE_NAME}` }).click();
    const dialog = page.getByRole('dialog');
    await chooseOption(page, dialog, '转给部门', '住房和建设局');
    await dialog.getByLabel('原因').click(); // closes the open list
    await dialog.getByLabel('原因').fill('人才住房属住房和建设局职能，改派');
    await look(page, 'dispatch-transfer-dialog');
    await submitDialog(page, dialog, '转办', 'dispatch-transfer');
    await page.getByText('操作成功').waitFor();
    const detail = await eventually(
      () => t.request('GET', `/api/v1/cases/${caseIds[1]}`, { as: dispatcher }),
      (r) => r.body.leadDepartment === 'housing',
    );
    expect(detail.body.status).toBe('dispatched');
    const moved = detail.body.timeline.filter(
      (e: { type: string }) => e.type === 'CaseTransferred',
    );
    expect(moved.map((e: { data: object; actorRole: string }) => [e.data, e.actorRole])).toEqual([
      [
        expect.objectContaining({
          fromDepartment: 'power_supply',
          toDepartment: 'housing',
          reason: '人才住房属住房和建设局职能，改派',
        }),
        'dispatcher',
      ],
    ]);
    // The row now names the new lead department.
    await page
      .getByRole('row')
      .filter({ hasText: '新引进工程师需要人才住房' })
      .getByText('住房和建设局')
      .waitFor();
    await look(page, 'dispatch-transferred');
  });
});
