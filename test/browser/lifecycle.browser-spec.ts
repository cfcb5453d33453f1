/**
 * One case's whole life in a real Chromium, five real accounts in five browser contexts, every
 * step clicked through the screens: the officer logs the visit on a phone → the dispatcher
 * dispatches with a co-handler → the lead handler accepts, answers the same working day and
 * asks for more time → the co-handler adds progress → the leader approves the extension and
 * orders 督办 → resolved → callback 不满意 (退回重办) → resolved again → 满意 → 销号; then the
 * leader's dashboard counts the case and the department's resolution figure drills down to it.
 *
 * The clock: the server and every browser context run on the same clock, started at 09:30 on a
 * Tuesday in Shenzhen and running at real speed, so "the same working day", the deadlines and
 * the month on the dashboard do not depend on when (18:00, a weekend, a holiday) the test runs.
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

jest.setTimeout(300_000);

/** Tuesday 17 November 2026, 09:30 in Shenzhen: a working day, the office just open. */
const START = Date.parse('2026-11-17T09:30:00+08:00');
const started = Date.now();
const now = () => new Date(START + (Date.now() - started));

const ENTERPRISE = aCreditCode(93_001);
const ENTERPRISE_NAME = '深圳市坂田云联智能制造有限公司';
const PROBLEM = '二期厂房临时用电报装迟迟未通电';

let t: TestApp;
let browser: Browser;
let base: string;
let officer: TestUser;
let dispatcher: TestUser;
let handler: TestUser;
let coHandler: TestUser;
let leader: TestUser;
const contexts: BrowserContext[] = [];
let caseId = '';

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp({}, { clock: { now } });
  base = await t.app.getUrl();
  officer = await t.newUser('officer', { street: 'bantian' }, 'zhou.officer');
  dispatcher = await t.newUser('dispatcher', {}, 'wu.dispatch');
  handler = await t.newUser('handler', { department: 'power_supply' }, 'zheng.power');
  coHandler = await t.newUser('handler', { department: 'industry_it' }, 'feng.industry');
  leader = await t.newUser('leader', {}, 'chu.leader');
  const registered = await t.request('POST', '/api/v1/enterprises', {
    as: officer,
    body: { creditCode: ENTERPRISE, name: ENTERPRISE_NAME, street: 'bantian' },
  });
  expect(registered.status).toBeLessThan(300);
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

/** A signed-in browser context on the test's clock. */
async function open(user: TestUser, viewport = DESKTOP): Promise<Page> {
  const context = await newContext(browser, base, viewport);
  contexts.push(context);
  await context.clock.install({ time: now() });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`pageerror (${user.username}):`, e.message));
  await signIn(page, user.username, user.password);
  return page;
}

/** Screenshot and accessibility check of the screen as it stands. */
async function look(page: Page, name: string) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(300); // a closing list or a toast settles first
  await screenshot(page, `life-${name}`);
  await expectAccessible(page, name);
}

const detail = () => t.request('GET', `/api/v1/cases/${caseId}`, { as: dispatcher });
// The status (case_view) and the timeline (case_timeline) are two projections: wait for both
// to reach the case's version (on a shared server one can lag the other).
const statusIs = (status: string) =>
  eventually(
    detail,
    (r) => r.body.status === status && r.body.timeline?.at(-1)?.version === r.body.version,
  ).then((r) => {
    expect(r.body.status).toBe(status);
    return r.body;
  });

/**
 * One step on the case page: the button, its dialog (fields filled, a choice clicked), a
 * screenshot and axe-core with the dialog open when `shot` names it, the dialog's own button.
 */
