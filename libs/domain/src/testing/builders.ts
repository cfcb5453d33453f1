import { CREDIT_CODE_ALPHABET, creditCodeCheckCharacter } from '../enterprise/credit-code.js';
import { LONGGANG_DEFAULTS, type Catalogue } from '../reference/reference-data.js';

/** A valid credit code for a Longgang (440307) limited company, varied by `n`. */
export function aCreditCode(n: number): string {
  let body = '';
  let rest = n;
  for (let i = 0; i < 9; i++) {
    body = CREDIT_CODE_ALPHABET.charAt(rest % 31) + body;
    rest = Math.floor(rest / 31);
  }
  const first17 = `91440307${body}`;
  return first17 + creditCodeCheckCharacter(first17);
}

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
