import type { CaseEvent } from '../case/case-events.js';
import { deadlineDecider } from './deadlines.js';
import { aCatalogue } from '../testing/builders.js';
import { CALENDAR_2026 } from '../testing/calendar-2026.js';
import { specificationFor } from '../testing/specification.js';
import { SCHEDULE_2027 } from '../testing/calendar-2027.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import {
  calendarWithOverrides,
  slaSettingsDecider,
  type SlaSettingsEvent,
} from './sla-settings.js';

const now = new Date('2026-11-16T02:00:00.000Z'); // 10:00 in Shenzhen
const at = now.toISOString();
const spec = specificationFor(slaSettingsDecider);
const typhoon: SlaSettingsEvent = {
  type: 'CalendarDaySet',
  data: { date: '2026-11-18', working: false, name: '台风停工', at },
};

describe('SLA settings', () => {
  it('records a calendar override', () =>
    spec
      .given([])
      .when({
        type: 'SetCalendarDay',
        data: { date: '2026-11-18', working: false, name: ' 台风停工 ' },
        now,
      })
      .then([typhoon]));

  it('refuses an impossible date, an unchanged override, and clearing a day with none', () => {
    spec
      .given([])
      .when({
        type: 'SetCalendarDay',
        data: { date: '2026-02-30', working: false, name: 'x' },
        now,
      })
      .thenThrows('SLA.INVALID_DATE');
    spec
      .given([typhoon])
      .when({
        type: 'SetCalendarDay',
        data: { date: '2026-11-18', working: false, name: '台风停工' },
        now,
      })
      .thenThrows('SLA.UNCHANGED');
    spec
      .given([])
      .when({ type: 'ClearCalendarDay', data: { date: '2026-11-18' }, now })
      .thenThrows('SLA.NO_OVERRIDE');
  });

  it('records a policy with its effective date, in UTC', () =>
    spec
      .given([])
      .when({
        type: 'SetSlaPolicy',
        data: {
          key: 'power_supply/urgent',
          policy: { resolutionWorkingDays: 2, autoSuperviseOnOverdue: true },
          effectiveFrom: '2026-12-01T00:00:00+08:00',
          catalogue: aCatalogue(),
        },
        now,
      })
      .then([
        {
          type: 'SlaPolicySet',
          data: {
            key: 'power_supply/urgent',
            policy: { resolutionWorkingDays: 2, autoSuperviseOnOverdue: true },
            effectiveFrom: '2026-11-30T16:00:00.000Z',
            at,
          },
        },
      ]));

  it.each([
    ['tax', { resolutionWorkingDays: 2 }, 'SLA.INVALID_KEY'],
    ['nowhere/*', { resolutionWorkingDays: 2 }, 'SLA.UNKNOWN_CATEGORY'],
    ['*/soon', { resolutionWorkingDays: 2 }, 'SLA.INVALID_KEY'],
    ['*/*', {}, 'SLA.INVALID_POLICY'],
    ['*/*', { resolutionWorkingDays: 0 }, 'SLA.INVALID_POLICY'],
    ['*/*', { warningWorkingHours: 1.5 }, 'SLA.INVALID_POLICY'],
  ])('refuses key %s with %j (%s)', (key, policy, code) =>
    spec
      .given([])
      .when({
        type: 'SetSlaPolicy',
        data: { key, policy, effectiveFrom: '2026-12-01T00:00:00Z', catalogue: aCatalogue() },
        now,
      })
      .thenThrows(code),
  );

  it('makes a calendar of the holiday data and the overrides', () => {
    const state = [typhoon].reduce(slaSettingsDecider.evolve, slaSettingsDecider.initialState());
    const calendar = calendarWithOverrides(new WorkingCalendar(CALENDAR_2026), state.days.values());
    expect(calendar.isWorkingDay('2026-11-18')).toBe(false);
    expect(calendar.isWorkingDay('2026-11-17')).toBe(true);
  });
});

