import { HttpProblem } from './errors.js';

/** An opaque keyset cursor: the sort values of the last row of a page. */
export const encodeCursor = (values: (string | number)[]) =>
  Buffer.from(JSON.stringify(values)).toString('base64url');

export function decodeCursor(cursor: string, length: number): string[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(values) &&
      values.length === length &&
      values.every((v) => typeof v === 'string' && v.length <= 300 && !v.includes('\u0000'))
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
