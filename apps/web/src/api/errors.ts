import type { components } from './schema';

export type ErrorBody = components['schemas']['ErrorDto'];

/** Any refusal from the API, in its one error shape; status 0 when the network failed. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: { field: string; rule: string; message: string }[];
  readonly correlationId?: string;
  readonly retryAfter?: number;

  constructor(status: number, body: Partial<ErrorBody> | undefined, retryAfter?: number) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? (status === 0 ? 'NETWORK' : `HTTP_${status}`);
    this.errors = body?.errors ?? [];
    this.correlationId = body?.correlationId;
    this.retryAfter = retryAfter;
  }

  /** A refusal the user can fix (not a network or server failure): do not retry as is. */
  get isRefusal(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
