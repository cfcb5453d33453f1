import { decideVisit, visitDecider, VisitErrors, type LogVisit } from './visit.js';
import { CaseErrors } from '../case/case.js';
import { EnterpriseErrors } from '../enterprise/enterprise.js';
import { specificationFor } from '../testing/specification.js';
import { aCatalogue, aCreditCode, T0 } from '../testing/builders.js';

const spec = specificationFor(visitDecider);
const enterprise = {
  enterpriseId: aCreditCode(3),
  name: '布吉精密制造',
  street: 'buji',
  archived: false,
};
const log = (data: Partial<LogVisit['data']> = {}): LogVisit => ({
  type: 'LogVisit',
  data: {
    visitId: 'v-1',
    enterprise,
    visitedOn: '2026-11-20',
    level: 'district_leader',
    officers: ['王科长'],
    leaders: ['区长'],
    summary: '了解扩产用地需求',
    problems: [
      {
        caseId: 'c-1',
        category: 'industrial_space',
        description: '需要过渡厂房',
        priority: 'high',
      },
      { caseId: 'c-2', category: 'financing', description: '设备贷款', priority: 'normal' },
    ],
    catalogue: aCatalogue(),
    ...data,
  },
  now: T0, // 2026-11-20 10:00 in Shenzhen
});

describe('visit', () => {
  it('logs a visit with the cases its problems open', () => {
    const { visit, cases } = decideVisit(log(), visitDecider.initialState());
    expect(visit).toEqual([
      {
        type: 'VisitLogged',
        data: {
          visitId: 'v-1',
          enterpriseId: enterprise.enterpriseId,
          enterpriseName: '布吉精密制造',
          street: 'buji',
          visitedOn: '2026-11-20',
          level: 'district_leader',
          officers: ['王科长'],
          leaders: ['区长'],
          summary: '了解扩产用地需求',
          caseIds: ['c-1', 'c-2'],
          at: T0.toISOString(),
        },
      },
    ]);
    expect(
      cases.map((c) => [
        c.caseId,
        c.events.map((e) => e.type),
        ((e) => e.channel + '/' + e.visitId)(
          c.events[0]!.data as { channel: string; visitId: string },
        ),
      ]),
    ).toEqual([
      ['c-1', ['CaseOpened'], 'visit/v-1'],
      ['c-2', ['CaseOpened'], 'visit/v-1'],
    ]);
  });

  it('logs a visit with no problem: it still counts', () => {
    const { visit, cases } = decideVisit(log({ problems: [] }), visitDecider.initialState());
    expect(visit[0]!.data.caseIds).toEqual([]);
    expect(cases).toEqual([]);
  });

  it('refuses a visit logged twice', () =>
    spec
      .given([
        { type: 'VisitLogged', data: { ...decideVisit(log(), { status: 'none' }).visit[0]!.data } },
      ])
      .when(log())
      .thenThrows(VisitErrors.alreadyLogged));

  it('refuses an unregistered enterprise, a future date and no officer', () => {
    spec
      .given([])
      .when(log({ enterprise: null }))
      .thenThrows(EnterpriseErrors.notFound);
    spec
      .given([])
      .when(log({ visitedOn: '2026-11-21' }))
      .thenThrows(VisitErrors.invalidDate, '2026-11-20');
    spec
      .given([])
      .when(log({ visitedOn: '20/11/2026' }))
      .thenThrows(VisitErrors.invalidDate);
    spec
      .given([])
      .when(log({ officers: [] }))
      .thenThrows(VisitErrors.invalidPeople);
  });

  it('refuses the whole visit when one problem is invalid, naming the problem', () => {
    const bad = log({
      problems: [{ caseId: 'c-1', category: 'weather', description: 'x', priority: 'normal' }],
    });
    expect(() => decideVisit(bad, visitDecider.initialState())).toThrow(
      expect.objectContaining({ code: CaseErrors.unknownCategory, field: 'problems[0].category' }),
    );
  });
});
