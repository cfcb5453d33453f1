import { isCalendarDate } from './dates.js';

describe('calendar dates', () => {
  it.each(['2026-11-20', '2024-02-29', '2026-12-31'])('accepts %s', (d) =>
    expect(isCalendarDate(d)).toBe(true),
  );
  it.each([
    '2026-02-29',
    '2026-02-30',
    '2026-13-45',
    '2026-00-10',
    '2026-11',
    '2026-W10',
    '20/11/2026',
    '2026-11-20T00:00:00Z',
    '',
  ])('refuses %s', (d) => expect(isCalendarDate(d)).toBe(false));
});
