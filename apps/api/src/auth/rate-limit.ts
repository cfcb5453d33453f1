import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config.js';
import { HttpProblem } from '../http/errors.js';
import type { AccessTokens } from './access-tokens.js';

/** The routes that take a password or a refresh token: limited per client address. */
const LOGIN_ROUTES = new Set([
  '/api/v1/auth/login',
  '/api/v1/auth/refresh',
  '/api/v1/auth/password',
]);
const READS = new Set(['GET', 'HEAD']);
/** Not limited: load balancers and monitors poll them, and they cost next to nothing. */
const UNLIMITED = new Set(['/health', '/health/live', '/health/ready']);

/**
 * Three limits (@fastify/rate-limit), all per minute: `login`, per client address, on the
 * routes that take a password or a refresh token; `write`, per account, on every write;
 * `read`, per account, on every read, at a higher bound (a request without a token this
 * API signed is counted by address, and refused by the AccessGuard anyway). The token is
 * verified here once (AccessTokens remembers it for the guard). Counters live in this
 * process's memory: with several API processes each counts its own share (see the README).
 */
export async function registerRateLimits(
  app: NestFastifyApplication,
  config: AppConfig,
  tokens: AccessTokens,
): Promise<void> {
  const keyOf = (request: FastifyRequest): string => {
    const url = request.routeOptions.url ?? '';
    if (LOGIN_ROUTES.has(url)) return `login:${request.ip}`;
    if (UNLIMITED.has(url) || request.method === 'OPTIONS') return 'free';
    const kind = READS.has(request.method) ? 'read' : 'write';
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (token) {
      // Only a token this API signed names an account; expiry does not matter here.
      const verified = tokens.verify(token, Math.floor(Date.now() / 1000));
      const sub = verified.ok ? verified.claims.sub : verified.claims?.sub;
      if (sub) return `${kind}:${sub}`;
    }
    return `${kind}:${request.ip}`;
  };
  await app.register(rateLimit as never, {
    global: true,
    timeWindow: 60_000,
    keyGenerator: keyOf,
    allowList: (_request: FastifyRequest, key: string) => key === 'free',
    max: (_request: FastifyRequest, key: string) =>
      key.startsWith('login:')
        ? config.RATE_LIMIT_LOGIN_PER_MINUTE
        : key.startsWith('read:')
          ? config.RATE_LIMIT_READS_PER_MINUTE
          : config.RATE_LIMIT_WRITES_PER_MINUTE,
    errorResponseBuilder: (_request: FastifyRequest, context: { max: number; ttl: number }) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new HttpProblem(
        429,
        'REQUEST.RATE_LIMITED',
        `Too many requests: at most ${context.max} a minute; retry in ${seconds} s`,
        undefined,
        { 'retry-after': String(seconds) },
      );
    },
  });
}
