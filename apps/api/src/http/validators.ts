import { Transform } from 'class-transformer';
import { Matches, ValidateBy, ValidateIf } from 'class-validator';
import { isCalendarDate } from '#domain';

/** Optional, but not null: null is validated (and refused) like any other wrong value. */
export const OptionalNotNull = () => ValidateIf((_object, value) => value !== undefined);

export const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A date-time with its offset, at a real calendar date. */
export const isInstant = (value: string) =>
  INSTANT.test(value) && !Number.isNaN(Date.parse(value)) && isCalendarDate(value.slice(0, 10));

/**
 * A date (YYYY-MM-DD: midnight in Shenzhen) or a date-time with its offset; normalised to a
 * date-time with offset, so PostgreSQL never guesses a time zone.
 */
export function DateOrInstant(field: string): PropertyDecorator {
  const message = `${field} must be a date (YYYY-MM-DD) or a date-time with its offset (2026-11-20T09:00:00+08:00)`;
  return (target, key) => {
    Matches(/^(\d{4}-\d{2}-\d{2}T00:00:00\+08:00|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}.*)$/, { message })(
      target,
      key,
    );
    Transform(({ value }) =>
      typeof value !== 'string'
        ? value
        : isCalendarDate(value)
          ? `${value}T00:00:00+08:00`
          : isInstant(value)
            ? value
            : `invalid:${value}`,
    )(target, key);
  };
}

/** A date-time with its offset. */
export function Instant(field: string): PropertyDecorator {
  return Matches(INSTANT, {
    message: `${field} must be a date-time with its offset, such as 2026-12-31T18:00:00+08:00`,
  });
}

/** A real calendar date, YYYY-MM-DD. */
export function CalendarDate(field: string): PropertyDecorator {
  return (target, key) => {
    Transform(({ value }) =>
      typeof value === 'string' && !isCalendarDate(value) ? `invalid:${value}` : value,
    )(target, key);
    Matches(DATE, { message: `${field} must be a real date, YYYY-MM-DD` })(target, key);
  };
}

/** The earliest date a record of this programme can plausibly carry. */
export const EARLIEST_DATE = '2000-01-01';

/**
 * A real calendar date, YYYY-MM-DD, not before 2000-01-01 (a visit dated 1900 is a typing
 * error); the domain refuses a date after today by its own clock.
 */
export function RecentDate(field: string): PropertyDecorator {
  return (target, key) => {
    CalendarDate(field)(target, key);
    ValidateBy({
      name: 'recentDate',
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' || !DATE.test(value) || value >= EARLIEST_DATE,
        defaultMessage: () =>
          `${field} must be a date (YYYY-MM-DD) on or after ${EARLIEST_DATE}, and not in the future`,
      },
    })(target, key);
  };
}
