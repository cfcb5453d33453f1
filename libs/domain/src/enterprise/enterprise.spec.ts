import {
  enterpriseDecider,
  EnterpriseErrors,
  type EnterpriseArchived,
  type EnterpriseRegistered,
  type RegisterEnterprise,
} from './enterprise.js';
import { specificationFor } from '../testing/specification.js';
import { aCatalogue, aCreditCode, at, T0 } from '../testing/builders.js';

const spec = specificationFor(enterpriseDecider);
const catalogue = aCatalogue();
const code = aCreditCode(7);
const register = (data: Partial<RegisterEnterprise['data']> = {}): RegisterEnterprise => ({
  type: 'RegisterEnterprise',
  data: { creditCode: code, name: '深圳市坂田电子有限公司', street: 'bantian', catalogue, ...data },
  now: T0,
});
const registered: EnterpriseRegistered = {
  type: 'EnterpriseRegistered',
  data: {
    enterpriseId: code,
    creditCode: code,
    name: '深圳市坂田电子有限公司',
    street: 'bantian',
    building: null,
    industryCluster: null,
    tags: [],
    contactPerson: null,
    contactPhone: null,
    registeredAt: T0.toISOString(),
  },
};
const archived: EnterpriseArchived = {
  type: 'EnterpriseArchived',
  data: { enterpriseId: code, reason: '企业注销', at: at(5).toISOString() },
};
const update = (changes: object) => ({
  type: 'UpdateEnterpriseProfile' as const,
  data: { changes, catalogue },
  now: at(3),
});

describe('enterprise', () => {
  describe('RegisterEnterprise', () => {
    it('registers a new enterprise under its credit code', () =>
      spec.given([]).when(register()).then([registered]));

    it('keeps the full profile: building, cluster, tags, contact', () =>
      spec
        .given([])
        .when(
          register({
            building: '天安云谷2栋',
            industryCluster: '新一代信息技术',
            tags: ['listed', 'high_tech', 'listed'],
            contactPerson: '李经理',
            contactPhone: '138 0013 8000',
          }),
        )
        .then([
          {
            ...registered,
            data: {
              ...registered.data,
              building: '天安云谷2栋',
              industryCluster: '新一代信息技术',
              tags: ['high_tech', 'listed'],
              contactPerson: '李经理',
              contactPhone: '13800138000',
            },
          },
        ]));

    it('normalises the credit code and trims names', () =>
      spec
        .given([])
        .when(register({ creditCode: ` ${code.toLowerCase()} `, name: ' 深圳市坂田电子有限公司 ' }))
        .then([registered]));

    it('refuses a second registration of the same code, naming the existing enterprise', () =>
      spec
        .given([registered])
        .when(register({ name: 'Other' }))
        .thenThrows(EnterpriseErrors.alreadyRegistered, '深圳市坂田电子有限公司'));

    it('refuses a wrong check character', () => {
      const wrong = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
      spec
        .given([])
        .when(register({ creditCode: wrong }))
        .thenThrows(EnterpriseErrors.invalidCreditCode, 'check character');
    });

    it('refuses a street that is not configured, listing the streets', () =>
      spec
        .given([])
        .when(register({ street: 'futian' }))
        .thenThrows(EnterpriseErrors.unknownStreet, 'bantian'));

    it('refuses a blank name and a malformed phone', () => {
      spec
        .given([])
        .when(register({ name: '   ' }))
        .thenThrows(EnterpriseErrors.invalidText);
      spec
        .given([])
        .when(register({ contactPhone: '12345' }))
        .thenThrows(EnterpriseErrors.invalidPhone);
    });

    it('accepts a landline with its area code', () =>
      spec
        .given([])
        .when(register({ contactPhone: '0755-28901234' }))
        .then([{ ...registered, data: { ...registered.data, contactPhone: '0755-28901234' } }]));
  });

  describe('UpdateEnterpriseProfile', () => {
    it('records only the fields that change', () =>
      spec
        .given([registered])
        .when(update({ name: '深圳市坂田电子有限公司', street: 'buji', tags: ['specialised_new'] }))
        .then([
          {
            type: 'EnterpriseProfileUpdated',
            data: {
              enterpriseId: code,
              changes: { street: 'buji', tags: ['specialised_new'] },
              at: at(3).toISOString(),
            },
          },
        ]));

    it('refuses an update that changes nothing', () =>
      spec
        .given([registered])
        .when(update({ street: 'bantian' }))
        .thenThrows(EnterpriseErrors.noChange));

    it('refuses an unregistered or archived enterprise', () => {
      spec
        .given([])
        .when(update({ street: 'buji' }))
        .thenThrows(EnterpriseErrors.notFound);
      spec
        .given([registered, archived])
        .when(update({ street: 'buji' }))
        .thenThrows(EnterpriseErrors.archived);
    });

    it('refuses an unknown street', () =>
      spec
        .given([registered])
        .when(update({ street: 'mars' }))
        .thenThrows(EnterpriseErrors.unknownStreet));
  });

  describe('ArchiveEnterprise', () => {
    it('archives with a reason', () =>
      spec
        .given([registered])
        .when({ type: 'ArchiveEnterprise', data: { reason: '企业注销' }, now: at(5) })
        .then([archived]));
    it('refuses to archive twice or without a reason', () => {
      spec
        .given([registered, archived])
        .when({ type: 'ArchiveEnterprise', data: { reason: 'x' }, now: at(6) })
        .thenThrows(EnterpriseErrors.archived);
      spec
        .given([registered])
        .when({ type: 'ArchiveEnterprise', data: { reason: ' ' }, now: at(6) })
        .thenThrows(EnterpriseErrors.invalidText);
    });
    it('refuses an unregistered enterprise', () =>
      spec
        .given([])
        .when({ type: 'ArchiveEnterprise', data: { reason: 'x' }, now: at(6) })
        .thenThrows(EnterpriseErrors.notFound));
  });
});
