import { assertNever, type Command, type Decider, type Event } from '../shared/decider.js';
import { conflict, invalid } from '../shared/errors.js';
import { requireText } from '../shared/text.js';
import { isCalendarDate, parseInstant } from '../shared/dates.js';
import { requireKnown, type Catalogue } from '../reference/reference-data.js';
import { CASE_PRIORITIES } from '../case/case-events.js';
import type { CalendarDay, WorkingCalendar } from '../calendar/working-calendar.js';
import type { SlaPolicyChange, SlaPolicySettings } from './policy.js';

/**
 * The district's SLA settings, changed by admins and kept as events in one stream:
 * working-calendar overrides (a typhoon day, a local closure, next year's holidays before
 * the data package knows them) and SLA policies per category and priority.
 */
export const SLA_SETTINGS_STREAM_ID = 'sla-settings-district';

export type SetCalendarDay = Command<
  'SetCalendarDay',
  { date: string; working: boolean; name: string }
>;
/** Drops an override: the day is again what the holiday data says. */
export type ClearCalendarDay = Command<'ClearCalendarDay', { date: string }>;
export type SetSlaPolicy = Command<
  'SetSlaPolicy',
  { key: string; policy: SlaPolicySettings; effectiveFrom: string; catalogue: Catalogue }
>;
/**
 * One entry of a year's schedule: a name and its days, as dates or as an inclusive range
 * (a convenience: `{ name: '春节', from: '2027-02-06', to: '2027-02-14' }`).
 */
export interface YearScheduleEntry {
  name: string;
  dates?: readonly string[];
  from?: string;
  to?: string;
}
/**
 * A whole year's working calendar at once, as the State Council publishes it each November:
 * the public holidays (days off, weekends within a holiday included) and the make-up
 * working days (调休, weekend days that are worked). It replaces what the holiday data and
 * any earlier import said about that year; single-day overrides stay on top.
 */
export type ImportCalendarYear = Command<
  'ImportCalendarYear',
  { year: number; holidays: readonly YearScheduleEntry[]; workdays: readonly YearScheduleEntry[] }
>;
export type SlaSettingsCommand =
  SetCalendarDay | ClearCalendarDay | SetSlaPolicy | ImportCalendarYear;

export type CalendarDaySet = Event<
  'CalendarDaySet',
  { date: string; working: boolean; name: string; at: string }
>;
export type CalendarDayCleared = Event<'CalendarDayCleared', { date: string; at: string }>;
export type SlaPolicySet = Event<'SlaPolicySet', SlaPolicyChange & { at: string }>;
/** A year's schedule imported whole: `days` are the exceptions to Monday–Friday, by date. */
export type CalendarYearImported = Event<
  'CalendarYearImported',
  { year: number; days: CalendarDay[]; at: string }
>;
export type SlaSettingsEvent =
  CalendarDaySet | CalendarDayCleared | SlaPolicySet | CalendarYearImported;
export const SLA_SETTINGS_EVENT_TYPES: readonly SlaSettingsEvent['type'][] = [
  'CalendarDaySet',
  'CalendarDayCleared',
  'SlaPolicySet',
  'CalendarYearImported',
];

export interface SlaSettingsState {
  /** Calendar overrides by date. */
  days: ReadonlyMap<string, CalendarDay>;
  /** Every policy change, in order. */
  policies: readonly SlaPolicyChange[];
  /** Years imported whole, with their days. */
  years: ReadonlyMap<number, readonly CalendarDay[]>;
}

export const SlaSettingsErrors = {
  invalidDate: 'SLA.INVALID_DATE',
  invalidName: 'SLA.INVALID_NAME',
  noOverride: 'SLA.NO_OVERRIDE',
  unchanged: 'SLA.UNCHANGED',
  invalidKey: 'SLA.INVALID_KEY',
  unknownCategory: 'SLA.UNKNOWN_CATEGORY',
  invalidPolicy: 'SLA.INVALID_POLICY',
  invalidEffectiveFrom: 'SLA.INVALID_EFFECTIVE_FROM',
  invalidYear: 'SLA.INVALID_YEAR',
  invalidSchedule: 'SLA.INVALID_SCHEDULE',
  duplicateDate: 'SLA.DUPLICATE_DATE',
  dateOutsideYear: 'SLA.DATE_OUTSIDE_YEAR',
} as const;

/** The years an import may name: the holiday data starts in 2004. */
export const IMPORT_YEARS = [2004, 2100] as const;
const DAY_MS = 86_400_000;

/**
 * A year's schedule as its days, validated: the year; every entry named, with dates or a
 * range (not both, from ≤ to, at most 31 days); every date real and inside the year; no date
 * twice (within or across the lists); make-up working days on Saturdays or Sundays only
 * (a weekday is a working day already). Sorted by date.
 */
