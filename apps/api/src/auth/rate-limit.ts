import rateLimit from '@fastify/rate-limit';
import type { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config.js';
import { HttpProblem } from '../http/errors.js';

/** The routes that take a password or a refresh token: limited per client address. */
const LOGIN_ROUTES = new Set([
  '/api/v1/auth/login',
  '/api/v1/auth/refresh',
  '/api/v1/auth/password',
]);
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Two limits (@fastify/rate-limit), both per minute: `login`, per client address, on the
 * routes that take a password or a refresh token; `write`, per account, on every write (an
 * unauthenticated write is counted by address, and refused by the AccessGuard anyway).
 * Reads are not limited. Counters live in this process's memory: with several API
 * processes each counts its own share (see the README).
 */
export async function registerRateLimits(
  app: NestFastifyApplication,
  config: AppConfig,
  jwt: JwtService,
): Promise<void> {
  const keyOf = (request: FastifyRequest): string => {
    if (LOGIN_ROUTES.has(request.routeOptions.url ?? '')) return `login:${request.ip}`;
    if (READS.has(request.method)) return 'read';
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (token) {
      try {
        // Only a token this API signed names an account; expiry does not matter here.
        const { sub } = jwt.verify<{ sub: string }>(token, { ignoreExpiration: true });
        return `write:${sub}`;
      } catch {
        // fall through to the address
      }
    }
    return `write:${request.ip}`;
  };
  await app.register(rateLimit as never, {
    global: true,
    timeWindow: 60_000,
    keyGenerator: keyOf,
    allowList: (_request: FastifyRequest, key: string) => key === 'read',
    max: (_request: FastifyRequest, key: string) =>
      key.startsWith('login:')
        ? config.RATE_LIMIT_LOGIN_PER_MINUTE
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
