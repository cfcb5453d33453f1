import { ROLES } from '#domain';
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
