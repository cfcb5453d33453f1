/**
 * Shenzhen local time (Asia/Shanghai, UTC+8 all year: China has no daylight saving). The
 * one place the domain turns an instant into a local date or a local date into an instant;
 * nothing here reads the clock.
 */
export const SHENZHEN_UTC_OFFSET_MINUTES = 8 * 60;
const OFFSET_MS = SHENZHEN_UTC_OFFSET_MINUTES * 60_000;

const instantOf = (instant: Date | string | number) =>
  instant instanceof Date
    ? instant.getTime()
    : typeof instant === 'string'
      ? Date.parse(instant)
      : instant;

/** The Shenzhen calendar date (YYYY-MM-DD) of an instant. */
export function shenzhenDate(instant: Date | string | number): string {
  return new Date(instantOf(instant) + OFFSET_MS).toISOString().slice(0, 10);
}

/** The Shenzhen local date and time of an instant, to the minute: `2026-12-01 09:30`. */
export function shenzhenDateTime(instant: Date | string | number): string {
  return new Date(instantOf(instant) + OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The instant a Shenzhen calendar date (YYYY-MM-DD) begins: its local midnight. */
export function shenzhenMidnight(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS);
}
