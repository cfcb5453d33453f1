import { startTestApp, type Response, type TestApp } from '../support/app.js';
import { expectError, testDistrict } from '../support/http.js';

let t: TestApp;
let d: ReturnType<typeof testDistrict>;

beforeAll(async () => {
  t = await startTestApp();
  d = testDistrict(t, 5000);
});
afterAll(async () => {
  await t.close();
});

const get = async (caseId: string, after: Response) =>
  (
    await t.request('GET', `/api/v1/cases/${caseId}`, {
      headers: { 'x-consistent-with': after.body.position },
    })
  ).body;
const types = (detail: any) => detail.timeline.map((e: any) => e.type);

async function acceptedCase() {
  const { code } = await d.registerEnterprise();
  const { body: opened } = await d.openCase(code);
  await d.steps(opened.id, [
    ['dispatch', { leadDepartment: 'power_supply', coDepartments: ['industry_it'] }],
    ['accept'],
  ]);
  return opened.id as string;
}

describe('every path of a case, over HTTP', () => {
  it('return to the dispatch queue, then re-dispatch to the right department', async () => {
    const { code } = await d.registerEnterprise();
    const { body: opened } = await d.openCase(code);
    await d.steps(opened.id, [['dispatch', { leadDepartment: 'tax' }]]);
    const returned = await d.steps(opened.id, [['return', { reason: '属供电问题，非税务' }]]);
    const queue = await t.request('GET', '/api/v1/dispatch-queue', {
      headers: { 'x-consistent-with': returned.body.position },
    });
    expect(queue.body.items.find((c: any) => c.id === opened.id)).toMatchObject({
      status: 'returned',
      leadDepartment: null,
      returnedCount: 1,
    });
    const last = await d.steps(opened.id, [
      ['dispatch', { leadDepartment: 'power_supply' }],
      ['accept'],
    ]);
    const detail = await get(opened.id, last);
    expect(detail).toMatchObject({
      status: 'accepted',
      leadDepartment: 'power_supply',
      returnedCount: 1,
    });
    expect(types(detail)).toEqual([
      'CaseOpened',
      'CaseDispatched',
      'CaseReturned',
      'CaseDispatched',
      'CaseAccepted',
    ]);
    expect(detail.timeline[2].data).toMatchObject({
      department: 'tax',
      reason: '属供电问题，非税务',
    });
  });

  it('transfer to another department, which accepts and resolves', async () => {
    const id = await acceptedCase();
    const last = await d.steps(id, [
      ['transfer', { toDepartment: 'industry_it', reason: '涉及数字化改造补贴' }],
      ['accept'],
      ['resolve', { resolution: '已申报补贴', outcome: 'partly_solved' }],
    ]);
    const detail = await get(id, last);
    // The co-handler that took the lead is no longer a co-handler.
    expect(detail).toMatchObject({
      status: 'resolved',
      leadDepartment: 'industry_it',
      coDepartments: [],
      transferredCount: 1,
      outcome: 'partly_solved',
    });
  });

  it('an extension approved moves the due date; one refused leaves it', async () => {
    const id = await acceptedCase();
    await d.steps(id, [
      ['extension', { reason: '需电网改造', requestedDueAt: '2030-01-15T18:00:00+08:00' }],
    ]);
    const twice = await t.request('POST', `/api/v1/cases/${id}/extension`, {
      body: { reason: 'again', requestedDueAt: '2030-02-01T00:00:00Z' },
    });
    expectError(twice, 409, 'CASE.EXTENSION_PENDING');
    let last = await d.steps(id, [['extension/approve', { comment: '同意' }]]);
    expect(await get(id, last)).toMatchObject({
      dueAt: '2030-01-15T10:00:00.000Z',
      extensionPending: false,
    });
    await d.steps(id, [
      ['extension', { reason: '还需一周', requestedDueAt: '2030-01-22T18:00:00+08:00' }],
    ]);
    last = await d.steps(id, [['extension/refuse', { reason: '请按期办结' }]]);
    const detail = await get(id, last);
    expect(detail).toMatchObject({ dueAt: '2030-01-15T10:00:00.000Z', extensionPending: false });
    expect(types(detail).slice(-4)).toEqual([
      'CaseExtensionRequested',
      'CaseExtensionApproved',
      'CaseExtensionRequested',
      'CaseExtensionRefused',
    ]);
    expectError(
      await t.request('POST', `/api/v1/cases/${id}/extension/approve`, { body: {} }),
      409,
      'CASE.NO_EXTENSION_PENDING',
    );
    const past = await t.request('POST', `/api/v1/cases/${id}/extension`, {
      body: { reason: 'x', requestedDueAt: '2020-01-01T00:00:00Z' },
    });
    expectError(past, 400, 'CASE.INVALID_DUE_DATE');
  });

  it('pause while waiting for the enterprise, resume, then resolve', async () => {
    const id = await acceptedCase();
    await d.steps(id, [['pause', { reason: '等待企业补充材料' }]]);
    const paused = await t.request('POST', `/api/v1/cases/${id}/resolve`, {
      body: { resolution: 'x', outcome: 'solved' },
    });
    expectError(paused, 409, 'CASE.ILLEGAL_TRANSITION');
    expect(paused.body.message).toContain('status: paused');
    const last = await d.steps(id, [
      ['progress', { note: '材料已收到' }],
      ['resume'],
      ['resolve', { resolution: '已办结', outcome: 'solved' }],
    ]);
    expect(types(await get(id, last)).slice(-4)).toEqual([
      'CasePaused',
      'CaseProgressNoted',
      'CaseResumed',
      'CaseResolved',
    ]);
  });

  it('an unsatisfied callback sends the case back for rework; the second resolution is called back satisfied and closed', async () => {
    const id = await acceptedCase();
    await d.steps(id, [
      ['first-response', { message: '已联系' }],
      ['resolve', { resolution: '已协调', outcome: 'solved' }],
    ]);
    expectError(
      await t.request('POST', `/api/v1/cases/${id}/close`),
      409,
      'CASE.CALLBACK_REQUIRED',
    );
    let last = await d.steps(id, [
      ['callback', { satisfaction: 'unsatisfied', comment: '夜班仍受影响' }],
    ]);
    expect(await get(id, last)).toMatchObject({
      status: 'accepted',
      reworkedCount: 1,
      satisfaction: 'unsatisfied',
    });
    last = await d.steps(id, [
      ['resolve', { resolution: '调整了有序用电时段', outcome: 'solved' }],
      ['callback', { satisfaction: 'basically_satisfied', comment: '基本满意' }],
      ['close'],
    ]);
    const detail = await get(id, last);
    expect(detail).toMatchObject({
      status: 'closed',
      satisfaction: 'basically_satisfied',
      reworkedCount: 1,
    });
    expect(types(detail)).toEqual([
      'CaseOpened',
      'CaseDispatched',
      'CaseAccepted',
      'CaseFirstResponseRecorded',
      'CaseResolved',
      'CaseCallbackRecorded',
      'CaseReworkOrdered',
      'CaseResolved',
      'CaseCallbackRecorded',
      'CaseClosed',
    ]);
    // Closed is final, but comments are still welcome.
    expectError(
      await t.request('POST', `/api/v1/cases/${id}/supervision`, { body: { instructions: 'x' } }),
      409,
      'CASE.ILLEGAL_TRANSITION',
    );
    await d.steps(id, [['comments', { comment: '企业来信致谢' }]]);
  });

  it('withdraw when the enterprise no longer needs it; nothing more can happen', async () => {
    const { code } = await d.registerEnterprise();
    const { body: opened } = await d.openCase(code);
    await d.steps(opened.id, [
      ['dispatch', { leadDepartment: 'human_resources' }],
      ['withdraw', { reason: '企业已自行招聘到位' }],
    ]);
    const accept = await t.request('POST', `/api/v1/cases/${opened.id}/accept`);
    expectError(accept, 409, 'CASE.ILLEGAL_TRANSITION');
    expect(accept.body.message).toContain('status: withdrawn');
  });

  it('supervision (督办) is counted and filterable', async () => {
    const id = await acceptedCase();
    const last = await d.steps(id, [['supervision', { instructions: '请三个工作日内办结' }]]);
    const supervised = await t.request('GET', '/api/v1/cases?supervised=true&limit=100', {
      headers: { 'x-consistent-with': last.body.position },
    });
    expect(supervised.body.items.find((c: any) => c.id === id)).toMatchObject({
      supervisedCount: 1,
    });
    expect(supervised.body.items.every((c: any) => c.supervisedCount > 0)).toBe(true);
  });

  it('refuses unknown departments and a lead that is also a co-handler', async () => {
    const { code } = await d.registerEnterprise();
    const { body: opened } = await d.openCase(code);
    expectError(
      await t.request('POST', `/api/v1/cases/${opened.id}/dispatch`, {
        body: { leadDepartment: 'weather' },
      }),
      400,
      'CASE.UNKNOWN_DEPARTMENT',
    );
    expectError(
      await t.request('POST', `/api/v1/cases/${opened.id}/dispatch`, {
        body: { leadDepartment: 'tax', coDepartments: ['tax'] },
      }),
      400,
      'CASE.LEAD_ALSO_CO_HANDLER',
    );
  });
});

