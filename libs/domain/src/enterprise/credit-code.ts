/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015.
 *
 * 18 characters from a 31-character alphabet (digits and upper-case letters without
 * I, O, Z, S, V):
 *   1     registration authority (登记管理部门码)
 *   2     organisation category (机构类别码)
 *   3–8   administrative division code (登记管理机关行政区划码), digits
 *   9–17  organisation code (主体标识码, GB 11714)
 *   18    check character over the first 17, weights 3^i mod 31
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$/;

export type CreditCodeProblem = 'length' | 'characters' | 'check_character';

/** The check character the first 17 characters call for. */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) throw new Error(`not a credit-code character: ${first17.charAt(i)}`);
    sum += value * WEIGHTS[i]!;
  }
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_ALPHABET.charAt(check);
}

/** Null when the code is valid; otherwise which rule it breaks. Input must be normalised. */
export function creditCodeProblem(code: string): CreditCodeProblem | null {
  if (code.length !== 18) return 'length';
  if (!SHAPE.test(code)) return 'characters';
  return creditCodeCheckCharacter(code.slice(0, 17)) === code.charAt(17) ? null : 'check_character';
}

/** Upper-cases and strips spaces, as officers often type codes in groups or lower case. */
export function normaliseCreditCode(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

export const CREDIT_CODE_RULES: Record<CreditCodeProblem, string> = {
  length: 'must be 18 characters (GB 32100-2015)',
  characters:
    'must use digits and the letters A–Y except I, O, S, V, Z, with digits in positions 3–8 (GB 32100-2015)',
  check_character:
    'has a wrong check character: the 18th character does not match the first 17 (GB 32100-2015)',
};

/**
 * A valid code for a limited company (91) registered in an administrative division (six
 * digits, e.g. 440307 for Longgang), its organisation code made from `serial`.
 */
export function makeCreditCode(divisionCode: string, serial: number): string {
  let body = '';
  let rest = serial;
  for (let i = 0; i < 9; i++) {
    body = CREDIT_CODE_ALPHABET.charAt(rest % 31) + body;
    rest = Math.floor(rest / 31);
  }
  const first17 = `91${divisionCode}${body}`;
  return first17 + creditCodeCheckCharacter(first17);
}
