import { ACTIONS, ROLES, type Role } from '#domain';
import { startTestApp, type Response, type TestApp, type TestUser } from '../support/app.js';
import { testDistrict } from '../support/http.js';
import type { Route } from '../support/routes.js';

/**
 * Every route of the running app × every role (and no token) × a record of the caller's own
 * department or street versus someone else's, generated from the route table: the expected
 * answer follows from the route's @Can action, the domain's access policy and the record.
 *
 *   no token                       → 401 (public routes: anything but 401)
 *   a role the action excludes     → 403
 *   a case or visit out of reach   → 404, exactly as for a record that does not exist (a step
 *                                    on a case is authorized inside its command, after the
 *                                    body's validation: a body refused there answers what it
 *                                    answers for a case that does not exist)
 *   allowed                        → reads 200; writes pass the guard, which the request
 *                                    shows by failing later, harmlessly: a 400 for an empty
 *                                    body, a 412 for If-Match "999", a 409 for a state
 *
 * A route without a policy, or with a path parameter this file cannot fill, fails the test.
 */
let t: TestApp;
const users = {} as Record<Role, TestUser>;
const ids = {} as Record<string, string>;

type Target = 'own' | 'other';
const MISSING_CASE = '00000000-0000-4000-8000-000000000000';
const READS = new Set(['GET', 'HEAD']);
const QUERIES: Record<string, string> = {
  '/api/v1/reports/monthly-ledger': '?month=2026-11&format=csv',
  '/api/v1/reports/quarterly-review': '?quarter=2026-Q4&format=csv',
};