async function step(
  page: Page,
  button: string,
  options: { fill?: Record<string, string>; choose?: string; shot?: string } = {},
) {
  await page.getByRole('button', { name: button, exact: true }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  if (options.choose) await dialog.getByText(options.choose, { exact: true }).click();
  for (const [label, value] of Object.entries(options.fill ?? {}))
    await dialog.getByLabel(label).fill(value);
  if (options.shot) await look(page, options.shot);
  // A refused step keeps its dialog open with the server's reason: the failure says it.
  await submitDialog(page, dialog, button, `lifecycle-${button}`);
}

/** The case page, freshly loaded (another account has moved the case on meanwhile). */
async function openCase(page: Page) {
  await page.goto(`/cases/${caseId}`);
  await page.getByRole('heading', { name: ENTERPRISE_NAME }).waitFor();
}

describe('a case’s whole life, in five browsers', () => {
  let officerPage: Page;
  let dispatcherPage: Page;
  let handlerPage: Page;
  let coPage: Page;
  let leaderPage: Page;

  it('the officer, on a 375 px phone, finds the enterprise and logs the visit with a problem', async () => {
    officerPage = await open(officer, PHONE);
    const page = officerPage;
    await page.waitForURL('**/officer/enterprises');
    await page.getByLabel('输入企业名称或统一社会信用代码').fill('云联智能');
    await page.getByText(ENTERPRISE_NAME).waitFor();
    await look(page, 'officer-find-phone');
    await page.getByRole('button', { name: '记录走访' }).click();
    await page.waitForURL('**/officer/visit?enterprise=*');
    await page.getByText(ENTERPRISE_NAME, { exact: false }).first().waitFor();
    // The visit is dated today on the test's clock (the page's own clock says so too).
    await expect(page.getByLabel('走访日期').inputValue()).resolves.toBe('2026-11-17');
    await page.getByLabel('走访情况').fill('了解二期厂房投产进度，企业反映临时用电问题');
    await page.getByRole('button', { name: '添加问题' }).click();
    const problem = page.getByRole('group', { name: '问题 1' });
    await chooseOption(page, problem, '问题类别', '供电/有序用电');
    await problem.getByLabel('问题描述').fill(PROBLEM);
    await look(page, 'officer-visit-phone');
    await page.getByRole('button', { name: '提交走访' }).click();
    await arrivesAt(page, '**/officer/visits', 'lifecycle-officer-visit-phone');
    await page.getByText('走访已提交，生成 1 件诉求').waitFor();
    await look(page, 'officer-visits-phone');

    const visits = await eventually(
      () => t.request('GET', `/api/v1/visits?enterpriseId=${ENTERPRISE}`, { as: officer }),
      (r) => r.body.items?.length === 1,
    );
    expect(visits.body.items[0].caseIds).toHaveLength(1);
    caseId = visits.body.items[0].caseIds[0];
    await statusIs('new');
  });

  it('the dispatcher dispatches it to 供电局 with 工业和信息化局 co-handling', async () => {
    dispatcherPage = await open(dispatcher);
    const page = dispatcherPage;
    await page.waitForURL('**/dispatch');
    const row = page.getByRole('row').filter({ hasText: PROBLEM });
    await row.waitFor();
    await look(page, 'dispatch-queue');
    await row.getByRole('button', { name: '派单' }).click();
    const dialog = page.getByRole('dialog');
    await chooseOption(page, dialog, '主办部门', '供电局');
    await chooseOption(page, dialog, '协办部门（可选多个）', '工业和信息化局');
    await dialog.getByText(PROBLEM).click(); // closes the open list
    await look(page, 'dispatch-dialog');
    await dialog.getByRole('button', { name: '派单' }).last().click();
    await page.getByText('已派单给 供电局').waitFor();
    const c = await statusIs('dispatched');
    expect(c).toMatchObject({ leadDepartment: 'power_supply', coDepartments: ['industry_it'] });
  });

  it('the lead handler accepts, answers the same working day and asks for more time', async () => {
    handlerPage = await open(handler);
    const page = handlerPage;
    await page.waitForURL('**/worklist');
    const row = page.getByRole('row').filter({ hasText: ENTERPRISE_NAME });
    await row.waitFor();
    await look(page, 'handler-worklist');
    await row.getByRole('link', { name: ENTERPRISE_NAME }).click();
    await page.waitForURL(`**/cases/${caseId}`);
    await page.getByRole('heading', { name: ENTERPRISE_NAME }).waitFor();
    await look(page, 'case-dispatched');

    await step(page, '签收');
    await page.getByRole('button', { name: '首次回应', exact: true }).waitFor();
    await step(page, '首次回应', {
      fill: { 回应内容: '已联系企业，今天下午到现场核实报装进度' },
      shot: 'first-response-dialog',
    });
    // Answered on the intake day, before 18:00: the same-day promise is kept.
    const answered = await eventually(detail, (r) => !!r.body.firstResponseAt);
    expect(answered.body.deadlines.firstResponse.state).toBe('met');
    await page.getByText('已按时完成').first().waitFor();

    await step(page, '申请延期', {
      fill: { 延期至: '2026-12-04T18:00', 原因: '需协调电网公司排期施工，预计两周' },
      shot: 'extension-dialog',
    });
    await eventually(detail, (r) => r.body.extensionPending === true);
    await page.getByText('申请延期', { exact: true }).last().waitFor();
    await look(page, 'case-extension-requested');
  });

  it('the co-handling department adds its progress and has no lead steps', async () => {
    coPage = await open(coHandler);
    const page = coPage;
    await page.waitForURL('**/worklist');
    const row = page.getByRole('row').filter({ hasText: ENTERPRISE_NAME });
    await row.waitFor();
    await row.getByRole('link', { name: ENTERPRISE_NAME }).click();
    await page.getByText('您的部门是协办部门').waitFor();
    await expect(page.getByRole('button', { name: '办结' }).count()).resolves.toBe(0);
    await step(page, '补充进展', {
      fill: { 进展情况: '已协调园区开放施工通道' },
      shot: 'co-progress-dialog',
    });
    await page.getByText('已协调园区开放施工通道').waitFor();
    await look(page, 'case-co-handler');
  });

  it('the leader approves the extension and orders 督办 with a note, from the case page', async () => {
    leaderPage = await open(leader);
    const page = leaderPage;
    await page.waitForURL('**/leader');
    await page.getByRole('link', { name: '工作台' }).first().click();
    await page.waitForURL('**/worklist');
    await page.getByRole('tab', { name: /延期待批/ }).click();
    const row = page.getByRole('row').filter({ hasText: ENTERPRISE_NAME });
    await row.waitFor();
    await row.getByRole('link', { name: ENTERPRISE_NAME }).click();
    await page.waitForURL(`**/cases/${caseId}`);
    await page.getByRole('button', { name: '同意延期' }).waitFor();
    await look(page, 'case-leader');
    await step(page, '同意延期', { fill: { '意见（选填）': '同意，请按期办结' } });
    await eventually(detail, (r) => r.body.extensionPending === false);
    await page.getByRole('button', { name: '同意延期' }).waitFor({ state: 'detached' });
    const approved = (await detail()).body;
    expect(approved.deadlines.resolution.dueAt).toBe('2026-12-04T10:00:00.000Z');

    await page.getByRole('button', { name: /^督办/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('督办意见').fill('请在延期内办结，并每周报送进展');
    await look(page, 'case-supervise-dialog');
    await dialog.getByRole('button', { name: '发出督办' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await eventually(detail, (r) => r.body.supervisedCount === 1);
    await page.getByRole('button', { name: '督办 (1)' }).waitFor();
    await page.locator('#main').getByText('请在延期内办结，并每周报送进展').waitFor();
    await look(page, 'case-supervised');
  });

  it('the handler resolves it; the callback finds the enterprise unsatisfied: back for rework', async () => {
    await openCase(handlerPage);
    await step(handlerPage, '办结', {
      choose: '已解决',
      fill: { 办结说明: '临时用电已接通' },
      shot: 'resolve-dialog',
    });
    await statusIs('resolved');

    const page = dispatcherPage;
    await page.getByRole('link', { name: '工作台' }).first().click();
    await page.getByRole('tab', { name: /待回访/ }).click();
    const row = page.getByRole('row').filter({ hasText: ENTERPRISE_NAME });
    await row.waitFor();
    await look(page, 'dispatch-callback-queue');
    await row.getByRole('link', { name: ENTERPRISE_NAME }).click();
    await page.waitForURL(`**/cases/${caseId}`);
    await expect(page.getByRole('button', { name: '销号' }).count()).resolves.toBe(0);
    await step(page, '回访', {
      choose: '不满意',
      fill: { 回访记录: '只接通了临时线路，正式供电方案仍未确定' },
      shot: 'callback-dialog',
    });
    // 不满意 sends the case back to the lead department (退回重办): in hand again.
    const reworked = await statusIs('accepted');
    expect(reworked.timeline.map((e: { type: string }) => e.type).slice(-2)).toEqual([
      'CaseCallbackRecorded',
      'CaseReworkOrdered',
    ]);
    await page.getByText('退回重办').first().waitFor();
    await page.getByText('不满意', { exact: true }).first().waitFor();
    await look(page, 'case-reworked');
  });

  it('resolved again, called back satisfied, and closed (销号)', async () => {
    await openCase(handlerPage);
    await handlerPage.getByText('退回重办').first().waitFor();
    await step(handlerPage, '办结', {
      choose: '已解决',
      fill: { 办结说明: '正式供电方案已批复，专线本周投运' },
    });
    await statusIs('resolved');

    const page = dispatcherPage;
    await openCase(page);
    await step(page, '回访', { choose: '满意', fill: { 回访记录: '企业对正式供电方案满意' } });
    await eventually(detail, (r) => r.body.satisfaction === 'satisfied');
    await page.getByRole('button', { name: '销号', exact: true }).waitFor();
    await step(page, '销号', { shot: 'close-dialog' });
    const closed = await statusIs('closed');
    expect(closed.timeline.map((e: { type: string }) => e.type)).toEqual([
      'CaseOpened',
      'CaseDispatched',
      'CaseAccepted',
      'CaseFirstResponseRecorded',
      'CaseExtensionRequested',
      'CaseProgressNoted',
      'CaseExtensionApproved',
      'CaseSupervisionOrdered',
      'CaseResolved',
      'CaseCallbackRecorded',
      'CaseReworkOrdered',
      'CaseResolved',
      'CaseCallbackRecorded',
      'CaseClosed',
    ]);
    await page.getByText('已销号').first().waitFor();
    await expect(page.getByText('当前没有您可以办理的操作。').count()).resolves.toBe(1);
    await look(page, 'case-closed');

    // The officer who logged it sees it closed on the phone.
    await officerPage.getByRole('button', { name: '菜单' }).click();
    await officerPage.getByRole('link', { name: '我的诉求' }).click();
    await officerPage.getByText(PROBLEM).waitFor();
    await officerPage.getByText('已销号').first().waitFor();
    await look(officerPage, 'officer-cases-phone');
  });

  it('the leader’s month counts the case in the right figures, and 供电局’s resolution drills down to it', async () => {
    const page = leaderPage;
    const figure = async (testId: string) =>
      Number(await page.getByTestId(testId).getAttribute('data-figure'));
    // The month is the test clock's (November 2026); the metrics follow the log asynchronously.
    await eventually(
      async () => {
        await page.goto('/leader');
        await page.getByTestId('card-satisfaction').waitFor();
        await page.waitForLoadState('networkidle').catch(() => undefined);
        return figure('card-satisfaction');
      },
      (n) => n === 1,
    );
    await page.getByRole('table').first().waitFor();
    const figures = {
      received: await figure('count-received'),
      solved: await figure('count-solved'),
      overdue: await figure('count-overdue'),
      escalated: await figure('count-escalated'),
      respondedOnTime: await figure('card-sameDay'),
      responded: await figure('card-response'),
      satisfied: await figure('card-satisfaction'),
      powerSupplyReceived: await figure('received-power_supply'),
      powerSupplySolved: await figure('resolution-power_supply'),
    };
    expect(figures).toEqual({
      received: 1,
      solved: 1,
      overdue: 0,
      escalated: 1,
      respondedOnTime: 1,
      responded: 1,
      satisfied: 1,
      powerSupplyReceived: 1,
      powerSupplySolved: 1,
    });
    // The rates on the cards: one case, answered the same day, solved, the latest callback 满意.
    await expect(page.getByTestId('card-resolution').textContent()).resolves.toContain('100');
    await expect(page.getByTestId('card-satisfaction').textContent()).resolves.toContain('1 / 1');
    await look(page, 'leader-dashboard');

    await page.getByTestId('resolution-power_supply').click();
    await page.waitForURL('**/leader/cases?**');
    const url = new URL(page.url());
    expect(url.searchParams.get('metric')).toBe('solved');
    expect(url.searchParams.get('key')).toBe('power_supply');
    await page.getByTestId('list-total').filter({ hasText: '共 1 件' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: ENTERPRISE_NAME });
    await row.waitFor();
    await row.getByText('已销号').waitFor();
    await look(page, 'leader-drill-down');
    await row.getByRole('link', { name: ENTERPRISE_NAME }).click();
    await page.waitForURL(`**/cases/${caseId}`);
    await page.getByText('已销号').first().waitFor();
  });
});
