/**
 * The working calendar: office hours, public holidays and make-up working days (调休), in
 * Shenzhen time. Pure: the holiday table is given (the application builds it from the
 * chinese-days package plus admin overrides); nothing here reads a clock.
 *
 * Time is counted in whole minutes of office time. China has no daylight saving, so local
 * time is UTC+8 throughout.
 */
import { SHENZHEN_UTC_OFFSET_MINUTES } from '../shared/shenzhen-time.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A period of office hours within a day, in minutes after local midnight: [start, end). */
export type OfficePeriod = readonly [start: number, end: number];

/** 09:00–12:00 and 14:00–18:00. */
export const DEFAULT_OFFICE_HOURS: readonly OfficePeriod[] = [
  [9 * 60, 12 * 60],
  [14 * 60, 18 * 60],
];

export interface CalendarDay {
  /** YYYY-MM-DD */
  date: string;
  working: boolean;
  name: string;
}

export interface CalendarTable {
  /** Days that differ from the weekday rule: holidays on weekdays, make-up workdays at weekends. */
  days: readonly CalendarDay[];
  /** Years whose holidays are known; others fall back to Monday–Friday and are reported. */
  knownYears: readonly number[];
}

export interface CalendarOptions {
  officeHours?: readonly OfficePeriod[];
  utcOffsetMinutes?: number;
}

export class WorkingCalendar {
  private readonly exceptions: Map<string, CalendarDay>;
  private readonly knownYears: Set<number>;
  private readonly hours: readonly OfficePeriod[];
  private readonly offset: number;
  /** Whether a day (days since 1970-01-01, local) is a working day: the clocks ask often. */
  private readonly workingDays = new Map<number, boolean>();
  /** Office minutes in a working day. */
  readonly minutesPerDay: number;

  constructor(table: CalendarTable, options: CalendarOptions = {}) {
    this.exceptions = new Map(table.days.map((d) => [d.date, d]));
    this.knownYears = new Set(table.knownYears);
    this.hours = [...(options.officeHours ?? DEFAULT_OFFICE_HOURS)].sort((a, b) => a[0] - b[0]);
    for (const [start, end] of this.hours) {
      if (!(start >= 0 && start < end && end <= 24 * 60))
        throw new Error(`invalid office period ${start}–${end}`);
    }
    this.offset = (options.utcOffsetMinutes ?? SHENZHEN_UTC_OFFSET_MINUTES) * MINUTE;
    this.minutesPerDay = this.hours.reduce((sum, [s, e]) => sum + e - s, 0);
  }

  /** A new calendar with these days changed (an admin override: a typhoon day, next year's holidays). */
  withDays(days: readonly CalendarDay[], knownYears: readonly number[] = []): WorkingCalendar {
    return new WorkingCalendar(
      {
        days: [...this.exceptions.values(), ...days],
        knownYears: [...this.knownYears, ...knownYears],
      },
      { officeHours: this.hours, utcOffsetMinutes: this.offset / MINUTE },
    );
  }

  /**
   * A new calendar with a whole year's schedule in place of what it had for that year (the
   * State Council's holidays and make-up working days, imported at once): the year is then
   * known.
   */
  withYear(year: number, days: readonly CalendarDay[]): WorkingCalendar {
    const prefix = `${year}-`;
    return new WorkingCalendar(
      {
        days: [
          ...[...this.exceptions.values()].filter((d) => !d.date.startsWith(prefix)),
          ...days.filter((d) => d.date.startsWith(prefix)),
        ],
        knownYears: [...this.knownYears, year],
      },
      { officeHours: this.hours, utcOffsetMinutes: this.offset / MINUTE },
    );
  }

  /** The days of a year that differ from Monday–Friday, by date. */
  daysOf(year: number): CalendarDay[] {
    const prefix = `${year}-`;
    return [...this.exceptions.values()]
      .filter((d) => d.date.startsWith(prefix))
      .sort((a, b) => a.date.localeCompare(b.date));
  }

  /** Years whose holidays are known, in order. */
  get years(): number[] {
    return [...this.knownYears].sort((a, b) => a - b);
  }

  /** Office periods, in minutes after local midnight. */
  get officeHours(): readonly OfficePeriod[] {
    return this.hours;
  }

  /** The local date (YYYY-MM-DD) of an instant. */
  dateOf(instant: Date): string {
    return new Date(instant.getTime() + this.offset).toISOString().slice(0, 10);
  }

  /** Whether the holidays of this date's year are known (not a weekday guess). */
  knows(date: string): boolean {
    return this.knownYears.has(Number(date.slice(0, 4)));
  }

