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
export type SlaSettingsCommand = SetCalendarDay | ClearCalendarDay | SetSlaPolicy;

export type CalendarDaySet = Event<
  'CalendarDaySet',
  { date: string; working: boolean; name: string; at: string }
>;
export type CalendarDayCleared = Event<'CalendarDayCleared', { date: string; at: string }>;
export type SlaPolicySet = Event<'SlaPolicySet', SlaPolicyChange & { at: string }>;
export type SlaSettingsEvent = CalendarDaySet | CalendarDayCleared | SlaPolicySet;
export const SLA_SETTINGS_EVENT_TYPES: readonly SlaSettingsEvent['type'][] = [
  'CalendarDaySet',
  'CalendarDayCleared',
  'SlaPolicySet',
];

export interface SlaSettingsState {
  /** Calendar overrides by date. */
  days: ReadonlyMap<string, CalendarDay>;
  /** Every policy change, in order. */
  policies: readonly SlaPolicyChange[];
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
} as const;

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
  initialState: () => ({ days: new Map(), policies: [] }),

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
      default:
        return assertNever(event);
    }
  },
};

/**
 * The calendar the settings make of the holiday data: overrides replace the data's days; a
 * year with at least one override counts as known (an admin has declared it).
 */
export function calendarWithOverrides(
  base: WorkingCalendar,
  days: Iterable<CalendarDay>,
): WorkingCalendar {
  const list = [...days];
  return base.withDays(list, [...new Set(list.map((d) => Number(d.date.slice(0, 4))))]);
}