describe('importing a whole year', () => {
  const importYear = (data: Partial<typeof SCHEDULE_2027> = {}) => ({
    type: 'ImportCalendarYear' as const,
    data: { ...SCHEDULE_2027, ...data },
    now,
  });

  it('records the year’s days, ranges expanded, sorted by date', () => {
    const [event] = slaSettingsDecider.decide(importYear(), slaSettingsDecider.initialState());
    expect(event!.type).toBe('CalendarYearImported');
    const { days } = (event as Extract<SlaSettingsEvent, { type: 'CalendarYearImported' }>).data;
    expect(days.slice(0, 3)).toEqual([
      { date: '2027-01-01', working: false, name: '元旦' },
      { date: '2027-01-02', working: false, name: '元旦' },
      { date: '2027-01-03', working: false, name: '元旦' },
    ]);
    expect(days.filter((d) => d.working).map((d) => d.date)).toEqual([
      '2027-02-20',
      '2027-04-25',
      '2027-05-08',
      '2027-09-26',
      '2027-10-09',
    ]);
    expect(days).toHaveLength(3 + 9 + 3 + 5 + 1 + 1 + 7 + 5);
    // Importing the same again changes nothing.
    spec.given([event!]).when(importYear()).thenThrows('SLA.UNCHANGED');
  });

  it.each([
    [{ year: 1999 }, 'SLA.INVALID_YEAR', 'year'],
    [{ year: 2027.5 }, 'SLA.INVALID_YEAR', 'year'],
    [{ holidays: [] }, 'SLA.INVALID_SCHEDULE', 'holidays'],
    [{ holidays: [{ name: ' ', dates: ['2027-01-01'] }] }, 'SLA.INVALID_NAME', 'holidays[0].name'],
    [
      { holidays: [{ name: '元旦', dates: ['2027-02-30'] }] },
      'SLA.INVALID_DATE',
      'holidays[0].dates[0]',
    ],
    [
      { holidays: [{ name: '元旦', dates: ['2026-12-31'] }] },
      'SLA.DATE_OUTSIDE_YEAR',
      'holidays[0].dates[0]',
    ],
    [
      { holidays: [{ name: '春节', from: '2027-02-13', to: '2027-02-05' }] },
      'SLA.INVALID_SCHEDULE',
      'holidays[0].to',
    ],
    [{ holidays: [{ name: '春节', from: '2027-02-13' }] }, 'SLA.INVALID_DATE', 'holidays[0].to'],
    [
      { holidays: [{ name: 'a', dates: ['2027-01-01'], from: '2027-01-01', to: '2027-01-02' }] },
      'SLA.INVALID_SCHEDULE',
      'holidays[0]',
    ],
    [
      {
        holidays: [
          { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
          { name: '又一个', dates: ['2027-01-02'] },
        ],
      },
      'SLA.DUPLICATE_DATE',
      'holidays[1].dates[0]',
    ],
    [
      { workdays: [{ name: '调休', dates: ['2027-01-01'] }] },
      'SLA.DUPLICATE_DATE',
      'workdays[0].dates[0]',
    ],
    [
      { workdays: [{ name: '调休', dates: ['2027-01-04'] }] },
      'SLA.INVALID_SCHEDULE',
      'workdays[0].dates[0]',
    ],
  ])('refuses %j (%s on %s)', (data, code, field) => {
    try {
      slaSettingsDecider.decide(importYear(data as never), slaSettingsDecider.initialState());
      throw new Error('accepted');
    } catch (error) {
      expect(error).toMatchObject({ code, field });
    }
  });

  it('makes the year known only when imported whole, not after one override day', () => {
    const base = new WorkingCalendar(CALENDAR_2026);
    const newYear = { date: '2027-01-01', working: false, name: '元旦' };
    const overridden = calendarWithOverrides(base, [newYear]);
    expect(overridden.isWorkingDay('2027-01-01')).toBe(false);
    expect(overridden.years).toEqual([2026]);
    const [event] = slaSettingsDecider.decide(importYear(), slaSettingsDecider.initialState());
    const state = [event!].reduce(slaSettingsDecider.evolve, slaSettingsDecider.initialState());
    const imported = calendarWithOverrides(base, [], state.years);
    expect(imported.years).toEqual([2026, 2027]);
    expect(imported.isWorkingDay('2027-02-20')).toBe(true); // a make-up Saturday
    expect(imported.isWorkingDay('2027-02-08')).toBe(false);
    // A single-day override still applies on top of an imported year.
    const typhoonDay = { date: '2027-03-03', working: false, name: '台风停工' };
    expect(calendarWithOverrides(base, [typhoonDay], state.years).isWorkingDay('2027-03-03')).toBe(
      false,
    );
  });

  it('replaces what the holiday data said of an imported year', () => {
    const base = new WorkingCalendar(CALENDAR_2026);
    const replaced = base.withYear(2026, [{ date: '2026-11-18', working: false, name: 'x' }]);
    expect(replaced.isWorkingDay('2026-10-01')).toBe(true); // no longer in the year's list
    expect(replaced.isWorkingDay('2026-11-18')).toBe(false);
  });
});

describe('the clock worker command on a case', () => {
  const calendar = new WorkingCalendar(CALENDAR_2026);
  const caseSpec = specificationFor(deadlineDecider);
  const opened: CaseEvent = {
    type: 'CaseOpened',
    data: {
      caseId: 'c-1',
      enterpriseId: 'e',
      enterpriseName: 'E',
      street: 'buji',
      category: 'tax',
      channel: 'hotline',
      priority: 'urgent',
      description: 'd',
      visitId: null,
      at,
    },
  };
  const check = (local: string, policies = [] as never[]) => ({
    type: 'CheckDeadlines' as const,
    data: { calendar, policies },
    now: new Date(`${local}:00+08:00`),
  });
  const dueToday = '2026-11-16T10:00:00.000Z'; // 18:00 in Shenzhen

  it('raises a ready alert once', () => {
    const overdue: CaseEvent = {
      type: 'CaseOverdue',
      data: {
        caseId: 'c-1',
        clock: 'first_response',
        dueAt: dueToday,
        at: '2026-11-16T10:30:00.000Z',
      },
    };
    caseSpec.given([opened]).when(check('2026-11-16T18:30')).then([overdue]);
    caseSpec.given([opened, overdue]).when(check('2026-11-16T18:45')).then([]);
  });

  it('orders 督办 automatically when the policy says so', () => {
    const policies = [
      {
        key: '*/urgent',
        policy: { autoSuperviseOnOverdue: true, warningWorkingHours: 0, resolutionWorkingDays: 2 },
        effectiveFrom: '2026-01-01T00:00:00.000Z',
      },
    ];
    const dispatched: CaseEvent = {
      type: 'CaseDispatched',
      data: { caseId: 'c-1', leadDepartment: 'tax', coDepartments: [], at },
    };
    const responded: CaseEvent = {
      type: 'CaseFirstResponseRecorded',
      data: { caseId: 'c-1', message: 'm', at },
    };
    const decide = (history: CaseEvent[]) =>
      deadlineDecider.decide(
        check('2026-11-20T09:00', policies as never[]),
        history.reduce(deadlineDecider.evolve, deadlineDecider.initialState()),
      );
    const events = decide([opened, dispatched, responded]);
    expect(events.map((e) => [e.type, (e.data as { clock?: string }).clock])).toEqual([
      ['CaseOverdue', 'interim_update'],
      ['CaseOverdue', 'resolution'],
      ['CaseSupervisionOrdered', undefined],
    ]);
    // Chinese, with the deadline in Shenzhen time (2026-11-18 18:00), not a UTC timestamp.
    expect(events[2]!.data).toMatchObject({
      automatic: true,
      instructions: '办结时限 2026-11-18 18:00 已超期，系统自动督办',
    });
    // No 督办 on a case no department holds (new, or returned to the dispatch queue).
    expect(decide([opened]).map((e) => e.type)).toEqual(['CaseOverdue', 'CaseOverdue']);
    const returned: CaseEvent = {
      type: 'CaseReturned',
      data: { caseId: 'c-1', department: 'tax', reason: 'r', at },
    };
    expect(decide([opened, dispatched, responded, returned]).map((e) => e.type)).toEqual([
      'CaseOverdue',
    ]);
  });
});