export function yearScheduleDays(
  year: number,
  holidays: readonly YearScheduleEntry[],
  workdays: readonly YearScheduleEntry[],
): CalendarDay[] {
  if (!Number.isInteger(year) || year < IMPORT_YEARS[0] || year > IMPORT_YEARS[1])
    throw invalid(
      SlaSettingsErrors.invalidYear,
      `year must be a whole number from ${IMPORT_YEARS[0]} to ${IMPORT_YEARS[1]}`,
      'year',
    );
  if (holidays.length === 0)
    throw invalid(
      SlaSettingsErrors.invalidSchedule,
      'holidays must list the year’s public holidays (at least one)',
      'holidays',
    );
  const seen = new Map<string, string>();
  const days: CalendarDay[] = [];
  const add = (list: 'holidays' | 'workdays', entries: readonly YearScheduleEntry[]) => {
    entries.forEach((entry, i) => {
      const at = `${list}[${i}]`;
      const name = requireText(entry.name ?? '', `${at}.name`, SlaSettingsErrors.invalidName, {
        max: 100,
      });
      const dates: { date: string; field: string }[] = [];
      const hasRange = entry.from !== undefined || entry.to !== undefined;
      if (entry.dates !== undefined && hasRange)
        throw invalid(
          SlaSettingsErrors.invalidSchedule,
          `${at} must give either dates or from and to, not both`,
          at,
        );
      if (entry.dates !== undefined) {
        if (entry.dates.length === 0)
          throw invalid(
            SlaSettingsErrors.invalidSchedule,
            `${at}.dates must not be empty`,
            `${at}.dates`,
          );
        entry.dates.forEach((date, j) => dates.push({ date, field: `${at}.dates[${j}]` }));
      } else if (hasRange) {
        for (const end of ['from', 'to'] as const) {
          const value = entry[end];
          if (value === undefined || !isCalendarDate(value))
            throw invalid(
              SlaSettingsErrors.invalidDate,
              `${at}.${end} must be a real date (YYYY-MM-DD)`,
              `${at}.${end}`,
            );
        }
        const from = Date.parse(`${entry.from}T00:00:00Z`);
        const to = Date.parse(`${entry.to}T00:00:00Z`);
        if (to < from)
          throw invalid(
            SlaSettingsErrors.invalidSchedule,
            `${at}.to must not be before ${at}.from`,
            `${at}.to`,
          );
        if ((to - from) / DAY_MS >= 31)
          throw invalid(SlaSettingsErrors.invalidSchedule, `${at} must span at most 31 days`, at);
        for (let t = from; t <= to; t += DAY_MS)
          dates.push({ date: new Date(t).toISOString().slice(0, 10), field: `${at}.from` });
      } else {
        throw invalid(
          SlaSettingsErrors.invalidSchedule,
          `${at} must give dates, or from and to`,
          at,
        );
      }
      for (const { date, field } of dates) {
        if (!isCalendarDate(date))
          throw invalid(
            SlaSettingsErrors.invalidDate,
            `${field} must be a real date (YYYY-MM-DD)`,
            field,
          );
        if (!date.startsWith(`${year}-`))
          throw invalid(
            SlaSettingsErrors.dateOutsideYear,
            `${field} (${date}) is not in ${year}`,
            field,
          );
        const before = seen.get(date);
        if (before)
          throw invalid(
            SlaSettingsErrors.duplicateDate,
            `${date} is listed twice (${before} and ${field})`,
            field,
          );
        seen.set(date, field);
        const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
        if (list === 'workdays' && weekday !== 0 && weekday !== 6)
          throw invalid(
            SlaSettingsErrors.invalidSchedule,
            `${field} (${date}) is a weekday: make-up working days (调休) fall on a Saturday or Sunday`,
            field,
          );
        days.push({ date, working: list === 'workdays', name });
      }
    });
  };
  add('holidays', holidays);
  add('workdays', workdays);
  return days.sort((a, b) => a.date.localeCompare(b.date));
}

const KEY = /^(\*|[a-z][a-z0-9_]{1,39})\/(\*|[a-z]+)$/;
const LIMITS: Record<keyof Omit<SlaPolicySettings, 'autoSuperviseOnOverdue'>, [number, number]> = {
  resolutionWorkingDays: [1, 250],
  interimUpdateWorkingHours: [1, 400],
  warningWorkingHours: [0, 80],
};

function requireDate(date: string): string {
  if (!isCalendarDate(date))
    throw invalid(SlaSettingsErrors.invalidDate, 'date must be a real date (YYYY-MM-DD)', 'date');
  return date;
}

