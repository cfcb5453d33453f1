import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { isCalendarDate } from '#domain';
import { HttpProblem } from './errors.js';

/** An opaque keyset cursor: the sort values of the last row of a page. */
export const encodeCursor = (values: (string | number)[]) =>
  Buffer.from(JSON.stringify(values)).toString('base64url');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** What a cursor position may hold: checked before it reaches SQL. */
export const CursorValue = {
  instant: (v: string) => !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v,
  date: isCalendarDate,
  uuid: (v: string) => UUID.test(v),
  text: (v: string) => v.length > 0 && v.length <= 300,
};

/** The sort values of a cursor, each checked by its kind; a forged or stale cursor is a 400. */
export function decodeCursor(cursor: string, kinds: ((value: string) => boolean)[]): string[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(values) &&
      values.length === kinds.length &&
      values.every((v, i) => typeof v === 'string' && !v.includes('\u0000') && kinds[i]!(v))
    ) {
      return values as string[];
    }
  } catch {
    // fall through
  }
  throw new HttpProblem(
    400,
    'REQUEST.INVALID',
    'cursor must be a nextCursor from a previous page',
    [{ field: 'cursor', rule: 'cursor', message: 'must be a nextCursor from a previous page' }],
  );
}

/** Limit and cursor, shared by every paged list. */
const LIMIT_RULE = 'limit must be a whole number from 1 to 100';

export class PageDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value,
  )
  @Max(100, { message: LIMIT_RULE })
  @Min(1, { message: LIMIT_RULE })
  @IsInt({ message: LIMIT_RULE })
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page (same filters and sort)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,300}$/, {
    message: 'cursor must be a nextCursor from a previous page',
  })
  cursor?: string;
}

/**
 * A page from rows fetched with `limit + 1`: the extra row only says there is a next page,
 * whose cursor holds the sort values of this page's last row.
 */
export function toPage<T>(
  rows: T[],
  limit: number,
  cursorOf: (row: T) => (string | number)[],
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}
