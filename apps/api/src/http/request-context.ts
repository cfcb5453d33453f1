import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { CommandContext } from '#event-store';
import { HttpProblem } from './errors.js';

const TOKEN = /^[A-Za-z0-9._:-]{1,100}$/;
/** Fields whose values never enter a stored fingerprint: a fast hash of a password is a leak. */
const SECRETS = new Set(['password', 'currentPassword', 'newPassword', 'refreshToken']);
const withoutSecrets = (key: string, value: unknown) => (SECRETS.has(key) ? '[secret]' : value);
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,200}$/;

/** Fastify's request id: the caller's X-Correlation-Id when well-formed, else a new UUID. */
export function genRequestId(request: {
  headers: Record<string, string | string[] | undefined>;
}): string {
  const given = request.headers['x-correlation-id'];
  return typeof given === 'string' && TOKEN.test(given) ? given : randomUUID();
}

export const correlationIdOf = (request: FastifyRequest | undefined) =>
  String(request?.id ?? randomUUID());

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

@Injectable()
export class RequestContexts {
  /** Made by the infrastructure module, with the application clock. */
  constructor(private readonly clock: { now(): Date }) {}

  /**
   * Who sends the command and how to recognise it when retried: `Idempotency-Key` (any
   * 8–200 printable characters; a UUID is best) makes a retry return the first result.
   * The actor is the authenticated account (set by the AccessGuard), with its role,
   * department and street, and the client's address and user agent.
   */
  command(request: FastifyRequest): CommandContext {
    const key = header(request, 'idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new HttpProblem(
        400,
        'REQUEST.INVALID_HEADER',
        'Idempotency-Key must be 8 to 200 printable ASCII characters',
        [
          {
            field: 'Idempotency-Key',
            rule: 'format',
            message: 'must be 8 to 200 printable ASCII characters',
          },
        ],
      );
    }
    const who = request.principal;
    if (!who) throw new Error('a command from a route without authentication');
    const actor = who.userId;
    const userAgent = header(request, 'user-agent');
    return {
      // A key is the caller's own: two accounts choosing the same key do not collide.
      commandId: key === undefined ? randomUUID() : `${actor}:${key}`,
      actor,
      actorDetails: {
        username: who.username,
        displayName: who.displayName,
        role: who.role,
        department: who.department,
        street: who.street,
      },
      client: { ip: request.ip, ...(userAgent ? { userAgent: userAgent.slice(0, 300) } : {}) },
      correlationId: correlationIdOf(request),
      now: this.clock.now(),
      route: `${request.method} ${request.url}`.slice(0, 500),
      // With a key, what the request was: a reuse of the key for another request is refused.
      ...(key === undefined
        ? {}
        : {
            fingerprint: createHash('sha256')
              .update(
                `${request.method} ${request.url}\n${actor}\n${JSON.stringify(request.body ?? null, withoutSecrets)}`,
              )
              .digest('base64url'),
          }),
    };
  }

  /** The stream version from If-Match (`"3"`, `W/"3"` or `3`); undefined when absent. */
  expectedVersion(request: FastifyRequest): number | undefined {
    const value = header(request, 'if-match');
    if (value === undefined) return undefined;
    const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value.trim());
    if (!match) {
      throw new HttpProblem(
        400,
        'REQUEST.INVALID_HEADER',
        'If-Match must be an ETag from this API, such as "3"',
        [{ field: 'If-Match', rule: 'format', message: 'must be an ETag such as "3"' }],
      );
    }
    return Number(match[1]);
  }
}
