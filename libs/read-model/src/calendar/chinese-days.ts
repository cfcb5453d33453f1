import { createRequire } from 'node:module';
import type { CalendarDay, CalendarTable } from '#domain';

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/**
 * China's public holidays and make-up working days (调休) from the chinese-days package
 * (2004–2026 in 1.5.7). Years after that must come from admin overrides until the package
 * is updated; the calendar reports a year it does not know.
 */
export function chineseDaysTable(): CalendarTable {
  const data = createRequire(import.meta.url)(
    'chinese-days/dist/chinese-days.json',
  ) as ChineseDaysData;
  const day =
    (working: boolean) =>
    ([date, label]: [string, string]): CalendarDay => ({
      date,
      working,
      name: label.split(',')[1] ?? label,
    });
  const days = [
    ...Object.entries(data.holidays).map(day(false)),
    ...Object.entries(data.workdays).map(day(true)),
  ];
  const knownYears = [
    ...new Set(Object.keys(data.holidays).map((date) => Number(date.slice(0, 4)))),
  ].sort();
  return { days, knownYears };
}
