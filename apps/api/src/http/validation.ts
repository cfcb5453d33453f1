import {
  ValidationPipe,
  type ArgumentMetadata,
  type PipeTransform,
  type ValidationError,
} from '@nestjs/common';
import { HttpProblem, type FieldErrorDto } from './errors.js';

function flatten(errors: ValidationError[], prefix = ''): FieldErrorDto[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule: rule === 'whitelistValidation' ? 'notAllowed' : rule,
      message: rule === 'whitelistValidation' ? `${field} is not a field of this request` : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Whitelisting validation whose 400 names every field and the rule it broke. */
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: true,
  exceptionFactory: (errors) => {
    const fields = flatten(errors);
    return new HttpProblem(400, 'REQUEST.INVALID', fields.map((f) => f.message).join('; '), fields);
  },
});

// A lone UTF-16 surrogate: JSON allows it, PostgreSQL's text and jsonb do not.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function findNul(value: unknown, path: string): string | null {
  if (typeof value === 'string')
    return value.includes('\u0000') || LONE_SURROGATE.test(value) ? path : null;
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const found = findNul(child, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/**
 * PostgreSQL stores no NUL character in text or jsonb: refuse it at the edge, in the body,
 * the query and the path alike, naming the field, rather than fail in the database.
 */
export const noNulPipe: PipeTransform = {
  transform(value: unknown, metadata: ArgumentMetadata) {
    const field = findNul(
      value,
      metadata.type === 'param' ? (metadata.data ?? 'path') : (metadata.data ?? ''),
    );
    if (field !== null) {
      const name = field || metadata.type;
      throw new HttpProblem(
        400,
        'REQUEST.INVALID',
        `${name} must not contain NUL or unpaired surrogate characters`,
        [
          {
            field: name,
            rule: 'wellFormedText',
            message: `${name} must not contain NUL or unpaired surrogate characters`,
          },
        ],
      );
    }
    return value;
  },
};