  isWorkingDay(date: string): boolean {
    const exception = this.exceptions.get(date);
    if (exception) return exception.working;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /** `isWorkingDay` by day number, remembered. */
  private isWorking(day: number): boolean {
    let working = this.workingDays.get(day);
    if (working === undefined) {
      working = this.isWorkingDay(this.dayString(day));
      this.workingDays.set(day, working);
    }
    return working;
  }

  /** True when the instant falls inside office hours on a working day. */
  isOfficeTime(instant: Date): boolean {
    const { day, minute } = this.local(instant);
    return this.isWorking(day) && this.hours.some(([s, e]) => minute >= s && minute < e);
  }

  /** The instant `minutes` of office time after `from`. Zero minutes from outside office hours moves nothing. */
  addWorkingMinutes(from: Date, minutes: number): Date {
    if (minutes < 0 || !Number.isFinite(minutes))
      throw new Error('minutes must be a finite number ≥ 0');
    let left = minutes * MINUTE;
    if (left === 0) return new Date(from);
    let { day, ms } = this.localMs(from);
    for (let guard = 0; guard < 3660; guard++, day++, ms = 0) {
      if (!this.isWorking(day)) continue;
      for (const [s, e] of this.hours) {
        const start = Math.max(ms, s * MINUTE);
        const end = e * MINUTE;
        if (start >= end) continue;
        if (left <= end - start) return this.instant(day, start + left);
        left -= end - start;
      }
    }
    throw new Error('no working time found within ten years');
  }

  /**
   * The latest instant from which `minutes` of office time run until `to` (the inverse of
   * addWorkingMinutes): a warning N working hours before a deadline.
   */
  subtractWorkingMinutes(to: Date, minutes: number): Date {
    if (minutes < 0 || !Number.isFinite(minutes))
      throw new Error('minutes must be a finite number ≥ 0');
    let left = minutes * MINUTE;
    if (left === 0) return new Date(to);
    let { day, ms } = this.localMs(to);
    for (let guard = 0; guard < 3660; guard++, day--, ms = DAY) {
      if (!this.isWorking(day)) continue;
      for (const [s, e] of [...this.hours].reverse()) {
        const end = Math.min(ms, e * MINUTE);
        const start = s * MINUTE;
        if (end <= start) continue;
        if (left <= end - start) return this.instant(day, end - left);
        left -= end - start;
      }
    }
    throw new Error('no working time found within ten years');
  }

  /** Office minutes in [from, to); 0 when `to` is not after `from`. */
  workingMinutesBetween(from: Date, to: Date): number {
    if (to.getTime() <= from.getTime()) return 0;
    const a = this.localMs(from);
    const b = this.localMs(to);
    let total = 0;
    for (let day = a.day; day <= b.day; day++) {
      if (!this.isWorking(day)) continue;
      const lo = day === a.day ? a.ms : 0;
      const hi = day === b.day ? b.ms : DAY;
      for (const [s, e] of this.hours)
        total += Math.max(0, Math.min(hi, e * MINUTE) - Math.max(lo, s * MINUTE));
    }
    return Math.floor(total / MINUTE);
  }

  /**
   * Close of business on the working day that holds the first office minute at or after
   * `instant`: during office hours, the same day; after hours or on a holiday, the next
   * working day; before opening or at lunch, the same day still.
   */
  endOfWorkingDay(instant: Date): Date {
    const first = this.nextOfficeMinute(instant);
    const { day } = this.local(first);
    return this.instant(day, this.hours[this.hours.length - 1]![1] * MINUTE);
  }

  /**
   * The same-day answer promise (当日回应): by close of business on the intake day if the
   * case arrived in office hours, otherwise by close of business on the next working day.
   */
  sameDayDeadline(intake: Date): Date {
    return this.endOfWorkingDay(intake);
  }

  /**
   * Close of business on the `days`-th working day after the working day of `instant`
   * (N个工作日内: the intake day does not count).
   */
  addWorkingDays(instant: Date, days: number): Date {
    if (!Number.isInteger(days) || days < 0) throw new Error('days must be a whole number ≥ 0');
    let { day } = this.local(this.nextOfficeMinute(instant));
    for (let left = days, guard = 0; left > 0; guard++) {
      if (guard > 3660) throw new Error('no working day found within ten years');
      day++;
      if (this.isWorking(day)) left--;
    }
    return this.instant(day, this.hours[this.hours.length - 1]![1] * MINUTE);
  }

  /** The first office minute at or after `instant`. */
  nextOfficeMinute(instant: Date): Date {
    let { day, ms } = this.localMs(instant);
    for (let guard = 0; guard < 3660; guard++, day++, ms = 0) {
      if (!this.isWorking(day)) continue;
      for (const [s, e] of this.hours) {
        if (ms < e * MINUTE) return this.instant(day, Math.max(ms, s * MINUTE));
      }
    }
    throw new Error('no working time found within ten years');
  }

  private local(instant: Date): { day: number; minute: number } {
    const { day, ms } = this.localMs(instant);
    return { day, minute: Math.floor(ms / MINUTE) };
  }

  private localMs(instant: Date): { day: number; ms: number } {
    const local = instant.getTime() + this.offset;
    const day = Math.floor(local / DAY);
    return { day, ms: local - day * DAY };
  }

  private dayString(day: number): string {
    return new Date(day * DAY).toISOString().slice(0, 10);
  }

  private instant(day: number, ms: number): Date {
    return new Date(day * DAY + ms - this.offset);
  }
}
