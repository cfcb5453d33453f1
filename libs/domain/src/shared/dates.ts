/** A real calendar date written YYYY-MM-DD: 2026-02-30 and 2026-13-45 are not. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().startsWith(value);
}

/**
 * The epoch milliseconds of a date-time that carries its offset (Z or ±hh:mm); NaN for
 * anything else, so a local time never depends on the process's time zone.
 */
export function parseInstant(value: string): number {
  return /(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : NaN;
}