function requirePolicy(policy: SlaPolicySettings): SlaPolicySettings {
  const entries = Object.entries(policy).filter(([, v]) => v !== undefined);
  if (entries.length === 0)
    throw invalid(
      SlaSettingsErrors.invalidPolicy,
      'policy must set at least one of resolutionWorkingDays, interimUpdateWorkingHours, warningWorkingHours, autoSuperviseOnOverdue',
      'policy',
    );
  for (const [field, value] of entries) {
    if (field === 'autoSuperviseOnOverdue') {
      if (typeof value !== 'boolean')
        throw invalid(SlaSettingsErrors.invalidPolicy, `policy.${field} must be a boolean`, field);
      continue;
    }
    const limits = LIMITS[field as keyof typeof LIMITS];
    if (!limits)
      throw invalid(
        SlaSettingsErrors.invalidPolicy,
        `policy.${field} is not a policy setting`,
        `policy.${field}`,
      );
    if (!Number.isInteger(value) || (value as number) < limits[0] || (value as number) > limits[1])
      throw invalid(
        SlaSettingsErrors.invalidPolicy,
        `policy.${field} must be a whole number from ${limits[0]} to ${limits[1]}`,
        `policy.${field}`,
      );
  }
  return Object.fromEntries(entries) as SlaPolicySettings;
}

export const slaSettingsDecider: Decider<SlaSettingsState, SlaSettingsCommand, SlaSettingsEvent> = {
  initialState: () => ({ days: new Map(), policies: [], years: new Map() }),

  decide(command, state) {
    const at = command.now.toISOString();
    switch (command.type) {
      case 'SetCalendarDay': {
        const date = requireDate(command.data.date);
        const name = requireText(command.data.name, 'name', SlaSettingsErrors.invalidName, {
          max: 100,
        });
        const current = state.days.get(date);
        if (current && current.working === command.data.working && current.name === name)
          throw conflict(SlaSettingsErrors.unchanged, `${date} is already set so`);
        return [
          { type: 'CalendarDaySet', data: { date, working: command.data.working, name, at } },
        ];
      }
      case 'ClearCalendarDay': {
        const date = requireDate(command.data.date);
        if (!state.days.has(date))
          throw conflict(SlaSettingsErrors.noOverride, `${date} has no override to clear`);
        return [{ type: 'CalendarDayCleared', data: { date, at } }];
      }
      case 'SetSlaPolicy': {
        const { key, catalogue } = command.data;
        const match = KEY.exec(key);
        if (!match)
          throw invalid(
            SlaSettingsErrors.invalidKey,
            'key must be category/priority, with * for any (e.g. power_supply/urgent, */high, */*)',
            'key',
          );
        const [, category, priority] = match;
        if (category !== '*')
          requireKnown(catalogue.categories, category!, 'key', SlaSettingsErrors.unknownCategory);
        if (priority !== '*' && !(CASE_PRIORITIES as readonly string[]).includes(priority!))
          throw invalid(
            SlaSettingsErrors.invalidKey,
            `the priority in key must be * or one of ${CASE_PRIORITIES.join(', ')}`,
            'key',
          );
        const effective = parseInstant(command.data.effectiveFrom);
        if (Number.isNaN(effective))
          throw invalid(
            SlaSettingsErrors.invalidEffectiveFrom,
            'effectiveFrom must be a date-time with its offset, such as 2026-12-01T00:00:00+08:00',
            'effectiveFrom',
          );
        return [
          {
            type: 'SlaPolicySet',
            data: {
              key,
              policy: requirePolicy(command.data.policy),
              effectiveFrom: new Date(effective).toISOString(),
              at,
            },
          },
        ];
      }
      case 'ImportCalendarYear': {
        const { year, holidays, workdays } = command.data;
        const days = yearScheduleDays(year, holidays, workdays);
        const current = state.years.get(year);
        const same = (list: readonly CalendarDay[]) =>
          list.map((d) => `${d.date} ${d.working} ${d.name}`).join('|');
        if (current && same(current) === same(days))
          throw conflict(SlaSettingsErrors.unchanged, `${year} is already imported so`);
        return [{ type: 'CalendarYearImported', data: { year, days, at } }];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'CalendarDaySet': {
        const days = new Map(state.days);
        const { date, working, name } = event.data;
        days.set(date, { date, working, name });
        return { ...state, days };
      }
      case 'CalendarDayCleared': {
        const days = new Map(state.days);
        days.delete(event.data.date);
        return { ...state, days };
      }
      case 'SlaPolicySet': {
        const { key, policy, effectiveFrom } = event.data;
        return { ...state, policies: [...state.policies, { key, policy, effectiveFrom }] };
      }
      case 'CalendarYearImported': {
        const years = new Map(state.years);
        years.set(event.data.year, event.data.days);
        return { ...state, years };
      }
      default:
        return assertNever(event);
    }
  },
};

/**
 * The calendar the settings make of the holiday data: an imported year replaces what the
 * data says of it and becomes known; single-day overrides replace the days they name, on
 * top, and make no year known (one typhoon day says nothing of a year's holidays).
 */
export function calendarWithOverrides(
  base: WorkingCalendar,
  days: Iterable<CalendarDay>,
  years: Iterable<[number, readonly CalendarDay[]]> = [],
): WorkingCalendar {
  let calendar = base;
  for (const [year, schedule] of [...years].sort(([a], [b]) => a - b))
    calendar = calendar.withYear(year, schedule);
  return calendar.withDays([...days]);
}
