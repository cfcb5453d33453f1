import { AccessErrors, authorizeOnCase, caseScopeOf, type Principal } from './access.js';
import { caseDecider, type CaseState } from '../case/case.js';
import type { CaseEvent } from '../case/case-events.js';

const handler = (department: string): Principal => ({
  userId: `u-${department}`,
  username: department,
  displayName: department,
  role: 'handler',
  department,
  street: null,
});
const caseId = 'c-1';
const at = '2026-11-16T02:00:00.000Z';
const opened: CaseEvent = {
  type: 'CaseOpened',
  data: {
    caseId,
    enterpriseId: 'e',
    enterpriseName: 'E',
    street: 'buji',
    category: 'tax',
    channel: 'hotline',
    priority: 'normal',
    description: 'd',
    visitId: null,
    at,
  },
};
const dispatched: CaseEvent = {
  type: 'CaseDispatched',
  data: { caseId, leadDepartment: 'tax', coDepartments: ['housing'], at },
};
const transferred: CaseEvent = {
  type: 'CaseTransferred',
  data: { caseId, fromDepartment: 'tax', toDepartment: 'finance', reason: 'r', at },
};
const stateOf = (events: CaseEvent[]): CaseState =>
  events.reduce(caseDecider.evolve, caseDecider.initialState());
const refusal = (fn: () => void) => {
  try {
    fn();
    return null;
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('who may act on a case, on the state decided on', () => {
  const scope = (events: CaseEvent[]) => caseScopeOf(stateOf(events), 'officer-1');

  it('lets the lead department take lead steps and co-handlers contribute', () => {
    expect(
      refusal(() => authorizeOnCase(handler('tax'), 'case.lead', scope([opened, dispatched]))),
    ).toBeNull();
    expect(
      refusal(() =>
        authorizeOnCase(handler('housing'), 'case.contribute', scope([opened, dispatched])),
      ),
    ).toBeNull();
    expect(
      refusal(() => authorizeOnCase(handler('housing'), 'case.lead', scope([opened, dispatched]))),
    ).toBe(AccessErrors.notLead);
  });

  it('after a transfer, the old lead department may only read the case (handled by us)', () => {
    const after = scope([opened, dispatched, transferred]);
    expect(refusal(() => authorizeOnCase(handler('tax'), 'case.comment', after))).toBe(
      AccessErrors.readOnly,
    );
    expect(refusal(() => authorizeOnCase(handler('tax'), 'case.lead', after))).toBe(
      AccessErrors.readOnly,
    );
    expect(refusal(() => authorizeOnCase(handler('tax'), 'case.read', after))).toBeNull();
    expect(refusal(() => authorizeOnCase(handler('customs'), 'case.read', after))).toBe(
      AccessErrors.caseNotFound,
    );
    expect(refusal(() => authorizeOnCase(handler('finance'), 'case.lead', after))).toBeNull();
  });

  it('lets the lead department or a dispatcher transfer, and no one else', () => {
    const now = scope([opened, dispatched]);
    const as = (role: Principal['role']): Principal => ({
      ...handler('x'),
      role,
      department: null,
    });
    expect(refusal(() => authorizeOnCase(handler('tax'), 'case.transfer', now))).toBeNull();
    expect(refusal(() => authorizeOnCase(as('dispatcher'), 'case.transfer', now))).toBeNull();
    expect(refusal(() => authorizeOnCase(handler('housing'), 'case.transfer', now))).toBe(
      AccessErrors.notLead,
    );
    expect(refusal(() => authorizeOnCase(handler('customs'), 'case.transfer', now))).toBe(
      AccessErrors.caseNotFound,
    );
    expect(refusal(() => authorizeOnCase(as('leader'), 'case.transfer', now))).toBe(
      AccessErrors.denied,
    );
    expect(refusal(() => authorizeOnCase(as('officer'), 'case.transfer', now))).toBe(
      AccessErrors.denied,
    );
    // The dispatcher's transfer is the lead's transfer: it still needs a lead to transfer from.
    expect(refusal(() => authorizeOnCase(as('dispatcher'), 'case.lead', now))).toBe(
      AccessErrors.denied,
    );
  });

  it('refuses by role first, and a missing case as not found', () => {
    expect(refusal(() => authorizeOnCase(handler('tax'), 'case.dispatch', scope([opened])))).toBe(
      AccessErrors.denied,
    );
    expect(refusal(() => authorizeOnCase(handler('tax'), 'case.comment', scope([])))).toBe(
      AccessErrors.caseNotFound,
    );
  });
});
