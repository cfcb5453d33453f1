import {
  enterpriseDecider,
  EnterpriseErrors,
  type EnterpriseRegistered,
  type RegisterEnterprise,
} from './enterprise.js';
import { specificationFor } from '../testing/specification.js';
import { aCreditCode, T0 } from '../testing/builders.js';

const spec = specificationFor(enterpriseDecider);
const code = aCreditCode(7);
const register = (data: Partial<RegisterEnterprise['data']> = {}): RegisterEnterprise => ({
  type: 'RegisterEnterprise',
  data: { creditCode: code, name: '深圳市坂田电子有限公司', street: '坂田', ...data },
  now: T0,
});
const registered: EnterpriseRegistered = {
  type: 'EnterpriseRegistered',
  data: {
    enterpriseId: code,
    creditCode: code,
    name: '深圳市坂田电子有限公司',
    street: '坂田',
    registeredAt: T0.toISOString(),
  },
};

describe('enterprise', () => {
  it('registers a new enterprise under its credit code', () => {
    spec.given([]).when(register()).then([registered]);
  });

  it('normalises the credit code and trims names', () => {
    spec
      .given([])
      .when(register({ creditCode: ` ${code.toLowerCase()} `, name: ' 深圳市坂田电子有限公司 ' }))
      .then([registered]);
  });

  it('refuses a second registration of the same code, naming the existing enterprise', () => {
    spec
      .given([registered])
      .when(register({ name: 'Other' }))
      .thenThrows(EnterpriseErrors.alreadyRegistered, '深圳市坂田电子有限公司');
  });

  it('refuses a wrong check character', () => {
    const wrong = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
    spec
      .given([])
      .when(register({ creditCode: wrong }))
      .thenThrows(EnterpriseErrors.invalidCreditCode, 'check character');
  });

  it('refuses a blank name or street', () => {
    spec
      .given([])
      .when(register({ name: '   ' }))
      .thenThrows(EnterpriseErrors.invalidName);
    spec
      .given([])
      .when(register({ street: '' }))
      .thenThrows(EnterpriseErrors.invalidStreet);
  });
});
