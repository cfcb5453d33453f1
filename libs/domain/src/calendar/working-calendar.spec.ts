import { WorkingCalendar } from './working-calendar.js';
import { CALENDAR_2026 } from '../testing/calendar-2026.js';

const cal = new WorkingCalendar(CALENDAR_2026);
/** Shenzhen local time → instant. */
const sz = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date) =>
  new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('working calendar', () => {
  describe('working days', () => {
    it.each([
      ['2026-11-16', true, 'a Monday'],
      ['2026-11-21', false, 'a Saturday'],
      ['2026-10-01', false, 'National Day, a Thursday'],
      ['2026-02-18', false, 'Spring Festival, a Wednesday'],
      ['2026-02-14', true, 'a make-up Saturday (调休) before the Spring Festival'],
      ['2026-02-28', true, 'a make-up Saturday after it'],
      ['2026-09-20', true, 'a make-up Sunday before National Day'],
      ['2026-10-10', true, 'a make-up Saturday after it'],
      ['2026-06-19', false, 'Dragon Boat Festival, a Friday'],
    ])('%s is %s (%s)', (date, working) => expect(cal.isWorkingDay(date)).toBe(working));

    it('falls back to Monday–Friday for a year it does not know, and says so', () => {
      expect(cal.isWorkingDay('2027-01-01')).toBe(true);
      expect(cal.knows('2027-01-01')).toBe(false);
      expect(cal.knows('2026-12-31')).toBe(true);
    });

    it('takes admin overrides: next year’s New Year holiday, a typhoon day', () => {
      const overridden = cal.withDays(
        [
          { date: '2027-01-01', working: false, name: '元旦' },
          { date: '2026-11-17', working: false, name: '台风停工' },
        ],
        [2027],
      );
      expect(overridden.isWorkingDay('2027-01-01')).toBe(false);
      expect(overridden.knows('2027-01-01')).toBe(true);
      expect(iso(overridden.addWorkingMinutes(sz('2026-11-16T17:30'), 60))).toBe(
        '2026-11-18 09:30',
      );
      expect(cal.isWorkingDay('2026-11-17')).toBe(true); // the original is unchanged
    });
  });

  describe('adding working minutes', () => {
    it.each([
      ['2026-11-16T10:00', 60, '2026-11-16 11:00', 'within the morning'],
      ['2026-11-16T11:30', 60, '2026-11-16 14:30', 'across the lunch break'],
      ['2026-11-16T12:30', 30, '2026-11-16 14:30', 'from inside the lunch break'],
      ['2026-11-16T08:00', 1, '2026-11-16 09:01', 'from before opening'],
      ['2026-11-16T23:59', 1, '2026-11-17 09:01', 'from 23:59'],
      ['2026-11-20T17:30', 60, '2026-11-23 09:30', 'over a weekend'],
      [
        '2026-02-13T17:00',
        120,
        '2026-02-14 10:00',
        'into the make-up Saturday before the Spring Festival',
      ],
      ['2026-02-14T17:30', 60, '2026-02-24 09:30', 'across the Spring Festival'],
      ['2026-09-30T17:00', 120, '2026-10-08 10:00', 'across National Day'],
      ['2026-10-03T10:00', 1, '2026-10-08 09:01', 'from a holiday'],
      ['2026-09-19T10:00', 30, '2026-09-20 09:30', 'from a Saturday into the make-up Sunday'],
      ['2026-11-16T10:00', 420 * 3, '2026-11-19 10:00', 'three whole working days'],
    ])('%s + %i min → %s (%s)', (from, minutes, expected) => {
      expect(iso(cal.addWorkingMinutes(sz(from), minutes))).toBe(expected);
    });

    it('adds nothing for zero minutes and refuses negative ones', () => {
      expect(cal.addWorkingMinutes(sz('2026-11-21T10:00'), 0)).toEqual(sz('2026-11-21T10:00'));
      expect(() => cal.addWorkingMinutes(sz('2026-11-21T10:00'), -1)).toThrow();
    });
  });

  describe('measuring working time', () => {
    it.each([
      ['2026-11-16T09:00', '2026-11-16T18:00', 420, 'a whole day'],
      ['2026-11-16T11:00', '2026-11-16T15:00', 120, 'across lunch'],
      ['2026-11-20T17:00', '2026-11-23T10:00', 120, 'over a weekend'],
      [
        '2026-02-13T17:00',
        '2026-02-24T10:00',
        60 + 420 + 60,
        'across the Spring Festival with its make-up Saturday',
      ],
      ['2026-09-30T23:59', '2026-10-08T09:30', 30, 'from 23:59 across National Day'],
      ['2026-10-02T10:00', '2026-10-05T10:00', 0, 'inside a holiday'],
      ['2026-11-16T10:00', '2026-11-16T09:00', 0, 'backwards'],
    ])('%s → %s is %i min (%s)', (from, to, minutes) => {
      expect(cal.workingMinutesBetween(sz(from), sz(to))).toBe(minutes);
    });

    it('undoes adding: for 2,000 random instants and spans in 2026', () => {
      let seed = 42;
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let i = 0; i < 2000; i++) {
        const from = new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 330 * 86_400_000));
        from.setUTCSeconds(0, 0);
        const minutes = Math.floor(rand() * 5000);
        const to = cal.addWorkingMinutes(from, minutes);
        expect(cal.workingMinutesBetween(from, to)).toBe(minutes);
      }
    });
  });

  describe('subtracting working time (pre-breach warnings)', () => {
    it.each([
      ['2026-11-16T18:00', 120, '2026-11-16 16:00', 'within the afternoon'],
      ['2026-11-16T15:00', 120, '2026-11-16 11:00', 'back across lunch'],
      ['2026-11-23T10:00', 120, '2026-11-20 17:00', 'back over a weekend'],
      ['2026-10-08T09:30', 60, '2026-09-30 17:30', 'back across National Day'],
      ['2026-11-16T18:00', 0, '2026-11-16 18:00', 'zero'],
    ])('%s − %i min → %s (%s)', (to, minutes, expected) => {
      expect(iso(cal.subtractWorkingMinutes(sz(to), minutes))).toBe(expected);
    });

    it('undoes adding: for 2,000 random instants and spans in 2026', () => {
      let seed = 7;
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let i = 0; i < 2000; i++) {
        const to = new Date(Date.UTC(2026, 0, 5) + Math.floor(rand() * 330 * 86_400_000));
        to.setUTCSeconds(0, 0);
        const minutes = 1 + Math.floor(rand() * 5000);
        const from = cal.subtractWorkingMinutes(to, minutes);
        expect(cal.workingMinutesBetween(from, to)).toBe(minutes);
      }
    });
  });

  describe('the same-day answer promise', () => {
    it('counts a case opened in office hours and answered by 18:00 as same-day, and one answered the next morning as not', () => {
      const deadline = cal.sameDayDeadline(sz('2026-11-16T10:00'));
      expect(iso(deadline)).toBe('2026-11-16 18:00');
      expect(sz('2026-11-16T17:59').getTime() <= deadline.getTime()).toBe(true);
      expect(sz('2026-11-17T09:30').getTime() <= deadline.getTime()).toBe(false);
    });

    it.each([
      ['2026-11-16T19:00', '2026-11-17 18:00', 'after hours: the end of the next working day'],
      ['2026-11-16T18:00', '2026-11-17 18:00', 'at closing time exactly'],
      ['2026-11-16T08:30', '2026-11-16 18:00', 'before opening: the same day'],
      ['2026-11-16T12:30', '2026-11-16 18:00', 'at lunch: the same day'],
      ['2026-11-20T23:59', '2026-11-23 18:00', 'Friday 23:59: Monday'],
      ['2026-11-21T10:00', '2026-11-23 18:00', 'on a Saturday'],
      ['2026-10-03T10:00', '2026-10-08 18:00', 'on a holiday'],
      ['2026-09-30T18:30', '2026-10-08 18:00', 'the evening before National Day'],
      ['2026-02-14T10:00', '2026-02-14 18:00', 'on a make-up Saturday'],
    ])('%s → %s (%s)', (intake, expected) =>
      expect(iso(cal.sameDayDeadline(sz(intake)))).toBe(expected),
    );
  });

  describe('adding working days', () => {
    it.each([
      ['2026-11-16T10:00', 3, '2026-11-19 18:00', 'the intake day does not count'],
      ['2026-11-20T10:00', 1, '2026-11-23 18:00', 'over a weekend'],
      ['2026-11-16T19:00', 1, '2026-11-18 18:00', 'after hours, counted from the next working day'],
      ['2026-09-30T10:00', 2, '2026-10-09 18:00', 'across National Day'],
      ['2026-09-30T10:00', 3, '2026-10-10 18:00', 'onto the make-up Saturday'],
      ['2026-02-13T10:00', 2, '2026-02-24 18:00', 'across the Spring Festival'],
      ['2026-11-16T10:00', 0, '2026-11-16 18:00', 'zero: the end of the intake day'],
    ])('%s + %i working days → %s (%s)', (from, days, expected) => {
      expect(iso(cal.addWorkingDays(sz(from), days))).toBe(expected);
    });
  });

  it('works with other office hours', () => {
    const long = new WorkingCalendar(CALENDAR_2026, { officeHours: [[8 * 60 + 30, 17 * 60 + 30]] });
    expect(long.minutesPerDay).toBe(540);
    expect(iso(long.addWorkingMinutes(sz('2026-11-16T17:00'), 60))).toBe('2026-11-17 09:00');
    expect(() => new WorkingCalendar(CALENDAR_2026, { officeHours: [[600, 500]] })).toThrow();
  });
});
