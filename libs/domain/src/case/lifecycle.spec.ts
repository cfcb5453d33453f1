import type { CaseEvent } from './case-events.js';
import { evolveLifecycle, isSolved, type CaseLifecycle } from './lifecycle.js';

const caseId = 'c-1';
const at = (m: number) => new Date(Date.UTC(2026, 10, 16, 2, m)).toISOString();
const history: CaseEvent[] = [
  {
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
      at: at(0),
    },
  },
  {
    type: 'CaseDispatched',
    data: { caseId, leadDepartment: 'tax', coDepartments: ['industry_it', 'housing'], at: at(1) },
  },
  { type: 'CaseAccepted', data: { caseId, department: 'tax', at: at(2) } },
  { type: 'CaseResolved', data: { caseId, resolution: 'r', outcome: 'solved', at: at(3) } },
  {
    type: 'CaseCallbackRecorded',
    data: { caseId, satisfaction: 'unsatisfied', comment: 'c', at: at(4) },
  },
  { type: 'CaseReworkOrdered', data: { caseId, reason: 'c', at: at(4) } },
];
const fold = (events: readonly CaseEvent[]) =>
  events.reduce<CaseLifecycle | null>((s, e) => evolveLifecycle(s, e), null)!;

describe('the case lifecycle', () => {
  it('is solved once resolved as solved, and no longer after rework is ordered', () => {
    const resolved = fold(history.slice(0, 4));
    expect(resolved).toMatchObject({ status: 'resolved', resolution: { outcome: 'solved' } });
    expect(isSolved(resolved)).toBe(true);
    const reworked = fold(history);
    expect(reworked).toMatchObject({
      status: 'accepted',
      resolution: null,
      satisfaction: 'unsatisfied',
      leadDepartment: 'tax',
    });
    expect(isSolved(reworked)).toBe(false);
  });

  it('a transfer names the new lead and drops it from the co-handlers, with any pending extension', () => {
    const c = fold([
      ...history.slice(0, 3),
      {
        type: 'CaseExtensionRequested',
        data: { caseId, reason: 'r', requestedDueAt: at(500), at: at(3) },
      },
      {
        type: 'CaseTransferred',
        data: { caseId, fromDepartment: 'tax', toDepartment: 'housing', reason: 'r', at: at(4) },
      },
    ]);
    expect(c).toMatchObject({
      status: 'dispatched',
      leadDepartment: 'housing',
      coDepartments: ['industry_it'],
      pendingExtension: null,
    });
  });

  it('keeps a fold’s own columns and refuses an event before CaseOpened', () => {
    const opened = { ...fold(history.slice(0, 1)), mine: 42 };
    expect(evolveLifecycle(opened, history[1]!)).toMatchObject({ mine: 42, status: 'dispatched' });
    expect(() => evolveLifecycle(null, history[1]!)).toThrow('before CaseOpened');
  });
});
