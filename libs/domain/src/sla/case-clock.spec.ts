import type { CaseEvent } from '../case/case-events.js';
import { CALENDAR_2026 } from '../testing/calendar-2026.js';
import { caseClock, readyAlerts } from './case-clock.js';
import { DEFAULT_SLA_POLICY, policyFor, slaTableAt, type SlaPolicyTable } from './policy.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';

const calendar = new WorkingCalendar(CALENDAR_2026);
const table: SlaPolicyTable = {
  default: DEFAULT_SLA_POLICY,
  overrides: {
    'power_supply/*': { resolutionWorkingDays: 5 },
    '*/urgent': { resolutionWorkingDays: 2 },
    'power_supply/urgent': { resolutionWorkingDays: 1 },
  },
};
const sz = (local: string) => `${local}:00.000+08:00`;
const iso = (d: Date | null) =>
  d && new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
const caseId = 'c-1';

const opened = (
  at: string,
  category = 'tax',
  priority: 'normal' | 'urgent' = 'normal',
): CaseEvent => ({
  type: 'CaseOpened',
  data: {
    caseId,
    enterpriseId: 'e',
    enterpriseName: 'E',
    street: 'buji',
    category,
    channel: 'hotline',
    priority,
    description: 'd',
    visitId: null,
    at: new Date(sz(at)).toISOString(),
  },
});
const ev = (type: string, at: string, extra: object = {}) =>
  ({ type, data: { caseId, at: new Date(sz(at)).toISOString(), ...extra } }) as CaseEvent;
const clock = (events: CaseEvent[], now: string) =>
  caseClock(events, table, calendar, new Date(sz(now)));

describe('SLA policy', () => {
  it('takes the most specific rule: category and priority, then category, then priority', () => {
    expect(policyFor(table, 'power_supply', 'urgent').resolutionWorkingDays).toBe(1);
    expect(policyFor(table, 'power_supply', 'normal').resolutionWorkingDays).toBe(5);
    expect(policyFor(table, 'tax', 'urgent').resolutionWorkingDays).toBe(2);
    expect(policyFor(table, 'tax', 'normal')).toEqual(DEFAULT_SLA_POLICY);
  });
});

