/**
 * What kind of refusal a domain error is. The HTTP edge maps kinds to status codes
 * (invalid → 400, unauthenticated → 401, forbidden → 403, not_found → 404, conflict → 409,
 * locked → 423 with `details.retryAfterSeconds` as Retry-After); the domain knows nothing of
 * HTTP.
 */
export type DomainErrorKind =
  'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'locked';

export class DomainError extends Error {
  constructor(
    /** Stable, documented code, e.g. `CASE.NOT_ASSIGNED`. Clients may switch on it. */
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    /** The input field the refusal is about, when there is one. */
    readonly field?: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, message: string, field?: string) =>
  new DomainError(code, 'invalid', message, field);

export const notFound = (code: string, message: string) =>
  new DomainError(code, 'not_found', message);

export const forbidden = (code: string, message: string) =>
  new DomainError(code, 'forbidden', message);

export const unauthenticated = (code: string, message: string) =>
  new DomainError(code, 'unauthenticated', message);

export const conflict = (
  code: string,
  message: string,
  details?: Readonly<Record<string, unknown>>,
) => new DomainError(code, 'conflict', message, undefined, details);