beforeAll(async () => {
  t = await startTestApp();
  const d = testDistrict(t, 7100);
  users.officer = await t.newUser('officer', { street: 'bantian' }, 'm.officer');
  users.handler = await t.newUser('handler', { department: 'industry_it' }, 'm.handler');
  users.dispatcher = await t.newUser('dispatcher', {}, 'm.dispatcher');
  users.leader = await t.newUser('leader', {}, 'm.leader');
  users.admin = t.admin;
  const stranger = await t.newUser('officer', { street: 'buji' }, 'm.stranger');
  await t.newUser('handler', { department: 'customs' }, 'm.target');

  // Own: in the officer's street, opened by them, led by the handler's department.
  const own = await d.registerEnterprise({ street: 'bantian' });
  const other = await d.registerEnterprise({ street: 'buji' });
  ids.enterprise = own.code;
  const open = async (enterpriseId: string, as: TestUser) => {
    const res = await t.request('POST', '/api/v1/cases', {
      as,
      body: { enterpriseId, category: 'power_supply', channel: 'visit', description: '限电' },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  ids.ownCase = await open(own.code, users.officer);
  ids.otherCase = await open(other.code, stranger);
  for (const [id, lead] of [
    [ids.ownCase, 'industry_it'],
    [ids.otherCase, 'customs'],
  ] as const) {
    const res = await t.request('POST', `/api/v1/cases/${id}/dispatch`, {
      as: users.dispatcher,
      body: { leadDepartment: lead, coDepartments: ['tax'] },
    });
    expect(res.status).toBe(200);
  }
  const visit = async (enterpriseId: string, as: TestUser) => {
    const res = await t.request('POST', '/api/v1/visits', {
      as,
      body: {
        enterpriseId,
        visitedOn: '2026-11-20',
        level: 'street',
        officers: ['李干事'],
        summary: '走访',
      },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  ids.ownVisit = await visit(own.code, users.officer);
  ids.otherVisit = await visit(other.code, stranger);
  const campaign = await t.request('POST', '/api/v1/campaigns', {
    as: users.dispatcher,
    body: { name: '十一月扫楼', startsOn: '2026-11-01', endsOn: '2026-11-30', buildings: ['A'] },
  });
  expect(campaign.status).toBe(201);
  ids.campaign = campaign.body.id;
  const probe = await t.request('POST', '/api/v1/reference/street', {
    as: t.admin,
    body: { code: 'matrix_probe', name: '探针' },
  });
  expect(probe.status).toBe(201);
}, 120_000);

afterAll(() => t?.close());

/** The concrete URL for a route and a target, or an error for a parameter nobody fills. */
function urlFor(route: Route, target: Target | 'missing'): string {
  const path = route.path.replace(/:(\w+)/g, (_whole, name: string) => {
    const base = route.path.split('/')[3];
    if (name === 'id' && base === 'cases')
      return target === 'own' ? ids.ownCase! : target === 'other' ? ids.otherCase! : MISSING_CASE;
    if (name === 'id' && base === 'visits')
      return target === 'own' ? ids.ownVisit! : ids.otherVisit!;
    if (name === 'id' && base === 'enterprises') return ids.enterprise!;
    if (name === 'id' && base === 'campaigns') return ids.campaign!;
    if (name === 'username') return 'm.target';
    if (name === 'kind') return 'street';
    if (name === 'code') return 'matrix_probe';
    if (name === 'date') return '2030-01-02';
    if (name === 'year') return '2030';
    throw new Error(`${route.method} ${route.path}: no value for :${name} in the matrix test`);
  });
  return path + (QUERIES[route.path] ?? '');
}

type Expected = 'pass' | 401 | 403 | 404;
function expected(route: Route, role: Role | 'anonymous', target: Target): Expected {
  const action = route.policy!.action;
  if (action === 'public') return 'pass';
  if (role === 'anonymous') return 401;
  if (!(ACTIONS[action] as readonly Role[]).includes(role)) return 403;
  if (route.policy!.scope && target === 'other' && (role === 'officer' || role === 'handler'))
    return 404;
  return 'pass';
}

function outcome(route: Route, res: Response): Expected | number {
  if (res.status === 401 || res.status === 403 || res.status === 404) return res.status;
  if (res.status >= 500) return res.status;
  if (READS.has(route.method)) return res.status === 200 ? 'pass' : res.status;
  return res.status === 429 ? 429 : 'pass';
}

describe('the authorization matrix', () => {
  it('gives every route a policy', () => {
    const missing = t.routes.filter((r) => !r.policy).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
    expect(t.routes.length).toBeGreaterThan(50);
  });

  it('answers every route × role × own/other record as the access policy says', async () => {
    const cells: string[] = [];
    const failures: string[] = [];
    // Logout ends the caller's session: it runs last, with a session of its own.
    const routes = [...t.routes].sort(
      (a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')),
    );
    for (const route of routes) {
      const targets: Target[] = route.policy?.scope ? ['own', 'other'] : ['own'];
      for (const target of targets) {
        for (const role of ['anonymous', ...ROLES] as const) {
          let as: TestUser | 'anonymous' = role === 'anonymous' ? 'anonymous' : users[role];
          if (route.path.endsWith('/logout') && role !== 'anonymous') {
            const fresh = await t.request('POST', '/api/v1/auth/login', {
              as: 'anonymous',
              body: { username: users[role].username, password: users[role].password },
            });
            as = { ...users[role], accessToken: fresh.body.accessToken };
          }
          const options = {
            as,
            ...(READS.has(route.method) ? {} : { body: {}, headers: { 'if-match': '"999"' } }),
          };
          const res = await t.request(route.method, urlFor(route, target), options);
          const want = expected(route, role, target);
          let got = outcome(route, res);
          if (want === 404 && res.status === 400 && route.policy?.scope === 'case') {
            // The empty body was refused before the step reached the case: that says nothing
            // about the case as long as a case that does not exist gets the very same answer.
            const missing = await t.request(route.method, urlFor(route, 'missing'), options);
            if (missing.status === res.status && missing.body.code === res.body.code) got = 404;
          }
          const cell = `${route.method} ${route.path} [${target}] as ${role}`;
          cells.push(cell);
          if (got !== want)
            failures.push(
              `${cell}: expected ${want}, got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`,
            );
        }
      }
    }
    expect(failures).toEqual([]);
    expect(cells.length).toBeGreaterThan(300);
  }, 300_000);

  it('keeps lists, counts and an enterprise’s history to what the caller may see', async () => {
    const listed = async (as: TestUser) =>
      ((await t.request('GET', '/api/v1/cases?limit=100', { as })).body.items as { id: string }[])
        .map((c) => c.id)
        .filter((id) => id === ids.ownCase || id === ids.otherCase)
        .sort();
    const both = [ids.ownCase!, ids.otherCase!].sort();
    expect(await listed(users.handler)).toEqual([ids.ownCase]);
    expect(await listed(users.officer)).toEqual([ids.ownCase]);
    expect(await listed(users.dispatcher)).toEqual(both);
    expect(await listed(users.leader)).toEqual(both);
    const counts = await t.request('GET', '/api/v1/cases/counts', { as: users.handler });
    expect(counts.body.total).toBe(1);
    const admin = await t.request('GET', '/api/v1/cases', { as: t.admin });
    expect(admin.status).toBe(403);
    const visits = await t.request('GET', '/api/v1/visits', { as: users.officer });
    expect(visits.body.items.map((v: { id: string }) => v.id)).toEqual([ids.ownVisit]);
    // A co-handling department sees the case but may not act as the lead.
    const tax = await t.newUser('handler', { department: 'tax' }, 'm.tax');
    const seen = await t.request('GET', `/api/v1/cases/${ids.otherCase}`, { as: tax });
    expect(seen.status).toBe(200);
    const accept = await t.request('POST', `/api/v1/cases/${ids.otherCase}/accept`, { as: tax });
    expect({ status: accept.status, code: accept.body.code }).toEqual({
      status: 403,
      code: 'ACCESS.NOT_LEAD',
    });
    const progress = await t.request('POST', `/api/v1/cases/${ids.otherCase}/progress`, {
      as: tax,
      body: { note: '税务政策已解释' },
    });
    expect(progress.status).toBe(409); // in reach; the case is not accepted yet
    // Out of reach looks exactly like a case that does not exist.
    const hidden = await t.request('GET', `/api/v1/cases/${ids.otherCase}`, { as: users.handler });
    const missing = await t.request('GET', '/api/v1/cases/00000000-0000-4000-8000-000000000000', {
      as: users.handler,
    });
    expect([hidden.status, hidden.body.code]).toEqual([missing.status, missing.body.code]);
    expect(hidden.status).toBe(404);
  });

  it('answers a valid step on a case out of reach 404, as for a missing case, whatever If-Match says', async () => {
    const step = (id: string, headers: Record<string, string> = {}) =>
      t.request('POST', `/api/v1/cases/${id}/comments`, {
        as: users.handler,
        body: { comment: '看不到的诉求' },
        headers,
      });
    const hidden = await step(ids.otherCase!);
    const missing = await step(MISSING_CASE);
    expect([hidden.status, hidden.body.code]).toEqual([404, missing.body.code]);
    const versioned = await step(ids.otherCase!, { 'if-match': '"999"' });
    expect([versioned.status, versioned.body.code]).toEqual([404, missing.body.code]);
    // The officer's own street's case: in reach, the same request passes.
    const own = await t.request('POST', `/api/v1/cases/${ids.ownCase}/comments`, {
      as: users.officer,
      body: { comment: '企业已补充材料' },
    });
    expect(own.status).toBe(200);
  });

  it('lets a dispatcher transfer (改派) a dispatched case to another lead department, and names the lead it left', async () => {
    const opened = await t.request('POST', '/api/v1/cases', {
      as: users.officer,
      body: {
        enterpriseId: ids.enterprise,
        category: 'power_supply',
        channel: 'visit',
        description: '错派：应由海关办理',
      },
    });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    const dispatch = await t.request('POST', `/api/v1/cases/${id}/dispatch`, {
      as: users.dispatcher,
      body: { leadDepartment: 'industry_it', coDepartments: ['tax'] },
    });
    expect(dispatch.status).toBe(200);
    const transfer = (as: TestUser, toDepartment: string, reason = '属海关职能，改派') =>
      t.request('POST', `/api/v1/cases/${id}/transfer`, { as, body: { toDepartment, reason } });
    const refusal = (res: Response) => ({ status: res.status, code: res.body.code });

    // A co-handler and a leader may not re-route it; the dispatcher may, with a reason.
    const tax = await t.newUser('handler', { department: 'tax' }, 'm.tax.transfer');
    expect(refusal(await transfer(tax, 'customs'))).toEqual({
      status: 403,
      code: 'ACCESS.NOT_LEAD',
    });
    expect(refusal(await transfer(users.leader, 'customs'))).toEqual({
      status: 403,
      code: 'ACCESS.DENIED',
    });
    const noReason = await t.request('POST', `/api/v1/cases/${id}/transfer`, {
      as: users.dispatcher,
      body: { toDepartment: 'customs' },
    });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body)).toContain('reason');
    expect((await transfer(users.dispatcher, 'customs')).status).toBe(200);
    expect(refusal(await transfer(users.dispatcher, 'customs'))).toEqual({
      status: 400,
      code: 'CASE.TRANSFER_TO_SAME_DEPARTMENT',
    });

    // The old lead department now only reads it; the new one accepts it.
    expect(refusal(await transfer(users.handler, 'hr'))).toEqual({
      status: 403,
      code: 'ACCESS.READ_ONLY',
    });
    const customs = await t.newUser('handler', { department: 'customs' }, 'm.customs.transfer');
    expect((await t.request('POST', `/api/v1/cases/${id}/accept`, { as: customs })).status).toBe(
      200,
    );
    // An accepted case can still be re-routed by the centre; each transfer names the lead of
    // the version it was decided on.
    const back = await transfer(users.dispatcher, 'industry_it', '海关确认不属其职能');
    expect(back.status).toBe(200);
    // Read your own write: the case as of the transfer's position in the log.
    const detail = await t.request('GET', `/api/v1/cases/${id}`, {
      as: users.dispatcher,
      headers: { 'x-consistent-with': back.body.position },
    });
    expect(detail.body.leadDepartment).toBe('industry_it');
    const moves = (detail.body.timeline as { type: string; data: Record<string, unknown> }[])
      .filter((e) => e.type === 'CaseTransferred')
      .map((e) => [e.data.fromDepartment, e.data.toDepartment, e.data.reason]);
    expect(moves).toEqual([
      ['industry_it', 'customs', '属海关职能，改派'],
      ['customs', 'industry_it', '海关确认不属其职能'],
    ]);
  });
});
