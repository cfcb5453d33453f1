import { creditCodeCheckCharacter, creditCodeProblem, normaliseCreditCode } from './credit-code.js';
import { aCreditCode } from '../testing/builders.js';

describe('unified social credit code (GB 32100-2015)', () => {
  // Published codes of real enterprises, check characters included.
  it.each(['91440300708461136T', '914403001922038216', '91110000802100433B', '91440300192194195C'])(
    'accepts the real code %s',
    (code) => expect(creditCodeProblem(code)).toBeNull(),
  );

  it('computes the check character from the first 17 characters', () => {
    expect(creditCodeCheckCharacter('91440300708461136')).toBe('T');
    expect(creditCodeCheckCharacter('91440300192203821')).toBe('6');
  });

  it('refuses a wrong check character', () => {
    expect(creditCodeProblem('91440300708461136U')).toBe('check_character');
  });

  it('refuses every single-character substitution of a valid code', () => {
    const valid = aCreditCode(123_456);
    for (let i = 0; i < 18; i++) {
      for (const c of '0123456789ABCDEFGHJKLMNPQRTUWXY') {
        if (c === valid[i]) continue;
        const mutated = valid.slice(0, i) + c + valid.slice(i + 1);
        expect(creditCodeProblem(mutated)).not.toBeNull();
      }
    }
  });

  it('refuses the wrong length and letters outside the alphabet', () => {
    expect(creditCodeProblem('91440300708461136')).toBe('length');
    expect(creditCodeProblem('91440300708461136TT')).toBe('length');
    expect(creditCodeProblem('9144030070846113IT')).toBe('characters'); // I is not used
    expect(creditCodeProblem('91A40300708461136T')).toBe('characters'); // division code is digits
  });

  it('normalises spaces and lower case as officers type them', () => {
    expect(normaliseCreditCode(' 9144 0300 7084 6113 6t ')).toBe('91440300708461136T');
  });

  it('builds valid codes for test data', () => {
    for (let n = 0; n < 500; n++) expect(creditCodeProblem(aCreditCode(n))).toBeNull();
  });
});
