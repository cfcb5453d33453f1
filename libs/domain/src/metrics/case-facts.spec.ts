import type { CaseEvent } from '../case/case-events.js';
import { CALENDAR_2026 } from '../testing/calendar-2026.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import { evolveFacts, slaOf, type CaseFacts } from './case-facts.js';
import { contributionsOf, sameContributions } from './contributions.js';
import { bucketOf, quantileOf, HISTOGRAM_BUCKETS } from './histogram.js';
import { ratesOf, scoreOf } from './rates.js';

const calendar = new WorkingCalendar(CALENDAR_2026);
const sz = (local: string) => new Date(`${local}:00+08:00`).toISOString();
const caseId = 'c-1';
const ev = (type: string, local: string, extra: object = {}) =>
  ({ type, data: { caseId, at: sz(local), ...extra } }) as CaseEvent;
const opened = ev('CaseOpened', '2026-11-16T10:00', {
  enterpriseId: 'e',
  enterpriseName: 'E',
  street: 'buji',
  category: 'tax',
  channel: 'visit',
  priority: 'normal',
  description: 'long text',
  visitId: 'v',
  visitLevel: 'district_leader',
});
const factsOf = (events: CaseEvent[]) =>
  events.reduce<CaseFacts | null>((f, e) => evolveFacts(f, e), null)!;

describe('case facts and their metric contributions', () => {
  const history = [
    opened,
    ev('CaseDispatched', '2026-11-16T10:30', { leadDepartment: 'tax', coDepartments: ['finance'] }),
    ev('CaseAccepted', '2026-11-16T11:00', { department: 'tax' }),
    ev('CaseFirstResponseRecorded', '2026-11-16T17:00', { message: 'm' }),
    ev('CaseResolved', '2026-11-18T10:00', { resolution: 'r', outcome: 'partly_solved' }),
    ev('CaseCallbackRecorded', '2026-11-18T11:00', {
      satisfaction: 'basically_satisfied',
      comment: 'c',
    }),
  ];

  it('counts a case answered the same day and resolved in time in every dimension it belongs to', () => {
    const facts = factsOf(history);
    const sla = slaOf(facts, calendar, []);
    expect(sla).toMatchObject({
      firstResponseOnTime: true,
      firstResponseMinutes: 300,
      resolvedOnTime: true,
      resolutionMinutes: 360 + 420 + 60,
      nextAlertAt: null,
    });
    const cells = contributionsOf(facts, sla);
    expect(cells.map((c) => `${c.dimension}/${c.key}`).sort()).toEqual([
      'category/tax',
      'channel/visit',
      'co_department/finance',
      'district/all',
      'lead_department/tax',
      'street/buji',
      'visit_level/district_leader',
    ]);
    expect(cells.every((c) => c.day === '2026-11-16')).toBe(true);
    const rates = ratesOf(cells[0]!.counters);
    expect(rates).toEqual({
      sameDayResponseRate: 1,
      responseRate: 1,
      resolutionRate: 1,
      onTimeResolutionRate: 1,
      satisfactionRate: 1,
    });
    expect(scoreOf(rates)).toBe(100);
  });

  it('tells a comment, which moves no metric, from a step that does', () => {
    const upTo = (n: number, ...more: CaseEvent[]) => {
      const facts = factsOf([...history.slice(0, n), ...more]);
      return contributionsOf(facts, slaOf(facts, calendar, []));
    };
    const accepted = upTo(3);
    const comment = ev('CaseCommented', '2026-11-16T12:00', { comment: '请加快' });
    expect(sameContributions(accepted, upTo(3, comment))).toBe(true);
    // The first response moves the response counters and its histogram bucket.
    expect(sameContributions(accepted, upTo(4))).toBe(false);
    // A counter alone, a bucket alone, a missing cell.
    const changed = (f: (c: (typeof accepted)[number]) => void) =>
      accepted.map((c, i) => {
        const copy = { ...c, counters: { ...c.counters } };
        if (i === accepted.length - 1) f(copy);
        return copy;
      });
    expect(
      sameContributions(
        accepted,
        changed((c) => (c.counters.escalated = 1)),
      ),
    ).toBe(false);
    expect(
      sameContributions(
        accepted,
        changed((c) => (c.responseBucket = 3)),
      ),
    ).toBe(false);
    expect(sameContributions(accepted, accepted.slice(1))).toBe(false);
    expect(
      sameContributions(
        accepted,
        changed(() => {}),
      ),
    ).toBe(true);
  });

  it('keeps no long texts in the stored history', () => {
    expect(JSON.stringify(factsOf(history).history)).not.toContain('long text');
  });

  it('counts a return against the department that returned the case', () => {
    const facts = factsOf([
      opened,
      ev('CaseDispatched', '2026-11-16T10:30', { leadDepartment: 'tax', coDepartments: [] }),
      ev('CaseReturned', '2026-11-16T11:00', { department: 'tax', reason: 'r' }),
      ev('CaseDispatched', '2026-11-16T11:30', { leadDepartment: 'finance', coDepartments: [] }),
    ]);
    const cells = contributionsOf(facts, slaOf(facts, calendar, []));
    const lead = (key: string) =>
      cells.find((c) => c.dimension === 'lead_department' && c.key === key)!.counters;
    expect([lead('tax').returned, lead('tax').received]).toEqual([1, 0]);
    expect([lead('finance').returned, lead('finance').received]).toEqual([0, 1]);
  });

  it('counts a case sent back for rework as reopened and no longer solved or resolved', () => {
    const resolvedOnce = history.filter((e) => e.type !== 'CaseCallbackRecorded');
    const reworked = factsOf([
      ...resolvedOnce,
      ev('CaseCallbackRecorded', '2026-11-18T11:00', { satisfaction: 'unsatisfied', comment: 'c' }),
      ev('CaseReworkOrdered', '2026-11-18T11:00', { reason: 'c' }),
    ]);
    expect(reworked).toMatchObject({ status: 'accepted', resolution: null, reworked: 1 });
    const sla = slaOf(reworked, calendar, []);
    expect(sla.resolvedAt).toBeNull();
    const district = contributionsOf(reworked, sla).find((c) => c.dimension === 'district')!;
    expect(district.counters).toMatchObject({
      solved: 0,
      resolutionDue: 0,
      reopened: 1,
      callbacks: 1,
      satisfied: 0,
    });
    expect(district.resolutionBucket).toBeNull();
  });

  it('asks the clock worker back at the next warning', () => {
    const facts = factsOf([opened]);
    expect(slaOf(facts, calendar, []).nextAlertAt).toBe(sz('2026-11-16T16:00'));
  });
});

describe('working-time histograms', () => {
  it('finds the median and p90 to the bucket', () => {
    const h = new Array<number>(HISTOGRAM_BUCKETS).fill(0);
    for (const m of [3, 7, 12, 40, 100, 200, 300, 500, 900, 5000]) h[bucketOf(m)]!++;
    expect(quantileOf(h, 0.5)).toBe(105); // the 5th of 10: 100 minutes, in the 90–105 bucket
    expect(quantileOf(h, 0.9)).toBe(900);
    expect(quantileOf(new Array<number>(HISTOGRAM_BUCKETS).fill(0), 0.5)).toBeNull();
  });
});
