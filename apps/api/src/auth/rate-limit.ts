import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config.js';
import { HttpProblem } from '../http/errors.js';
import type { AccessTokens } from './access-tokens.js';

/**
 * The routes that take a password or a refresh token: limited per (account, client address)
 * pair, and by a much higher bound per address alone (loginLimiter, below).
 */
const LOGIN_ROUTES = new Set([
  '/api/v1/auth/login',
  '/api/v1/auth/refresh',
  '/api/v1/auth/password',
]);
const READS = new Set(['GET', 'HEAD']);
/** Not limited: load balancers and monitors poll them, and they cost next to nothing. */
const UNLIMITED = new Set(['/health', '/health/live', '/health/ready']);

/**
 * Three limits, all per minute: `login` on the routes that take a password or a refresh
 * token, per account and address pair and per address (loginLimiter); `write` and `read`
 * (@fastify/rate-limit), per account, on every write and every read (reads at a higher
 * bound; a request without a token this API signed is counted by address, and refused by
 * the AccessGuard anyway). The token is verified here once: AccessTokens remembers it for
 * the guard. Counters live in this process's memory: with several API processes each
 * counts its own share (see the README).
 */
export async function registerRateLimits(
  app: NestFastifyApplication,
  config: AppConfig,
  tokens: AccessTokens,
): Promise<void> {
  const keyOf = (request: FastifyRequest): string => {
    const url = request.routeOptions.url ?? '';
    if (LOGIN_ROUTES.has(url)) return 'login';
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
    // Logins are counted by loginLimiter once the body (the username) is parsed.
    allowList: (_request: FastifyRequest, key: string) => key === 'free' || key === 'login',
    max: (_request: FastifyRequest, key: string) =>
      key.startsWith('read:')
        ? config.RATE_LIMIT_READS_PER_MINUTE
        : config.RATE_LIMIT_WRITES_PER_MINUTE,
    errorResponseBuilder: (_request: FastifyRequest, context: { max: number; ttl: number }) =>
      tooMany(context.max, context.ttl),
  });
  const limiter = loginLimiter(
    config.RATE_LIMIT_LOGIN_PER_MINUTE,
    config.RATE_LIMIT_LOGIN_PER_ADDRESS_PER_MINUTE,
  );
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preHandler', async (request: FastifyRequest) => {
      if (LOGIN_ROUTES.has(request.routeOptions.url ?? '')) limiter(request);
    });
}

const tooMany = (max: number, ttlMs: number) => {
  const seconds = Math.max(1, Math.ceil(ttlMs / 1000));
  return new HttpProblem(
    429,
    'REQUEST.RATE_LIMITED',
    `Too many requests: at most ${max} a minute; retry in ${seconds} s`,
    undefined,
    { 'retry-after': String(seconds) },
  );
};

/**
 * Who a login-route request is about, without trusting it: the username of a login, the
 * session of a refresh token, the account named by the access token of a password change.
 * A caller that lies about it only moves its attempts into another pair's bucket; the
 * per-address bound still holds.
 */
function accountOf(request: FastifyRequest): string {
  const body = (request.body ?? {}) as Record<string, unknown>;
  if (typeof body.username === 'string') return `user:${body.username.trim().toLowerCase()}`;
  if (typeof body.refreshToken === 'string')
    return `session:${body.refreshToken.split('.')[0]!.slice(0, 64)}`;
  const token = /^Bearer [^.]+\.([^.]+)\./.exec(request.headers.authorization ?? '')?.[1];
  if (token) {
    try {
      const sub = (JSON.parse(Buffer.from(token, 'base64url').toString()) as { sub?: unknown }).sub;
      if (typeof sub === 'string') return `account:${sub.slice(0, 64)}`;
    } catch {
      // not a JWT: counted as nobody in particular
    }
  }
  return 'unknown';
}

/**
 * Login attempts per minute: at most `perPair` for one account from one address (a password
 * guesser), and `perAddress` from one address in all (fifty officers behind one office NAT
 * logging in at 09:00 share that, not the pair limit). Fixed one-minute windows in memory.
 */
export function loginLimiter(perPair: number, perAddress: number, now = () => Date.now()) {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let pruned = now();
  const hit = (key: string, max: number, t: number) => {
    let w = windows.get(key);
    if (!w || w.resetAt <= t) {
      w = { count: 0, resetAt: t + 60_000 };
      windows.set(key, w);
    }
    w.count++;
    return w.count > max ? w.resetAt - t : 0;
  };
  return (request: FastifyRequest) => {
    const t = now();
    if (t - pruned > 60_000) {
      for (const [key, w] of windows) if (w.resetAt <= t) windows.delete(key);
      pruned = t;
    }
    const address = hit(`address:${request.ip}`, perAddress, t);
    if (address) throw tooMany(perAddress, address);
    const pair = hit(`pair:${request.ip}:${accountOf(request)}`, perPair, t);
    if (pair) throw tooMany(perPair, pair);
  };
}
