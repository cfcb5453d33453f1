import {
  ValidationPipe,
  type ArgumentMetadata,
  type PipeTransform,
  type ValidationError,
} from '@nestjs/common';
import { HttpProblem, type FieldErrorDto } from './errors.js';
import { JSON_MAX_DEPTH, tooDeep } from './json-body.js';

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

/**
 * Keys no request of this API has, and that class-transformer silently drops instead of
 * letting the whitelist refuse them (`{"prototype": …}` reached a 201 unseen).
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The first string (value or key) holding a NUL or a lone surrogate, or the first
 * prototype key: its path and the rule it breaks, or null. Iterative with a bounded depth:
 * a value nested past JSON_MAX_DEPTH is refused, never walked by recursion (the body
 * parser refuses such bodies already; queries and params reach here too).
 */
function findNul(value: unknown, path: string): { path: string; rule: string } | null {
  const bad = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      if (bad(item.value)) return { path: item.path, rule: 'wellFormedText' };
    } else if (item.value && typeof item.value === 'object') {
      if (item.depth >= JSON_MAX_DEPTH) throw tooDeep();
      for (const [key, child] of Object.entries(item.value)) {
        const childPath = item.path ? `${item.path}.${key}` : key;
        if (bad(key)) return { path: childPath, rule: 'wellFormedText' };
        if (PROTOTYPE_KEYS.has(key)) return { path: childPath, rule: 'notAllowed' };
        stack.push({ value: child, path: childPath, depth: item.depth + 1 });
      }
    }
  }
  return null;
}

/**
 * PostgreSQL stores no NUL character in text or jsonb: refuse it at the edge, in the body,
 * the query and the path alike, naming the field, rather than fail in the database. Keys
 * named __proto__, constructor or prototype are refused here too, as unknown fields.
 */
export const noNulPipe: PipeTransform = {
  transform(value: unknown, metadata: ArgumentMetadata) {
    const found = findNul(
      value,
      // Named as the validation errors name it: `year`, not `path.year`.
      metadata.data ?? '',
    );
    if (found !== null) {
      const name = found.path || metadata.type;
      const message =
        found.rule === 'notAllowed'
          ? `${name} is not a field of this request`
          : `${name} must not contain NUL or unpaired surrogate characters`;
      throw new HttpProblem(400, 'REQUEST.INVALID', message, [
        { field: name, rule: found.rule, message },
      ]);
    }
    return value;
  },
};
