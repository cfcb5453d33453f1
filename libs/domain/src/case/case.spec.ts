import {
  caseDecider,
  CaseErrors,
  type CaseAssigned,
  type CaseFirstResponseRecorded,
  type CaseOpened,
  type CaseResolved,
  type OpenCase,
} from './case.js';
import { EnterpriseErrors } from '../enterprise/enterprise.js';
import { specificationFor } from '../testing/specification.js';
import { aCreditCode, at } from '../testing/builders.js';

const spec = specificationFor(caseDecider);
const caseId = '2b0b7d4e-8c47-4f0e-9d53-1c3c1f6b8a01';
const enterprise = { enterpriseId: aCreditCode(1), name: '平湖物流有限公司', street: '平湖' };

const open = (data: Partial<OpenCase['data']> = {}): OpenCase => ({
  type: 'OpenCase',
  data: {
    caseId,
    category: 'power_supply',
    description: '有序用电方案影响二期产线',
    enterprise,
    ...data,
  },
  now: at(0),
});
const opened: CaseOpened = {
  type: 'CaseOpened',
  data: {
    caseId,
    enterpriseId: enterprise.enterpriseId,
    enterpriseName: enterprise.name,
    street: '平湖',
    category: 'power_supply',
    description: '有序用电方案影响二期产线',
    openedAt: at(0).toISOString(),
  },
};
const assigned: CaseAssigned = {
  type: 'CaseAssigned',
  data: { caseId, department: '供电局', assignedAt: at(5).toISOString() },
};
const responded: CaseFirstResponseRecorded = {
  type: 'CaseFirstResponseRecorded',
  data: { caseId, message: '已联系企业，明日上门', respondedAt: at(60).toISOString() },
};
const resolved: CaseResolved = {
  type: 'CaseResolved',
  data: { caseId, resolution: '调整有序用电时段', resolvedAt: at(600).toISOString() },
};

const assign = { type: 'AssignCase', data: { department: '供电局' }, now: at(5) } as const;
const respond = {
  type: 'RecordFirstResponse',
  data: { message: '已联系企业，明日上门' },
  now: at(60),
} as const;
const resolve = {
  type: 'ResolveCase',
  data: { resolution: '调整有序用电时段' },
  now: at(600),
} as const;

describe('case', () => {
  describe('OpenCase', () => {
    it('opens a case for a registered enterprise', () =>
      spec.given([]).when(open()).then([opened]));
    it('refuses an unregistered enterprise', () =>
      spec
        .given([])
        .when(open({ enterprise: null }))
        .thenThrows(EnterpriseErrors.notFound));
    it('refuses a category outside the catalogue', () =>
      spec
        .given([])
        .when(open({ category: 'weather' }))
        .thenThrows(CaseErrors.unknownCategory, 'power_supply'));
    it('refuses control characters in a description', () =>
      spec
        .given([])
        .when(open({ description: 'bad\u0000text' }))
        .thenThrows(CaseErrors.invalidDescription, 'control'));
    it('refuses an empty description', () =>
      spec
        .given([])
        .when(open({ description: ' ' }))
        .thenThrows(CaseErrors.invalidDescription));
    it('refuses to open the same case twice', () =>
      spec.given([opened]).when(open()).thenThrows(CaseErrors.alreadyExists));
  });

  describe('AssignCase', () => {
    it('assigns an open case to a lead department', () =>
      spec.given([opened]).when(assign).then([assigned]));
    it('refuses a case that does not exist', () =>
      spec.given([]).when(assign).thenThrows(CaseErrors.notFound));
    it('refuses an assigned case, naming its department', () =>
      spec.given([opened, assigned]).when(assign).thenThrows(CaseErrors.alreadyAssigned, '供电局'));
    it('refuses a resolved case', () =>
      spec.given([opened, assigned, resolved]).when(assign).thenThrows(CaseErrors.alreadyResolved));
    it('refuses a blank department', () =>
      spec
        .given([opened])
        .when({ ...assign, data: { department: '' } })
        .thenThrows(CaseErrors.invalidDepartment));
  });

  describe('RecordFirstResponse', () => {
    it('records the first response of an assigned case', () =>
      spec.given([opened, assigned]).when(respond).then([responded]));
    it('refuses before assignment, saying the case is open', () =>
      spec.given([opened]).when(respond).thenThrows(CaseErrors.notAssigned, 'status: open'));
    it('refuses a second first response', () =>
      spec
        .given([opened, assigned, responded])
        .when(respond)
        .thenThrows(CaseErrors.alreadyResponded));
    it('refuses a resolved case', () =>
      spec
        .given([opened, assigned, resolved])
        .when(respond)
        .thenThrows(CaseErrors.alreadyResolved));
    it('refuses a case that does not exist', () =>
      spec.given([]).when(respond).thenThrows(CaseErrors.notFound));
    it('refuses an empty message', () =>
      spec
        .given([opened, assigned])
        .when({ ...respond, data: { message: '' } })
        .thenThrows(CaseErrors.invalidMessage));
  });

  describe('ResolveCase', () => {
    it('resolves a responded case', () =>
      spec.given([opened, assigned, responded]).when(resolve).then([resolved]));
    it('resolves an assigned case answered by its resolution', () =>
      spec.given([opened, assigned]).when(resolve).then([resolved]));
    it('refuses an unassigned case', () =>
      spec.given([opened]).when(resolve).thenThrows(CaseErrors.notAssigned));
    it('refuses to resolve twice', () =>
      spec
        .given([opened, assigned, resolved])
        .when(resolve)
        .thenThrows(CaseErrors.alreadyResolved));
    it('refuses a case that does not exist', () =>
      spec.given([]).when(resolve).thenThrows(CaseErrors.notFound));
    it('refuses an empty resolution', () =>
      spec
        .given([opened, assigned])
        .when({ ...resolve, data: { resolution: ' ' } })
        .thenThrows(CaseErrors.invalidResolution));
  });
});
