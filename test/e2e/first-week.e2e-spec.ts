import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { ROLES } from '#domain';
import { displayWidth, sheetName } from '../../apps/api/src/reports/report.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectError, testDistrict } from '../support/http.js';

/**
 * Regression tests for the faults a first week of real use hit (issue 11): each `it` names
 * the fault it keeps fixed.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('the OpenAPI document (/docs-json)', () => {
  it('gives every operation a summary, and a summary that names roles names only roles its policy allows (faults 2, 12)', async () => {
    const res = await t.request('GET', '/docs-json', { as: 'anonymous' });
    expect(res.status).toBe(200);
    const missing: string[] = [];
    const disagree: string[] = [];
    let operations = 0;
    for (const [path, item] of Object.entries<Record<string, any>>(res.body.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        operations++;
        const name = `${method.toUpperCase()} ${path}`;
        if (typeof op.summary !== 'string' || op.summary.trim().length < 5) missing.push(name);
        const allowed = /one of: ([a-z, ]+)/.exec(op.responses?.['403']?.description ?? '')?.[1];
        if (!allowed || !op.summary) continue;
        const named = ROLES.filter((role) =>
          new RegExp(`(?<![\\w-])${role}s?\\b`).test(op.summary),
        );
        for (const role of named)
          if (!allowed.split(', ').includes(role)) disagree.push(`${name}: ${role}`);
      }
    }
    expect(operations).toBeGreaterThan(50);
    expect(missing).toEqual([]);
    expect(disagree).toEqual([]);
  });
});

describe('DTO names (fault 8: "Duplicate DTO ReasonDto" at start-up)', () => {
  it('gives every request and reply class its own name: OpenAPI schemas are global', () => {
    const root = join(import.meta.dirname, '../../apps/api/src');
    const names: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && !entry.name.includes('spec'))
          for (const m of readFileSync(path, 'utf8').matchAll(/^export class (\w+Dto)\b/gm))
            names.push(m[1]!);
      }
    };
    walk(root);
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });
});

describe('faults 1 and 2', () => {
  const d = () => testDistrict(t, 8800);
  let district: ReturnType<typeof testDistrict>;
  beforeAll(() => {
    district = d();
  });

  it('ranks departments only: the cases with no lead department yet are a row shown last, never ranked (fault 1)', async () => {
    const { code } = await district.registerEnterprise();
    await district.openCase(code); // stays new: no lead department
    const led = (await district.openCase(code)).body.id;
    await district.steps(led, [['dispatch', { leadDepartment: 'power_supply' }]]);
    const res = await t.request('GET', '/api/v1/metrics?dimension=lead_department&minCases=0', {
      as: 'leader',
      headers: { 'x-consistent-with': (await district.openCase(code)).body.position },
    });
    expect(res.status).toBe(200);
    const rows = res.body.rows as {
      key: string;
      name: string;
      rank: number | null;
      ranked: boolean;
    }[];
    const none = rows.find((r) => r.key === '-');
    expect(none).toMatchObject({ rank: null, ranked: false, name: '未派单（无牵头部门）' });
    expect(rows.at(-1)!.key).toBe('-');
    expect(rows.find((r) => r.key === 'power_supply')).toMatchObject({ ranked: true });
  });

  it('lets a leader (and a dispatcher) decide an extension, as the OpenAPI summary says (fault 2)', async () => {
    const { code } = await district.registerEnterprise();
    for (const decider of ['leader', 'dispatcher'] as const) {
      const id = (await district.openCase(code)).body.id;
      await district.steps(id, [
        ['dispatch', { leadDepartment: 'power_supply' }],
        ['accept'],
        ['extension', { reason: '需电网改造', requestedDueAt: '2030-01-15T18:00:00+08:00' }],
      ]);
      const approved = await t.request('POST', `/api/v1/cases/${id}/extension/approve`, {
        as: decider,
        body: { comment: '同意' },
      });
      expect({ decider, status: approved.status }).toEqual({ decider, status: 200 });
    }
    const id = (await district.openCase(code)).body.id;
    await district.steps(id, [
      ['dispatch', { leadDepartment: 'power_supply' }],
      ['accept'],
      ['extension', { reason: '需电网改造', requestedDueAt: '2030-01-15T18:00:00+08:00' }],
    ]);
    const byHandler = await t.request('POST', `/api/v1/cases/${id}/extension/refuse`, {
      as: 'handler:power_supply',
      body: { reason: '自己不能批' },
    });
    expectError(byHandler, 403, 'ACCESS.DENIED');
    const refused = await t.request('POST', `/api/v1/cases/${id}/extension/refuse`, {
      as: 'leader',
      body: { reason: '请按期办结' },
    });
    expect(refused.status).toBe(200);
  });
});

describe('login rate limits (fault 11)', () => {
  it('limit attempts per account and address, with a much higher bound per address: an office behind one NAT logs in at 09:00', async () => {
    const office = await startTestApp({
      RATE_LIMIT_LOGIN_PER_MINUTE: 3,
      RATE_LIMIT_LOGIN_PER_ADDRESS_PER_MINUTE: 60,
    });
    try {
      const login = (username: string, password = 'wrong-password-123') =>
        office.request('POST', '/api/v1/auth/login', {
          as: 'anonymous',
          body: { username, password },
        });
      // Twelve officers, one address, log in (making their accounts used some of the 60 too).
      const officers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          office.newUser('officer', { street: 'bantian' }, `nat.officer${i}`),
        ),
      );
      for (const o of officers) expect((await login(o.username, o.password)).status).toBe(200);
      // One account guessed from the address: the fourth try in a minute is refused ...
      const guesses = [];
      for (let i = 0; i < 4; i++) guesses.push((await login('nat.target')).status);
      expect(guesses).toEqual([401, 401, 401, 429]);
      // ... while the others still log in.
      expect((await login(officers[1]!.username, officers[1]!.password)).status).toBe(200);
      // The address as a whole has its own, higher bound.
      // (each a different account: only the address's bound can refuse them).
      let tries = 0;
      while ((await login(`nobody${tries}`)).status !== 429) expect(++tries).toBeLessThan(60);
      const refused = await login('nat.officer5', officers[5]!.password);
      expectError(refused, 429, 'REQUEST.RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await office.close();
    }
  });
});

/** A request written to the socket as is, bytes and all (fetch would percent-encode it). */
function rawRequest(port: number, head: Buffer): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let text = '';
    socket.on('data', (b) => (text += b));
    socket.on('error', reject);
    socket.on('close', () => {
      const [headers = '', ...rest] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]);
      try {
        resolve({ status, body: JSON.parse(rest.join('\r\n\r\n')) });
      } catch {
        resolve({ status, body: rest.join('') });
      }
    });
  });
}
const get = (target: Buffer | string, headers = '') =>
  Buffer.concat([
    Buffer.from('GET '),
    Buffer.from(target),
    Buffer.from(` HTTP/1.1\r\nHost: x\r\n${headers}Connection: close\r\n\r\n`),
  ]);