describe('case clocks', () => {
  it('counts an answer by 18:00 on the intake day as same-day, and the next morning as late', () => {
    const onTime = clock(
      [
        opened('2026-11-16T10:00'),
        ev('CaseFirstResponseRecorded', '2026-11-16T17:59', { message: 'm' }),
      ],
      '2026-11-20T10:00',
    );
    expect([iso(onTime.firstResponseDueAt), onTime.firstResponseOnTime]).toEqual([
      '2026-11-16 18:00',
      true,
    ]);
    const late = clock(
      [
        opened('2026-11-16T10:00'),
        ev('CaseFirstResponseRecorded', '2026-11-17T09:30', { message: 'm' }),
      ],
      '2026-11-20T10:00',
    );
    expect(late.firstResponseOnTime).toBe(false);
  });

  it('leaves an awaited first response undecided until it is due, then late', () => {
    expect(clock([opened('2026-11-16T10:00')], '2026-11-16T17:00').firstResponseOnTime).toBeNull();
    expect(clock([opened('2026-11-16T10:00')], '2026-11-16T18:01').firstResponseOnTime).toBe(false);
  });

  it('sets the resolution deadline from the policy in working days, across National Day', () => {
    const c = clock([opened('2026-09-30T10:00', 'power_supply')], '2026-09-30T11:00');
    expect(iso(c.resolutionDueAt)).toBe('2026-10-13 18:00'); // 10-08, 10-09, 10-10 (调休 Saturday), 10-12, 10-13
  });

  it('adds the working time spent paused to the resolution deadline', () => {
    const events = [
      opened('2026-11-16T10:00', 'power_supply'),
      ev('CasePaused', '2026-11-17T10:00', { reason: 'r' }),
      ev('CaseResumed', '2026-11-17T15:00'),
    ];
    const c = clock(events, '2026-11-18T10:00');
    expect(c.pausedWorkingMinutes).toBe(120 + 60); // 10:00–12:00 and 14:00–15:00
    expect(iso(c.resolutionDueAt)).toBe('2026-11-24 12:00'); // 11-23 18:00 + 180 working minutes
  });

  it('counts a pause that is still running up to now', () => {
    const c = clock(
      [
        opened('2026-11-16T10:00', 'power_supply'),
        ev('CasePaused', '2026-11-17T17:00', { reason: 'r' }),
      ],
      '2026-11-18T10:00',
    );
    expect(c.paused).toBe(true);
    expect(c.pausedWorkingMinutes).toBe(60 + 60);
  });

  it('moves the resolution deadline with an approved extension, not a refused one', () => {
    const base = [
      opened('2026-11-16T10:00', 'power_supply'),
      ev('CaseExtensionRequested', '2026-11-18T10:00', {
        reason: 'r',
        requestedDueAt: '2026-12-04T10:00:00.000Z',
      }),
    ];
    expect(
      iso(
        clock(
          [...base, ev('CaseExtensionRefused', '2026-11-18T11:00', { reason: 'r' })],
          '2026-11-19T10:00',
        ).resolutionDueAt,
      ),
    ).toBe('2026-11-23 18:00');
    const extended = clock(
      [
        ...base,
        ev('CaseExtensionApproved', '2026-11-18T11:00', {
          dueAt: '2026-12-04T10:00:00.000Z',
          comment: null,
        }),
      ],
      '2026-11-19T10:00',
    );
    expect(iso(extended.resolutionDueAt)).toBe('2026-12-04 18:00');
  });

  it('judges the latest resolution after rework', () => {
    const events = [
      opened('2026-11-16T10:00', 'tax', 'urgent'),
      ev('CaseResolved', '2026-11-17T10:00', { resolution: 'r', outcome: 'solved' }),
      ev('CaseReworkOrdered', '2026-11-17T11:00', { reason: 'r' }),
    ];
    expect(clock(events, '2026-11-18T10:00').resolvedOnTime).toBeNull(); // due 11-18 18:00, not yet
    expect(clock(events, '2026-11-18T18:01').resolvedOnTime).toBe(false);
    const again = clock(
      [...events, ev('CaseResolved', '2026-11-18T16:00', { resolution: 'r2', outcome: 'solved' })],
      '2026-11-20T10:00',
    );
    expect([iso(again.resolvedAt), again.resolvedOnTime]).toEqual(['2026-11-18 16:00', true]);
  });

  it('gives new deadlines when the calendar changes (a typhoon day), from the same events', () => {
    const events = [opened('2026-11-16T10:00', 'power_supply')];
    const typhoon = calendar.withDays([{ date: '2026-11-18', working: false, name: '台风' }]);
    expect(
      iso(caseClock(events, table, calendar, new Date(sz('2026-11-16T11:00'))).resolutionDueAt),
    ).toBe('2026-11-23 18:00');
    expect(
      iso(caseClock(events, table, typhoon, new Date(sz('2026-11-16T11:00'))).resolutionDueAt),
    ).toBe('2026-11-24 18:00');
  });

  it('stops the clocks when a case is withdrawn, even while paused', () => {
    const events = [
      opened('2026-11-16T10:00', 'power_supply'),
      ev('CaseFirstResponseRecorded', '2026-11-16T11:00', { message: 'm' }),
      ev('CasePaused', '2026-11-17T10:00', { reason: 'r' }),
      ev('CaseWithdrawn', '2026-11-17T11:00', { reason: 'r' }),
    ];
    const soon = clock(events, '2026-11-20T10:00');
    const later = clock(events, '2027-06-01T10:00');
    expect([
      soon.paused,
      soon.resolvedOnTime,
      soon.firstResponseOnTime,
      soon.pausedWorkingMinutes,
    ]).toEqual([false, null, true, 60]);
    expect(later.resolutionDueAt).toEqual(soon.resolutionDueAt);
  });

  it('keeps a first response that was already late when the case was withdrawn late', () => {
    const events = [
      opened('2026-11-16T10:00'),
      ev('CaseWithdrawn', '2026-11-17T11:00', { reason: 'r' }),
    ];
    expect(clock(events, '2026-11-20T10:00').firstResponseOnTime).toBe(false);
    const early = [
      opened('2026-11-16T10:00'),
      ev('CaseWithdrawn', '2026-11-16T11:00', { reason: 'r' }),
    ];
    expect(clock(early, '2026-11-20T10:00').firstResponseOnTime).toBeNull();
  });

  it('adds only the part of a pause after an extension approved during it', () => {
    const events = [
      opened('2026-11-16T10:00', 'power_supply'),
      ev('CasePaused', '2026-11-16T11:00', { reason: 'r' }),
      ev('CaseExtensionApproved', '2026-11-18T09:00', {
        dueAt: '2026-12-04T10:00:00.000Z',
        comment: null,
      }),
      ev('CaseResumed', '2026-11-19T09:00'),
    ];
    const c = clock(events, '2026-11-20T10:00');
    expect(iso(c.resolutionDueAt)).toBe('2026-12-07 18:00'); // 12-04 18:00 + 420 min (11-18's working day)
  });
});

