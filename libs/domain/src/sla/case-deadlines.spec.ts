import type { CaseEvent } from '../case/case-events.js';
import { deadlineDecider as caseDecider } from './deadlines.js';
import { caseClock, readyAlerts } from './case-clock.js';
import { DEFAULT_SLA_POLICY, type SlaPolicyTable } from './policy.js';
import { calendarWithOverrides, yearScheduleDays } from './sla-settings.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import { CALENDAR_2026 } from '../testing/calendar-2026.js';
import { SCHEDULE_2027 } from '../testing/calendar-2027.js';
import { shenzhenDateTime as shenzhenTime } from '../shared/shenzhen-time.js';
import { automaticSupervisionText, caseDeadlines } from './case-deadlines.js';

const calendar = new WorkingCalendar(CALENDAR_2026);
const with2027 = calendarWithOverrides(
  calendar,
  [],
  [[2027, yearScheduleDays(2027, SCHEDULE_2027.holidays, SCHEDULE_2027.workdays)]],
);
const table: SlaPolicyTable = { default: DEFAULT_SLA_POLICY, overrides: {} };
const sz = (local: string) => new Date(`${local}:00+08:00`);
const caseId = 'c-1';
const opened = (at: string): CaseEvent => ({
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
    at: sz(at).toISOString(),
  },
});
const ev = (type: string, at: string, extra: object = {}) =>
  ({ type, data: { caseId, at: sz(at).toISOString(), ...extra } }) as CaseEvent;
const dispatched = (at: string) =>
  ev('CaseDispatched', at, { leadDepartment: 'tax', coDepartments: [] });
const deadlinesAt = (events: CaseEvent[], now: string, cal = calendar) => {
  const instant = sz(now);
  return caseDeadlines(caseClock(events, table, cal, instant), cal, instant);
};
const local = (iso: string | null) => iso && shenzhenTime(iso);

