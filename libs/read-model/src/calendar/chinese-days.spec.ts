import { WorkingCalendar } from '#domain';
import { CALENDAR_2026 } from '../../../domain/src/testing/calendar-2026.js';
import { chineseDaysTable } from './chinese-days.js';

describe('the chinese-days calendar table', () => {
  const table = chineseDaysTable();

  it('knows 2004 to 2026', () => {
    expect(table.knownYears[0]).toBe(2004);
    expect(table.knownYears.at(-1)).toBe(2026);
  });

  it('has exactly the 2026 days the domain tests use', () => {
    const of2026 = (days: typeof table.days) =>
      days
        .filter((d) => d.date.startsWith('2026'))
        .map((d) => `${d.date} ${d.working} ${d.name}`)
        .sort();
    expect(of2026(table.days)).toEqual(of2026(CALENDAR_2026.days));
  });

  it('gives a calendar that agrees with the package on known days', () => {
    const calendar = new WorkingCalendar(table);
    expect(calendar.isWorkingDay('2025-01-26')).toBe(true); // a make-up Sunday before the 2025 Spring Festival
    expect(calendar.isWorkingDay('2025-01-29')).toBe(false); // 2025 Spring Festival
    expect(calendar.knows('2027-01-01')).toBe(false);
  });
});
