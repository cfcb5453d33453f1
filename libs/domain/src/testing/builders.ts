import { makeCreditCode } from '../enterprise/credit-code.js';
import { LONGGANG_DEFAULTS, type Catalogue } from '../reference/reference-data.js';

/** A valid credit code for a Longgang (440307) limited company, varied by `n`. */
export const aCreditCode = (n: number) => makeCreditCode('440307', n);

export const T0 = new Date('2026-11-20T02:00:00.000Z'); // Friday 10:00 in Shenzhen
export const at = (minutesAfterT0: number) => new Date(T0.getTime() + minutesAfterT0 * 60_000);

/** The default Longgang catalogue, as codes. */
export function aCatalogue(): Catalogue {
  const codes = (kind: keyof typeof LONGGANG_DEFAULTS) =>
    new Set(LONGGANG_DEFAULTS[kind].map(([code]) => code));
  return {
    streets: codes('street'),
    departments: codes('department'),
    categories: codes('category'),
  };
}