describe('a case’s deadlines at an instant', () => {
  it('counts working minutes left without the lunch break, and warns two working hours before', () => {
    const events = [opened('2026-11-16T11:30'), dispatched('2026-11-16T11:40')];
    const lunch = deadlinesAt(events, '2026-11-16T13:00').firstResponse;
    expect(lunch).toMatchObject({
      state: 'running',
      workingMinutesLeft: 240, // 14:00–18:00; 13:00–14:00 is lunch
      warning: 'none',
      calendarKnown: true,
      metAt: null,
    });
    expect(local(lunch.dueAt)).toBe('2026-11-16 18:00');
    expect(deadlinesAt(events, '2026-11-16T15:59').firstResponse.warning).toBe('none');
    expect(deadlinesAt(events, '2026-11-16T16:00').firstResponse).toMatchObject({
      warning: 'approaching',
      workingMinutesLeft: 120,
    });
    // Past 18:00 it is overdue, though no office time has passed yet; the next morning it has run 30 minutes over.
    expect(deadlinesAt(events, '2026-11-16T20:00').firstResponse).toMatchObject({
      state: 'overdue',
      workingMinutesLeft: 0,
      warning: 'overdue',
    });
    expect(deadlinesAt(events, '2026-11-17T09:30').firstResponse).toMatchObject({
      state: 'overdue',
      workingMinutesLeft: -30,
    });
  });

  it('promises a same-day answer on a make-up working Saturday (调休), the next working day on a Sunday', () => {
    // 2026-10-10 is a Saturday worked for National Day; 2026-10-11 a plain Sunday.
    const saturday = deadlinesAt([opened('2026-10-10T10:00')], '2026-10-10T10:00').firstResponse;
    expect(local(saturday.dueAt)).toBe('2026-10-10 18:00');
    const sunday = deadlinesAt([opened('2026-10-11T10:00')], '2026-10-11T10:00').firstResponse;
    expect(local(sunday.dueAt)).toBe('2026-10-12 18:00');
    expect(sunday.workingMinutesLeft).toBe(420);
    // Opened on the eve of National Day: 10 working days skip the week off and count the make-up Saturday 10-10.
    const eve = deadlinesAt([opened('2026-09-30T10:00')], '2026-09-30T10:00').resolution;
    expect(local(eve.dueAt)).toBe('2026-10-20 18:00');
  });

  it('is met by the first answer (late after the deadline), and the clock stops counting', () => {
    const base = [opened('2026-11-16T10:00'), dispatched('2026-11-16T10:05')];
    const met = deadlinesAt(
      [...base, ev('CaseFirstResponseRecorded', '2026-11-16T17:00', { message: 'm' })],
      '2026-11-20T10:00',
    ).firstResponse;
    expect(met).toMatchObject({ state: 'met', workingMinutesLeft: null, warning: 'none' });
    expect(local(met.metAt)).toBe('2026-11-16 17:00');
    const late = deadlinesAt(
      [...base, ev('CaseFirstResponseRecorded', '2026-11-17T09:30', { message: 'm' })],
      '2026-11-20T10:00',
    ).firstResponse;
    expect(late.state).toBe('met_late');
  });

  it('runs the interim-update clock from the latest update, paused while the case waits', () => {
    const answered = [
      opened('2026-11-16T09:00'),
      dispatched('2026-11-16T09:10'),
      ev('CaseAccepted', '2026-11-16T09:20', { department: 'tax' }),
      ev('CaseFirstResponseRecorded', '2026-11-16T10:00', { message: 'm' }),
    ];
    // Not applicable before the first answer.
    expect(deadlinesAt(answered.slice(0, 3), '2026-11-16T09:30').interimUpdate.state).toBe(
      'not_applicable',
    );
    // 16 working hours after Monday 10:00: Monday 6 h, Tuesday 7 h, Wednesday 09:00–12:00.
    const first = deadlinesAt(answered, '2026-11-16T11:00').interimUpdate;
    expect(local(first.dueAt)).toBe('2026-11-18 12:00');
    expect(first).toMatchObject({ state: 'running', workingMinutesLeft: 15 * 60 });
    const noted = [...answered, ev('CaseProgressNoted', '2026-11-17T10:00', { note: 'n' })];
    expect(local(deadlinesAt(noted, '2026-11-17T10:00').interimUpdate.dueAt)).toBe(
      '2026-11-19 12:00',
    );
    // Paused Wednesday 09:00 for a working day: the deadline moves on by the time paused.
    const paused = [...noted, ev('CasePaused', '2026-11-18T09:00', { reason: 'r' })];
    const waiting = deadlinesAt(paused, '2026-11-19T09:00');
    expect(waiting.interimUpdate.state).toBe('paused');
    expect(local(waiting.interimUpdate.dueAt)).toBe('2026-11-20 12:00');
    expect(waiting.resolution.state).toBe('paused');
    // The first response is not paused.
    expect(waiting.firstResponse.state).toBe('met');
    const resumed = [...paused, ev('CaseResumed', '2026-11-19T09:00')];
    expect(deadlinesAt(resumed, '2026-11-20T14:01').interimUpdate).toMatchObject({
      state: 'overdue',
      workingMinutesLeft: -1,
    });
  });

  it('raises the interim-update alert through the clock worker’s command', () => {
    const history = [
      opened('2026-11-16T09:00'),
      dispatched('2026-11-16T09:10'),
      ev('CaseAccepted', '2026-11-16T09:20', { department: 'tax' }),
      ev('CaseFirstResponseRecorded', '2026-11-16T10:00', { message: 'm' }),
    ];
    const state = history.reduce(caseDecider.evolve, caseDecider.initialState());
    const check = (at: string) =>
      caseDecider.decide(
        { type: 'CheckDeadlines', data: { calendar, policies: [] }, now: sz(at) },
        state,
      );
    expect(check('2026-11-18T10:00')).toEqual([
      {
        type: 'CaseDeadlineApproaching',
        data: {
          caseId,
          clock: 'interim_update',
          dueAt: sz('2026-11-18T12:00').toISOString(),
          at: sz('2026-11-18T10:00').toISOString(),
        },
      },
    ]);
    expect(
      check('2026-11-18T12:01').map((e) => [e.type, (e.data as { clock: string }).clock]),
    ).toEqual([['CaseOverdue', 'interim_update']]);
    const clock = caseClock(history, table, calendar, sz('2026-11-18T12:01'));
    expect(readyAlerts(clock, calendar, sz('2026-11-18T12:01'))).toHaveLength(1);
  });

  it('moves the resolution deadline with an approved extension, and the rework clock runs on', () => {
    const events = [
      opened('2026-11-16T10:00'),
      dispatched('2026-11-16T10:05'),
      ev('CaseAccepted', '2026-11-16T10:10', { department: 'tax' }),
      ev('CaseFirstResponseRecorded', '2026-11-16T11:00', { message: 'm' }),
    ];
    expect(local(deadlinesAt(events, '2026-11-16T11:00').resolution.dueAt)).toBe(
      '2026-11-30 18:00',
    );
    const extended = [
      ...events,
      ev('CaseExtensionRequested', '2026-11-20T10:00', {
        reason: 'r',
        requestedDueAt: sz('2026-12-10T18:00').toISOString(),
      }),
      ev('CaseExtensionApproved', '2026-11-20T11:00', {
        dueAt: sz('2026-12-10T18:00').toISOString(),
        comment: null,
      }),
    ];
    const running = deadlinesAt(extended, '2026-12-01T09:00').resolution;
    expect(local(running.dueAt)).toBe('2026-12-10 18:00');
    expect(running).toMatchObject({ state: 'running', workingMinutesLeft: 7 * 7 * 60 + 7 * 60 });
    const resolved = [
      ...extended,
      ev('CaseResolved', '2026-12-09T10:00', { resolution: 'r', outcome: 'solved' }),
    ];
    const met = deadlinesAt(resolved, '2026-12-09T11:00');
    expect(met.resolution).toMatchObject({ state: 'met', warning: 'none' });
    expect(met.interimUpdate.state).toBe('met_late'); // no update since 11-16
    const reworked = [
      ...resolved,
      ev('CaseCallbackRecorded', '2026-12-11T10:00', { satisfaction: 'unsatisfied', comment: 'c' }),
      ev('CaseReworkOrdered', '2026-12-11T10:00', { reason: 'c' }),
    ];
    const again = deadlinesAt(reworked, '2026-12-11T10:30');
    expect(again.resolution).toMatchObject({ state: 'overdue', warning: 'overdue' });
    expect(local(again.resolution.dueAt)).toBe('2026-12-10 18:00');
    expect(again.resolution.workingMinutesLeft).toBe(-90);
    // Rework is an update: the interim clock starts again from it.
    expect(again.interimUpdate.state).toBe('running');
    expect(local(again.interimUpdate.dueAt)).toBe('2026-12-15 12:00');
  });

  it('has no deadline on a withdrawn case, except what was already met', () => {
    const events = [
      opened('2026-11-16T10:00'),
      dispatched('2026-11-16T10:05'),
      ev('CaseFirstResponseRecorded', '2026-11-16T11:00', { message: 'm' }),
      ev('CaseWithdrawn', '2026-11-17T10:00', { reason: 'r' }),
    ];
    const d = deadlinesAt(events, '2026-12-20T10:00');
    expect(d.firstResponse.state).toBe('met');
    expect(d.interimUpdate).toMatchObject({ state: 'not_applicable', dueAt: null });
    expect(d.resolution).toMatchObject({
      state: 'not_applicable',
      dueAt: null,
      workingMinutesLeft: null,
    });
  });

  it('stops the interim clock while no department holds the case, and restarts it on dispatch', () => {
    const events = [
      opened('2026-11-16T10:00'),
      dispatched('2026-11-16T10:05'),
      ev('CaseFirstResponseRecorded', '2026-11-16T11:00', { message: 'm' }),
      ev('CaseReturned', '2026-11-17T10:00', { department: 'tax', reason: 'r' }),
    ];
    expect(deadlinesAt(events, '2026-11-17T11:00').interimUpdate.state).toBe('not_applicable');
    const again = [...events, dispatched('2026-11-18T10:00')];
    expect(local(deadlinesAt(again, '2026-11-18T10:00').interimUpdate.dueAt)).toBe(
      '2026-11-20 12:00',
    );
  });

  it('across the 2027 New Year: provisional until the year is imported, then exact', () => {
    const events = [opened('2026-12-24T10:00')];
    // Without the schedule 2027-01-01 (a Friday) counts as a working day.
    const guessed = deadlinesAt(events, '2026-12-24T10:00').resolution;
    expect(local(guessed.dueAt)).toBe('2027-01-07 18:00');
    expect(guessed.calendarKnown).toBe(false);
    const known = deadlinesAt(events, '2026-12-24T10:00', with2027).resolution;
    expect(local(known.dueAt)).toBe('2027-01-08 18:00');
    expect(known.calendarKnown).toBe(true);
    // The first response falls in 2026, whose holidays are known either way.
    expect(deadlinesAt(events, '2026-12-24T10:00').firstResponse.calendarKnown).toBe(true);
    // On New Year's Day with the schedule, no working time passes.
    expect(deadlinesAt(events, '2027-01-01T10:00', with2027).resolution.workingMinutesLeft).toBe(
      5 * 7 * 60,
    );
    expect(deadlinesAt(events, '2027-01-01T10:00').resolution.workingMinutesLeft).toBe(
      4 * 7 * 60 + 6 * 60,
    );
  });

  it('words an automatic 督办 in Chinese with Shenzhen time', () => {
    expect(automaticSupervisionText('resolution', '2026-09-14T10:00:00.000Z')).toBe(
      '办结时限 2026-09-14 18:00 已超期，系统自动督办',
    );
  });
});