describe('policy history', () => {
  const changes = [
    { key: 'tax/*', policy: { resolutionWorkingDays: 5 }, effectiveFrom: sz('2026-12-01T00:00') },
    { key: 'tax/*', policy: { resolutionWorkingDays: 3 }, effectiveFrom: sz('2026-11-01T00:00') },
    { key: '*/*', policy: { warningWorkingHours: 4 }, effectiveFrom: sz('2026-01-01T00:00') },
  ];
  it('gives a case the policy in force at its intake, by effective date', () => {
    const at = (local: string) =>
      policyFor(slaTableAt(changes, new Date(sz(local))), 'tax', 'normal');
    expect(at('2026-10-15T10:00').resolutionWorkingDays).toBe(10);
    expect(at('2026-11-15T10:00').resolutionWorkingDays).toBe(3);
    expect(at('2026-12-15T10:00').resolutionWorkingDays).toBe(5);
    expect(at('2026-12-15T10:00').warningWorkingHours).toBe(4);
  });
});

describe('deadline alerts', () => {
  const ready = (events: CaseEvent[], now: string) =>
    readyAlerts(clock(events, now), calendar, new Date(sz(now))).map(
      (a) => `${a.clock} ${a.stage} ${iso(new Date(a.dueAt))}`,
    );

  it('warns two working hours before a deadline, then raises it overdue just after', () => {
    const events = [opened('2026-11-16T10:00')];
    expect(ready(events, '2026-11-16T15:59')).toEqual([]);
    expect(ready(events, '2026-11-16T16:00')).toEqual(['first_response warning 2026-11-16 18:00']);
    expect(ready(events, '2026-11-16T18:01')).toEqual(['first_response overdue 2026-11-16 18:00']);
  });

  it('raises nothing twice for the same deadline, and again for a moved one', () => {
    const due = new Date(sz('2026-11-16T18:00')).toISOString();
    const raised = [
      opened('2026-11-16T10:00'),
      ev('CaseOverdue', '2026-11-16T18:05', { clock: 'first_response', dueAt: due }),
    ];
    expect(ready(raised, '2026-11-17T10:00')).toEqual([]);
    expect(clock(raised, '2026-11-17T10:00').firstResponseOverdue).toBe(true);
    const resolution = [
      opened('2026-11-16T10:00', 'tax', 'urgent'),
      ev('CaseFirstResponseRecorded', '2026-11-16T11:00', { message: 'm' }),
      ev('CaseOverdue', '2026-11-18T18:05', {
        clock: 'resolution',
        dueAt: new Date(sz('2026-11-18T18:00')).toISOString(),
      }),
      ev('CaseExtensionApproved', '2026-11-19T09:00', {
        dueAt: new Date(sz('2026-11-20T18:00')).toISOString(),
        comment: null,
      }),
    ];
    expect(clock(resolution, '2026-11-19T10:00').resolutionOverdue).toBe(false);
    // (The interim update, due 16 working hours after the first response, is overdue too.)
    expect(ready(resolution, '2026-11-20T18:30')).toEqual([
      'interim_update overdue 2026-11-18 15:00',
      'resolution overdue 2026-11-20 18:00',
    ]);
  });

  it('does not alert on a paused resolution clock, nor on a stopped case', () => {
    const paused = [
      opened('2026-11-16T10:00', 'tax', 'urgent'),
      ev('CaseFirstResponseRecorded', '2026-11-16T11:00', { message: 'm' }),
      ev('CasePaused', '2026-11-17T10:00', { reason: 'r' }),
    ];
    expect(ready(paused, '2026-11-25T10:00')).toEqual([]);
    const withdrawn = [
      opened('2026-11-16T10:00'),
      ev('CaseWithdrawn', '2026-11-16T11:00', { reason: 'r' }),
    ];
    expect(ready(withdrawn, '2026-11-25T10:00')).toEqual([]);
  });

  it('counts a resolution as the first answer when none was recorded', () => {
    const c = clock(
      [
        opened('2026-11-16T10:00'),
        ev('CaseResolved', '2026-11-16T15:00', { resolution: 'r', outcome: 'solved' }),
      ],
      '2026-11-17T10:00',
    );
    expect([
      c.firstResponseOnTime,
      c.firstResponseWorkingMinutes,
      c.resolutionWorkingMinutes,
    ]).toEqual([true, 180, 180]);
  });
});
