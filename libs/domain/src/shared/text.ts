import { invalid } from './errors.js';

/** Trims a free-text value and enforces a length range, naming the field when it fails. */
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
  return trimmed;
}
