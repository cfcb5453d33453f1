import createClient from 'openapi-fetch';
import i18n from '../i18n';
import { ApiError } from './errors';
import type { paths } from './schema';
import { sessionStore } from './session';

let refreshing: Promise<boolean> | null = null;
/** The log position of this tab's last write: reads wait for it (read your own writes). */
let lastPosition: string | null = null;

export function rememberPosition(position: unknown): void {
  if (typeof position === 'string' && /^\d+:\d+$/.test(position)) lastPosition = position;
}

/** One refresh at a time; false when the session cannot be renewed (sign in again). */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const session = sessionStore.get();
    if (!session) return false;
    try {
      const response = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': language() },
        body: JSON.stringify({ refreshToken: session.refreshToken }),
      });
      if (!response.ok) {
        if (response.status === 401) sessionStore.markExpired();
        return false;
      }
      const pair = (await response.json()) as { accessToken: string; refreshToken: string };
      sessionStore.set({
        ...session,
        accessToken: pair.accessToken,
        refreshToken: pair.refreshToken,
      });
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

function language(): string {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

/**
 * fetch with the access token, the user's language and read-your-writes; an expired token is
 * refreshed once and the request sent again, so a half-typed form is never lost to a 401.
 */
export async function authFetch(input: Request): Promise<Response> {
  const send = (request: Request) => {
    const headers = new Headers(request.headers);
    const session = sessionStore.get();
    if (session) headers.set('authorization', `Bearer ${session.accessToken}`);
    headers.set('accept-language', language());
    if (request.method === 'GET' && lastPosition && !headers.has('x-consistent-with')) {
      headers.set('x-consistent-with', lastPosition);
    }
    return fetch(new Request(request, { headers }));
  };
  const retry = input.clone();
  let response = await send(input);
  if (response.status === 401 && sessionStore.get()) {
    const body = (await response
      .clone()
      .json()
      .catch(() => ({}))) as { code?: string };
    if (body.code === 'AUTH.TOKEN_EXPIRED' || body.code === 'AUTH.REQUIRED') {
      if (await refreshSession()) response = await send(retry);
    } else if (body.code === 'AUTH.SESSION_ENDED') {
      sessionStore.markExpired();
    }
  }
  return response;
}

export const api = createClient<paths>({ fetch: authFetch });

/** The data of an openapi-fetch result, or an ApiError carrying the server's reason. */
export async function unwrap<T>(
  promise: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await promise;
  } catch {
    throw new ApiError(0, undefined);
  }
  if (result.error !== undefined || !result.response.ok) {
    const retryAfter = Number(result.response.headers.get('retry-after')) || undefined;
    throw new ApiError(result.response.status, result.error as never, retryAfter);
  }
  const data = result.data as T;
  if (data && typeof data === 'object' && 'position' in data) {
    rememberPosition((data as { position: unknown }).position);
  }
  return data;
}

/** A new Idempotency-Key for a command (kept with an outbox entry for its retries). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Plain HTTP on a district LAN address is not a secure context: no randomUUID there.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * POST a command with its headers through authFetch; the reply's JSON, or an ApiError with the
 * server's reason (status 0 when the network failed).
 */
export async function sendCommand<T = { id: string; version: number; position: string | null }>(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  let response: Response;
  try {
    response = await authFetch(
      new Request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body ?? {}),
      }),
    );
  } catch {
    throw new ApiError(0, undefined);
  }
  const json = (await response.json().catch(() => undefined)) as
    Record<string, unknown> | undefined;
  if (!response.ok) {
    const retryAfter = Number(response.headers.get('retry-after')) || undefined;
    throw new ApiError(response.status, json as never, retryAfter);
  }
  rememberPosition(json?.position);
  return json as T;
}
