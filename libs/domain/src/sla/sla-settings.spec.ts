import type { CaseEvent } from '../case/case-events.js';
import { deadlineDecider } from './deadlines.js';
import { aCatalogue } from '../testing/builders.js';
import { CALENDAR_2026 } from '../testing/calendar-2026.js';
import { specificationFor } from '../testing/specification.js';
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
    const responded: CaseEvent = {
      type: 'CaseFirstResponseRecorded',
      data: { caseId: 'c-1', message: 'm', at },
    };
    const events = deadlineDecider.decide(
      check('2026-11-20T09:00', policies as never[]),
      [opened, responded].reduce(deadlineDecider.evolve, deadlineDecider.initialState()),
    );
    expect(events.map((e) => e.type)).toEqual(['CaseOverdue', 'CaseSupervisionOrdered']);
    expect(events[1]!.data).toMatchObject({ automatic: true });
  });
});
