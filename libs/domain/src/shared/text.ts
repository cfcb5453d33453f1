import { invalid } from './errors.js';

// C0 control characters other than tab, line feed and carriage return.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** Trims a free-text value, enforces a length range and refuses control characters. */
export function requireText(
  value: string,
  field: string,
  code: string,
  { min = 1, max }: { min?: number; max: number },
): string {
  const trimmed = value.trim();
  if (trimmed.length < min || trimmed.length > max) {
    throw invalid(code, `${field} must be ${min} to ${max} characters after trimming`, field);
  }
  if (CONTROL.test(trimmed))
    throw invalid(code, `${field} must not contain control characters`, field);
  return trimmed;
}