describe('every error in the one shape (fault 7)', () => {
  it('answers what Fastify and Node refuse themselves (raw UTF-8 in the query, a bad URL, huge headers) as { statusCode, code, message, correlationId }', async () => {
    const port = Number(new URL(await t.app.getUrl()).port);
    const cases: [Buffer, number, string][] = [
      [get(Buffer.from('/api/v1/cases?q=张伟')), 400, 'REQUEST.MALFORMED'],
      [get('/api/v1/%E0%A4%A/x'), 400, 'REQUEST.BAD_URL'],
      [get('/api/v1/cases', `X-Big: ${'a'.repeat(20_000)}\r\n`), 431, 'REQUEST.HEADERS_TOO_LARGE'],
      [Buffer.from('NONSENSE\r\n\r\n'), 400, 'REQUEST.MALFORMED'],
    ];
    for (const [head, status, code] of cases) {
      const res = await rawRequest(port, head);
      expect({ status: res.status, body: res.body }).toEqual({
        status,
        body: {
          statusCode: status,
          code,
          message: expect.any(String),
          correlationId: expect.any(String),
        },
      });
    }
  });
});

describe('messages that name the rule (fault 8)', () => {
  let district: ReturnType<typeof testDistrict>;
  beforeAll(() => {
    district = testDistrict(t, 8900);
  });

  it('limit=-5 names the bounds, and an officer is "an officer"', async () => {
    const res = await t.request('GET', '/api/v1/cases?limit=-5', { as: 'dispatcher' });
    expectError(res, 400, 'REQUEST.INVALID');
    expect(res.body.errors).toEqual([
      { field: 'limit', rule: 'min', message: 'limit must be a whole number from 1 to 100' },
    ]);
    const denied = await t.request('GET', '/api/v1/metrics', { as: 'officer' });
    expectError(denied, 403, 'ACCESS.DENIED');
    expect(denied.body.message).toMatch(/^An officer may not do this/);
  });

  it('a username such as 张伟 is told which characters are allowed', async () => {
    const res = await t.request('POST', '/api/v1/users', {
      as: 'admin',
      body: { username: '张伟', displayName: '张伟', role: 'leader' },
    });
    expectError(res, 400, 'REQUEST.INVALID');
    expect(res.body.errors[0]).toMatchObject({ field: 'username', rule: 'matches' });
    expect(res.body.errors[0].message).toContain('a-z, 0-9');
  });

  it('a visit dated 1900-01-01 is refused; one dated 2000-01-01 is not refused for its date', async () => {
    const { code } = await district.registerEnterprise();
    const visit = (visitedOn: string) =>
      t.request('POST', '/api/v1/visits', {
        as: 'officer',
        body: {
          enterpriseId: code,
          visitedOn,
          level: 'street',
          officers: ['李干事'],
          summary: '走访',
        },
      });
    const old = await visit('1900-01-01');
    expectError(old, 400, 'REQUEST.INVALID');
    expect(old.body.errors).toEqual([
      {
        field: 'visitedOn',
        rule: 'recentDate',
        message:
          'visitedOn must be a date (YYYY-MM-DD) on or after 2000-01-01, and not in the future',
      },
    ]);
    expect((await visit('2000-01-01')).status).toBe(201);
  });

  it('reports an unknown category together with the other errors of the body', async () => {
    const { code } = await district.registerEnterprise();
    const res = await t.request('POST', '/api/v1/cases', {
      as: 'dispatcher',
      body: { enterpriseId: code, category: 'no_such_thing', channel: 'fax', description: '限电' },
    });
    expectError(res, 400, 'REQUEST.INVALID');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'category',
      'channel',
    ]);
    expect(res.body.errors.find((e: { field: string }) => e.field === 'category').message).toMatch(
      /^category must be one of: .*power_supply/,
    );
  });
});