describe('the worklist', () => {
  it('filters by department as lead or co-handler, street, category, channel, priority, dates and text, and counts per status', async () => {
    const { code } = await d.registerEnterprise({ name: '园山新材料科技', street: 'yuanshan' });
    const a = await d.openCase(
      code,
      {},
      {
        category: 'logistics',
        channel: 'visit',
        priority: 'urgent',
        description: '货车限行影响出货',
      },
    );
    const b = await d.openCase(
      code,
      {},
      { category: 'tax', channel: 'online', description: '研发费用加计扣除咨询' },
    );
    await d.steps(a.body.id, [
      ['dispatch', { leadDepartment: 'development_reform', coDepartments: ['customs'] }],
    ]);
    const last = await d.steps(b.body.id, [['dispatch', { leadDepartment: 'customs' }]]);
    const ids = async (query: string) =>
      (
        await t.request('GET', `/api/v1/cases?${query}&limit=100`, {
          headers: { 'x-consistent-with': last.body.position },
        })
      ).body.items.map((c: any) => c.id);
    expect(await ids('department=customs')).toEqual(expect.arrayContaining([a.body.id, b.body.id]));
    expect(await ids('department=customs&role=lead')).toEqual(expect.arrayContaining([b.body.id]));
    expect(await ids('department=customs&role=lead')).not.toContain(a.body.id);
    expect(await ids('department=customs&role=co')).toContain(a.body.id);
    expect(await ids('street=yuanshan&category=logistics&channel=visit&priority=urgent')).toEqual([
      a.body.id,
    ]);
    expect(await ids(`q=${encodeURIComponent('加计扣除')}`)).toEqual([b.body.id]);
    expect(await ids(`q=${encodeURIComponent('园山新材料')}&sort=oldest`)).toEqual([
      a.body.id,
      b.body.id,
    ]);
    expect(await ids(`q=${encodeURIComponent('%')}`)).toEqual([]);
    expect(await ids('street=yuanshan&openedFrom=2000-01-01&openedTo=2000-01-02')).toEqual([]);
    const counts = await t.request('GET', '/api/v1/cases/counts?street=yuanshan', {
      headers: { 'x-consistent-with': last.body.position },
    });
    expect(counts.body).toMatchObject({ byStatus: { dispatched: 2 }, total: 2 });
    expect(counts.body.queues).toMatchObject({ overdue: 0, paused: 0, extensionPending: 0 });
  });

  it('pages by recent activity without losing or repeating a case', async () => {
    const { code } = await d.registerEnterprise({ street: 'pingdi' });
    let last!: Response;
    for (let i = 0; i < 5; i++) last = await d.openCase(code);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await t.request(
        'GET',
        `/api/v1/cases?street=pingdi&sort=recent_activity&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        {
          headers: { 'x-consistent-with': last.body.position },
        },
      );
      seen.push(...page.body.items.map((c: any) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });
});

describe('visits', () => {
  it('logs a visit whose problems open cases, in one request; a retry creates nothing twice', async () => {
    const { code } = await d.registerEnterprise({ name: '横岗眼镜制造', street: 'henggang' });
    const body = {
      enterpriseId: code,
      visitedOn: '2026-11-02',
      level: 'district_leader',
      officers: ['王科长', '李干事'],
      leaders: ['副区长'],
      summary: '了解扩产与用工需求',
      problems: [
        { category: 'industrial_space', description: '需要3000平方米过渡厂房', priority: 'high' },
        { category: 'recruitment', description: '急需光学工程师' },
      ],
    };
    const key = { 'idempotency-key': `visit-${code}` };
    const first = await t.request('POST', '/api/v1/visits', { body, headers: key });
    expect(first.status).toBe(201);
    expect(first.body.caseIds).toHaveLength(2);
    const again = await t.request('POST', '/api/v1/visits', { body, headers: key });
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    const consistent = { 'x-consistent-with': first.body.position };
    const visit = await t.request('GET', `/api/v1/visits/${first.body.id}`, {
      headers: consistent,
    });
    expect(visit.body).toMatchObject({
      enterpriseId: code,
      level: 'district_leader',
      officers: ['王科长', '李干事'],
      caseIds: first.body.caseIds,
    });
    const cases = await Promise.all(
      first.body.caseIds.map((id: string) =>
        t.request('GET', `/api/v1/cases/${id}`, { headers: consistent }),
      ),
    );
    expect(
      cases.map((c) => [c.body.channel, c.body.visitId, c.body.category, c.body.priority]),
    ).toEqual([
      ['visit', first.body.id, 'industrial_space', 'high'],
      ['visit', first.body.id, 'recruitment', 'normal'],
    ]);
    const list = await t.request('GET', `/api/v1/visits?enterpriseId=${code}`, {
      headers: consistent,
    });
    expect(list.body.items).toHaveLength(1);
  });

  it('counts a visit with no problem, and refuses a visit whose problem is invalid without writing anything', async () => {
    const { code } = await d.registerEnterprise({ street: 'nanwan' });
    const quiet = await t.request('POST', '/api/v1/visits', {
      body: {
        enterpriseId: code,
        visitedOn: '2026-11-03',
        level: 'street',
        officers: ['街道办张主任'],
        summary: '企业经营正常，无诉求',
      },
    });
    expect(quiet.status).toBe(201);
    expect(quiet.body.caseIds).toEqual([]);
    const bad = await t.request('POST', '/api/v1/visits', {
      body: {
        enterpriseId: code,
        visitedOn: '2026-11-03',
        level: 'department',
        officers: ['x'],
        summary: 'y',
        problems: [
          { category: 'tax', description: 'ok' },
          { category: 'weather', description: 'bad' },
        ],
      },
    });
    expectError(bad, 400, 'CASE.UNKNOWN_CATEGORY');
    expect(bad.body.errors[0].field).toBe('problems[1].category');
    const visits = await t.request('GET', '/api/v1/visits?street=nanwan', {
      headers: { 'x-consistent-with': quiet.body.position },
    });
    expect(visits.body.items).toHaveLength(1);
    const counts = await t.request('GET', '/api/v1/cases/counts?street=nanwan', {
      headers: { 'x-consistent-with': quiet.body.position },
    });
    expect(counts.body.total).toBe(0);
    const future = await t.request('POST', '/api/v1/visits', {
      body: {
        enterpriseId: code,
        visitedOn: '2099-01-01',
        level: 'street',
        officers: ['x'],
        summary: 'y',
      },
    });
    expectError(future, 400, 'VISIT.INVALID_DATE');
  });
});

describe('enterprises', () => {
  it('updates the profile, shows the enterprise 360, and archives it so no case can be opened', async () => {
    const { code } = await d.registerEnterprise({
      name: '宝龙生物医药',
      street: 'baolong',
      tags: ['high_tech'],
    });
    const updated = await t.request('PATCH', `/api/v1/enterprises/${code}`, {
      body: {
        building: '宝龙生物药创新园3栋',
        tags: ['high_tech', 'specialised_new'],
        contactPerson: '陈总',
        contactPhone: '0755-28901234',
      },
    });
    expect(updated.status).toBe(200);
    expectError(
      await t.request('PATCH', `/api/v1/enterprises/${code}`, {
        body: { building: '宝龙生物药创新园3栋' },
      }),
      400,
      'ENTERPRISE.NO_CHANGE',
    );
    const { body: opened } = await d.openCase(code);
    await d.steps(opened.id, [
      ['dispatch', { leadDepartment: 'finance' }],
      ['accept'],
      ['resolve', { resolution: '已放款', outcome: 'solved' }],
    ]);
    const last = await d.steps(opened.id, [
      ['callback', { satisfaction: 'satisfied', comment: '满意' }],
    ]);
    await t.request('POST', '/api/v1/visits', {
      body: {
        enterpriseId: code,
        visitedOn: '2026-11-04',
        level: 'department',
        officers: ['x'],
        summary: '回访',
      },
    });

    const e360 = await t.request('GET', `/api/v1/enterprises/${code}`, {
      headers: { 'x-consistent-with': last.body.position },
    });
    expect(e360.body).toMatchObject({
      building: '宝龙生物药创新园3栋',
      tags: ['high_tech', 'specialised_new'],
      contactPhone: '0755-28901234',
      caseCounts: { resolved: 1 },
      callbacks: { satisfied: 1 },
    });
    expect(e360.body.cases[0]).toMatchObject({
      id: opened.id,
      outcome: 'solved',
      satisfaction: 'satisfied',
    });

    const listed = await t.request(
      'GET',
      `/api/v1/enterprises?street=baolong&tag=specialised_new`,
      { headers: { 'x-consistent-with': last.body.position } },
    );
    expect(listed.body.items.map((e: any) => e.id)).toEqual([code]);

    const archived = await t.request('POST', `/api/v1/enterprises/${code}/archive`, {
      body: { reason: '企业迁出龙岗' },
    });
    expect(archived.status).toBe(200);
    const refused = await t.request('POST', '/api/v1/cases', {
      body: { enterpriseId: code, category: 'tax', channel: 'online', description: 'x' },
    });
    expectError(refused, 409, 'ENTERPRISE.ARCHIVED');
    const hidden = await t.request('GET', `/api/v1/enterprises?street=baolong`, {
      headers: { 'x-consistent-with': archived.body.position },
    });
    expect(hidden.body.items).toEqual([]);
  });
});

describe('reference data', () => {
  it('starts with Longgang’s 11 streets, and an admin adds or retires entries that commands then check', async () => {
    const all = await t.request('GET', '/api/v1/reference');
    expect(all.body.filter((e: any) => e.kind === 'street')).toHaveLength(11);
    expect(all.body.filter((e: any) => e.kind === 'department').length).toBeGreaterThanOrEqual(10);
    expect(all.body.filter((e: any) => e.kind === 'category')).toHaveLength(12);

    const defined = await t.request('POST', '/api/v1/reference/department', {
      body: { code: 'market_regulation', name: '市场监督管理局' },
    });
    expect(defined.status).toBe(201);
    expectError(
      await t.request('POST', '/api/v1/reference/department', {
        body: { code: 'market_regulation', name: 'x' },
      }),
      409,
      'REFERENCE.ALREADY_DEFINED',
    );
    const { code } = await d.registerEnterprise();
    const { body: opened } = await d.openCase(code);
    await d.steps(opened.id, [
      ['dispatch', { leadDepartment: 'market_regulation' }],
      ['return', { reason: 'x' }],
    ]);

    // A name corrected: the code stays (the case above keeps it), the list shows the new name.
    const renamed = await t.request('PUT', '/api/v1/reference/department/market_regulation/name', {
      body: { name: '区市场监督管理局' },
    });
    expect(renamed.status).toBe(200);
    const named = async () => {
      const list = await t.request('GET', '/api/v1/reference', {
        headers: { 'x-consistent-with': renamed.body.position },
      });
      return list.body.find((e: any) => e.kind === 'department' && e.code === 'market_regulation');
    };
    expect(await named()).toMatchObject({ name: '区市场监督管理局', active: true });
    expectError(
      await t.request('PUT', '/api/v1/reference/department/market_regulation/name', {
        body: { name: '区市场监督管理局' },
      }),
      409,
      'REFERENCE.SAME_NAME',
    );
    const same = await t.request('PUT', '/api/v1/reference/department/market_regulation/name', {
      body: { name: '区市场监督管理局' },
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(same.body.message).toBe('部门 market_regulation 的名称已是“区市场监督管理局”');
    expectError(
      await t.request('PUT', '/api/v1/reference/department/nowhere/name', { body: { name: '无' } }),
      404,
      'REFERENCE.NOT_FOUND',
    );
    expectError(
      await t.request('PUT', '/api/v1/reference/department/market_regulation/name', {
        body: { name: '' },
      }),
      400,
      'REQUEST.INVALID',
    );

    await t.request('POST', '/api/v1/reference/department/market_regulation/retire');
    expectError(
      await t.request('POST', `/api/v1/cases/${opened.id}/dispatch`, {
        body: { leadDepartment: 'market_regulation' },
      }),
      400,
      'CASE.UNKNOWN_DEPARTMENT',
    );
    expectError(
      await t.request('POST', '/api/v1/reference/planet', { body: { code: 'mars', name: '火星' } }),
      400,
      'REQUEST.INVALID',
    );
  });
});

describe('campaigns', () => {
  it('measures coverage: target enterprises visited in the period, per street and per building', async () => {
    const building = `华南城${Date.now()}栋`;
    const a = await d.registerEnterprise({ street: 'pinghu', building });
    const b = await d.registerEnterprise({ street: 'pinghu', building });
    await d.registerEnterprise({ street: 'pinghu', building });
    const c = await d.registerEnterprise({ street: 'buji' });
    const visit = (code: string, visitedOn: string) =>
      t.request('POST', '/api/v1/visits', {
        body: {
          enterpriseId: code,
          visitedOn,
          level: 'street',
          officers: ['网格员'],
          summary: '扫楼',
        },
      });
    await visit(a.code, '2026-10-15');
    await visit(b.code, '2026-09-30'); // before the campaign: does not count
    const last = await visit(c.code, '2026-10-31');

    const created = await t.request('POST', '/api/v1/campaigns', {
      body: {
        name: '平湖秋季扫楼',
        startsOn: '2026-10-01',
        endsOn: '2026-10-31',
        buildings: [building],
        enterpriseIds: [c.code],
      },
    });
    expect(created.status).toBe(201);
    const campaign = await t.request('GET', `/api/v1/campaigns/${created.body.id}`, {
      headers: { 'x-consistent-with': created.body.position },
    });
    expect(campaign.status).toBe(200);
    expect(last.status).toBe(201);
    expect(campaign.body.total).toEqual({
      street: null,
      building: null,
      targets: 4,
      visited: 2,
      coverage: 0.5,
    });
    expect(campaign.body.streets).toEqual([
      { street: 'buji', building: null, targets: 1, visited: 1, coverage: 1 },
      { street: 'pinghu', building: null, targets: 3, visited: 1, coverage: 0.3333 },
    ]);
    expect(campaign.body.buildingsCoverage).toEqual([
      { street: 'buji', building: '', targets: 1, visited: 1, coverage: 1 },
      { street: 'pinghu', building, targets: 3, visited: 1, coverage: 0.3333 },
    ]);

    const refused = await t.request('POST', '/api/v1/campaigns', {
      body: { name: 'x', startsOn: '2026-10-31', endsOn: '2026-10-01', buildings: ['y'] },
    });
    expectError(refused, 400, 'CAMPAIGN.INVALID_PERIOD');
    expectError(
      await t.request('POST', '/api/v1/campaigns', {
        body: { name: 'x', startsOn: '2026-10-01', endsOn: '2026-10-02' },
      }),
      400,
      'CAMPAIGN.NO_TARGETS',
    );
    const closed = await t.request('POST', `/api/v1/campaigns/${created.body.id}/close`);
    expect(closed.status).toBe(200);
    expectError(
      await t.request('POST', `/api/v1/campaigns/${created.body.id}/close`),
      409,
      'CAMPAIGN.ALREADY_CLOSED',
    );
  });
});

describe('optimistic concurrency on enterprises', () => {
  it('honours If-Match on a profile update: a stale version answers 412 and changes nothing', async () => {
    const { code } = await d.registerEnterprise({ street: 'jihua' });
    const first = await t.request('PATCH', `/api/v1/enterprises/${code}`, {
      body: { building: 'A栋' },
      headers: { 'if-match': '"0"' },
    });
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe('"1"');
    const stale = await t.request('PATCH', `/api/v1/enterprises/${code}`, {
      body: { building: 'B栋' },
      headers: { 'if-match': '"0"' },
    });
    expectError(stale, 412, 'STREAM.PRECONDITION_FAILED');
    const now = await t.request('GET', `/api/v1/enterprises/${code}`, {
      headers: { 'x-consistent-with': first.body.position },
    });
    expect(now.body).toMatchObject({ building: 'A栋', version: 1 });
    expect(now.headers.etag).toBe('"1"');
  });
});

describe('idempotency keys', () => {
  it('refuses a key reused for a different request with 422, and still replays the same request', async () => {
    const { code } = await d.registerEnterprise({ street: 'yuanshan' });
    const key = { 'idempotency-key': `key-${code}` };
    const first = await t.request('POST', '/api/v1/cases', {
      body: { enterpriseId: code, category: 'tax', channel: 'online', description: '第一件' },
      headers: key,
    });
    expect(first.status).toBe(201);
    const other = await t.request('POST', '/api/v1/cases', {
      body: { enterpriseId: code, category: 'tax', channel: 'online', description: '另一件' },
      headers: key,
    });
    expectError(other, 422, 'IDEMPOTENCY.KEY_REUSED');
    // Keys belong to their account: another user's same key is another request.
    const byOther = await t.request('POST', '/api/v1/cases', {
      body: { enterpriseId: code, category: 'tax', channel: 'online', description: '第一件' },
      headers: key,
      as: 'officer',
    });
    expect(byOther.status).toBe(201);
    expect(byOther.body.id).not.toBe(first.body.id);
    const same = await t.request('POST', '/api/v1/cases', {
      body: { enterpriseId: code, category: 'tax', channel: 'online', description: '第一件' },
      headers: key,
    });
    expect(same.body).toEqual(first.body);

    const step = { 'idempotency-key': `step-${first.body.id}` };
    expect(
      (
        await t.request('POST', `/api/v1/cases/${first.body.id}/comments`, {
          body: { comment: 'a' },
          headers: step,
        })
      ).status,
    ).toBe(200);
    expectError(
      await t.request('POST', `/api/v1/cases/${first.body.id}/comments`, {
        body: { comment: 'b' },
        headers: step,
      }),
      422,
      'IDEMPOTENCY.KEY_REUSED',
    );

    const visitKey = { 'idempotency-key': `visit-key-${code}` };
    const visit = (summary: string) =>
      t.request('POST', '/api/v1/visits', {
        body: {
          enterpriseId: code,
          visitedOn: '2026-11-05',
          level: 'street',
          officers: ['x'],
          summary,
        },
        headers: visitKey,
      });
    expect((await visit('第一次')).status).toBe(201);
    expectError(await visit('第二次'), 422, 'IDEMPOTENCY.KEY_REUSED');
  });
});
