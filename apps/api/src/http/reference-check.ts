import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import type { Catalogue } from '#domain';
import { HttpProblem, type FieldErrorDto } from './errors.js';

/** Body fields that name reference data, and the catalogue each is checked against. */
const REFERENCE_FIELDS: Record<string, keyof Catalogue> = {
  category: 'categories',
  street: 'streets',
  department: 'departments',
  leadDepartment: 'departments',
  toDepartment: 'departments',
  coDepartments: 'departments',
};

/** The reference-data problems of a request body: `problems[1].category`, `coDepartments[0]`, …. */
export function referenceErrors(value: unknown, catalogue: Catalogue, path = ''): FieldErrorDto[] {
  if (Array.isArray(value))
    return value.flatMap((v, i) =>
      v && typeof v === 'object' ? referenceErrors(v, catalogue, `${path}[${i}]`) : [],
    );
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
    const field = path ? `${path}.${key}` : key;
    const kind = REFERENCE_FIELDS[key];
    if (!kind) return v && typeof v === 'object' ? referenceErrors(v, catalogue, field) : [];
    const known = catalogue[kind];
    const choices = [...known].sort().join(', ') || 'none configured';
    const check = (code: unknown, at: string): FieldErrorDto[] =>
      typeof code === 'string' && !known.has(code)
        ? [{ field: at, rule: 'isKnownCode', message: `${at} must be one of: ${choices}` }]
        : [];
    return Array.isArray(v) ? v.flatMap((c, i) => check(c, `${field}[${i}]`)) : check(v, field);
  });
}

/**
 * The validation pipe, and when it refuses a body, the reference codes in that body too
 * (an unknown category with a wrong priority: both reported at once, not one after the
 * other). The catalogue is read fresh on that failing path only; a valid body goes on to
 * the command, which checks its codes against the catalogue it reads.
 */
export function withReferenceCheck(
  validation: PipeTransform,
  catalogue: () => Promise<Catalogue>,
): PipeTransform {
  return {
    async transform(value: unknown, metadata: ArgumentMetadata) {
      try {
        return await validation.transform(value, metadata);
      } catch (error) {
        if (
          metadata.type !== 'body' ||
          !(error instanceof HttpProblem) ||
          error.code !== 'REQUEST.INVALID'
        )
          throw error;
        const already = new Set((error.errors ?? []).map((e) => e.field));
        const known = await catalogue().catch(() => null);
        if (!known) throw error;
        const more = referenceErrors(value, known).filter((e) => !already.has(e.field));
        if (!more.length) throw error;
        const errors = [...(error.errors ?? []), ...more];
        throw new HttpProblem(
          400,
          'REQUEST.INVALID',
          errors.map((e) => e.message).join('; '),
          errors,
          error.headers,
        );
      }
    },
  };
}