describe('errors in Chinese when asked (Accept-Language: zh-CN), English otherwise', () => {
  const CJK = /[\u4e00-\u9fff]/;
  it('translates message and errors[].message, keeps code, field and rule', async () => {
    const { code } = await testDistrict(t, 8950).registerEnterprise();
    const requests: [string, string, object | undefined, string][] = [
      ['GET', '/api/v1/cases?limit=-5', undefined, 'dispatcher'],
      ['GET', '/api/v1/metrics', undefined, 'officer'],
      [
        'GET',
        `/api/v1/cases/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`,
        undefined,
        'dispatcher',
      ],
      [
        'POST',
        '/api/v1/cases',
        { enterpriseId: code, category: 'x', channel: 'fax', description: '' },
        'dispatcher',
      ],
      ['POST', '/api/v1/users', { username: '张伟', displayName: '张伟', role: 'leader' }, 'admin'],
      [
        'POST',
        '/api/v1/enterprises',
        { creditCode: '91440300708461136X', name: '示例', street: 'bantian' },
        'officer',
      ],
      ['GET', '/api/v1/nowhere', undefined, 'dispatcher'],
    ];
    for (const [method, url, body, as] of requests) {
      const en = await t.request(method, url, { as: as as never, body });
      const zh = await t.request(method, url, {
        as: as as never,
        body,
        headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' },
      });
      const what = `${method} ${url}`;
      expect({ what, status: zh.status, code: zh.body.code }).toEqual({
        what,
        status: en.status,
        code: en.body.code,
      });
      expect({ what, message: zh.body.message }).toEqual({
        what,
        message: expect.stringMatching(CJK),
      });
      // Fully translated: not the fallback that quotes the English in brackets.
      expect({ what, message: zh.body.message }).not.toEqual({
        what,
        message: expect.stringContaining('原文'),
      });
      expect(zh.headers['content-language']).toBe('zh-CN');
      for (const [i, e] of (zh.body.errors ?? []).entries()) {
        expect({ what, field: e.field, rule: e.rule }).toEqual({
          what,
          field: en.body.errors[i].field,
          rule: en.body.errors[i].rule,
        });
        expect({ what, message: e.message }).toEqual({ what, message: expect.stringMatching(CJK) });
        expect({ what, message: e.message }).not.toEqual({
          what,
          message: expect.stringContaining('原文'),
        });
      }
      expect(en.body.message.replace(/张伟|示例/g, '')).not.toMatch(CJK);
    }
  });
});

describe('the reports in Chinese (fault 4 and "Chinese first")', () => {
  it('name streets, categories, departments and statuses in Chinese, leave withdrawn cases out, and fit Excel: a whole-word sheet name, sized columns, frozen header', async () => {
    const d = testDistrict(t, 9000);
    const { code } = await d.registerEnterprise({
      street: 'bantian',
      name: '深圳市坂田示例精密制造有限公司',
    });
    const open = (await d.openCase(code)).body.id as string;
    await d.steps(open, [['dispatch', { leadDepartment: 'power_supply', coDepartments: ['tax'] }]]);
    const withdrawn = (await d.openCase(code)).body.id as string;
    const last = await d.steps(withdrawn, [['withdraw', { reason: '企业已自行解决' }]]);
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const consistent = { 'x-consistent-with': last.body.position };
    const csv = await t.request('GET', `/api/v1/reports/monthly-ledger?month=${month}&format=csv`, {
      as: 'leader',
      headers: consistent,
    });
    expect(csv.status).toBe(200);
    const lines = (csv.body as string)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    const row = lines.find((l) => l.startsWith(open))!;
    expect(row.split(',').slice(2, 7)).toEqual([
      '坂田',
      '供电/有序用电',
      '供电局',
      '税务局',
      '已派单',
    ]);
    expect(lines.some((l) => l.startsWith(withdrawn))).toBe(false);

    const response = await fetch(
      `${await t.app.getUrl()}/api/v1/reports/monthly-ledger?month=${month}`,
      {
        headers: { authorization: `Bearer ${(await t.user('leader')).accessToken}`, ...consistent },
      },
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe(`一月一调度台账 ${month}`);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(sheet.getRow(2).getCell(2).value).toBe('企业');
    // The enterprise column is as wide as the longest name in it (CJK counts double).
    expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual(
      displayWidth('深圳市坂田示例精密制造有限公司'),
    );
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(36); // a UUID
  });

  it('cuts a long sheet name at a word or bracket, never mid-word, within 31 characters', () => {
    expect(
      sheetName('一季一点评 2026-Q4（权重 响应30 / 解决35 / 满意35；受理少于5件不参与排名）'),
    ).toBe('一季一点评 2026-Q4');
    expect(sheetName('Quarterly review of the departments by weighted score')).toBe(
      'Quarterly review of the',
    );
    expect(sheetName('a/b:c')).toBe('a b c');
    expect(displayWidth('坂田 A')).toBe(6);
  });
});
