import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { unauthenticated, type Principal } from '#domain';
import { AuthSession } from '#read-model';
import type { AppConfig } from '../config.js';
import { AccessTokens, type Claims } from './access-tokens.js';
import { Invalidations } from '../infrastructure/invalidations.js';
import { APP_CONFIG, CLOCK, type Clock } from '../infrastructure/tokens.js';

export interface TokenPair {
  accessToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
  refreshToken: string;
  tokenType: 'Bearer';
}

export interface Authenticated extends Principal {
  sessionId: string;
  mustChangePassword: boolean;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How many rotations back a reused refresh secret is still recognised as this session's. */
const MAX_OLDER_ROTATIONS = 32;
/** How long a session checked open is trusted without a query (invalidations end it sooner). */
const SESSION_CACHE_MS = 60_000;

/**
 * Sessions and tokens. A login opens a session (a row) and answers a short-lived JWT access
 * token plus a refresh token `<session id>.<secret>`; only the secret's hash is stored.
 * Every refresh rotates the secret, and presenting an old one again (a stolen copy) ends the
 * session. Every request checks that its session is still open, so logout, a password
 * change, a role change or disabling the account end access at once, not at token expiry.
 */
@Injectable()
export class Sessions {
  /**
   * Open sessions this process checked lately: id → account and expiry. A request whose
   * session is here needs no query. Ending a session (or all of an account's) publishes an
   * invalidation that every process applies before the ending is answered; while the
   * invalidation channel is down nothing is trusted from here.
   */
  private readonly openSessions = new Map<
    string,
    { userId: string; expiresAt: number; seenAt: number }
  >();

  constructor(
    private readonly tokens: AccessTokens,
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly invalidations: Invalidations,
  ) {
    invalidations.on('session', (id) =>
      id === '*' ? this.openSessions.clear() : this.openSessions.delete(id),
    );
    invalidations.on('account', (userId) => {
      if (userId === '*') return this.openSessions.clear();
      for (const [id, entry] of this.openSessions)
        if (entry.userId === userId) this.openSessions.delete(id);
    });
  }

  /** Whether the session is open: from the cache when it can be trusted, else the database. */
  private async isOpen(sessionId: string): Promise<boolean> {
    const now = this.clock.now().getTime();
    const known = this.openSessions.get(sessionId);
    if (
      known &&
      this.invalidations.live &&
      known.expiresAt > now &&
      Date.now() - known.seenAt < SESSION_CACHE_MS
    )
      return true;
    const live = this.invalidations.live;
    const session = await this.repository.findOneBy({ id: sessionId });
    if (!session || session.revokedAt !== null || session.expiresAt.getTime() <= now) {
      this.openSessions.delete(sessionId);
      return false;
    }
    // Only when the channel was up before the read: no ending can have slipped past it.
    if (live && this.invalidations.live) {
      if (this.openSessions.size >= 50_000)
        this.openSessions.delete(this.openSessions.keys().next().value!);
      this.openSessions.set(sessionId, {
        userId: session.userId,
        expiresAt: session.expiresAt.getTime(),
        seenAt: Date.now(),
      });
    }
    return true;
  }

  private get repository() {
    return this.dataSource.getRepository(AuthSession);
  }

  async open(
    who: Principal,
    sessionId: string,
    mustChangePassword: boolean,
    client: { ip?: string; userAgent?: string },
  ): Promise<TokenPair> {
    const now = this.clock.now();
    const secret = randomBytes(32).toString('base64url');
    await this.repository.insert({
      id: sessionId,
      userId: who.userId,
      username: who.username,
      refreshHash: sha256(secret),
      previousHash: null,
      createdAt: now,
      refreshedAt: now,
      expiresAt: new Date(now.getTime() + this.config.REFRESH_TOKEN_TTL_S * 1000),
      revokedAt: null,
      revokeReason: null,
      clientIp: client.ip ?? null,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
    });
    return this.pair(who, sessionId, secret, mustChangePassword);
  }

  private async pair(
    who: Principal,
    sessionId: string,
    secret: string,
    mustChangePassword: boolean,
  ): Promise<TokenPair> {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const ttl = this.config.ACCESS_TOKEN_TTL_S;
    const claims: Omit<Claims, 'iss' | 'aud'> = {
      sub: who.userId,
      sid: sessionId,
      usr: who.username,
      name: who.displayName,
      role: who.role,
      dept: who.department,
      street: who.street,
      ...(mustChangePassword ? { pwc: true as const } : {}),
      iat,
      exp: iat + ttl,
    };
    return {
      accessToken: this.tokens.sign(claims),
      expiresIn: ttl,
      refreshToken: `${sessionId}.${secret}`,
      tokenType: 'Bearer',
    };
  }

  /**
   * The principal behind an Authorization header, or an `unauthenticated` domain error saying
   * why not (the exception filter answers 401 with WWW-Authenticate: Bearer).
   */
  async authenticate(authorization: string | undefined): Promise<Authenticated> {
    const match = /^Bearer ([A-Za-z0-9_.-]{10,4096})$/.exec(authorization ?? '');
    if (!match) {
      throw unauthenticated(
        authorization ? 'AUTH.MALFORMED' : 'AUTH.REQUIRED',
        'Send an access token from POST /api/v1/auth/login as "Authorization: Bearer <token>"',
      );
    }
    const verified = this.tokens.verify(match[1]!, Math.floor(this.clock.now().getTime() / 1000));
    if (!verified.ok) {
      throw verified.reason === 'expired'
        ? unauthenticated('AUTH.TOKEN_EXPIRED', 'The access token has expired: refresh it')
        : unauthenticated('AUTH.TOKEN_INVALID', 'The access token is not valid');
    }
    const { claims } = verified;
    if (!(await this.isOpen(claims.sid))) {
      throw unauthenticated('AUTH.SESSION_ENDED', 'This session has ended: log in again');
    }
    return {
      userId: claims.sub,
      username: claims.usr,
      displayName: claims.name,
      role: claims.role,
      department: claims.dept,
      street: claims.street,
      sessionId: claims.sid,
      mustChangePassword: claims.pwc === true,
    };
  }

  /**
   * Exchanges a refresh token for a new pair, rotating its secret. `current` re-reads the
   * account (its role may have changed; it may be disabled) and returns null to refuse.
   */
  async refresh(
    refreshToken: string,
    current: (
      userId: string,
      username: string,
    ) => Promise<{ who: Principal; mustChangePassword: boolean } | null>,
  ): Promise<TokenPair> {
    const [sessionId, secret] = refreshToken.split('.');
    const ended = unauthenticated('AUTH.SESSION_ENDED', 'This session has ended: log in again');
    if (!sessionId || !secret || !UUID.test(sessionId)) throw ended;
    const session = await this.repository.findOneBy({ id: sessionId });
    const now = this.clock.now();
    if (!session || session.revokedAt !== null || session.expiresAt <= now) throw ended;
    const given = sha256(secret);
    // The successor of a secret is derived from it (keyed by the server's secret), so two
    // refreshes racing with one secret compute the same successor and both get it.
    const next = this.successor(sessionId, secret);
    const inGrace = (s: AuthSession) =>
      s.previousHash !== null &&
      same(given, s.previousHash) &&
      same(sha256(next), s.refreshHash) &&
      now.getTime() - s.refreshedAt.getTime() <= this.config.REFRESH_GRACE_S * 1000;
    if (!same(given, session.refreshHash)) {
      if (session.previousHash !== null && same(given, session.previousHash)) {
        // The secret before the last rotation. Within the grace window, a concurrent
        // refresh of the same secret (two tabs, a retried request) gets the same successor.
        if (inGrace(session)) return this.successorPair(session, next, current);
        // After it, someone kept a copy. End the session for both.
        await this.revoke(sessionId, 'refresh token reused');
        throw unauthenticated(
          'AUTH.REFRESH_REUSED',
          'This refresh token was already used; the session has been ended for safety',
        );
      }
      // An older secret of this session (its successors lead to the one the last rotation
      // replaced): a copy kept past its own grace window. Within the last rotation's window
      // it may still be a late retry, so it is only refused; after it, the session ends.
      if (this.isOlderSecret(sessionId, secret, session)) {
        if (now.getTime() - session.refreshedAt.getTime() <= this.config.REFRESH_GRACE_S * 1000)
          throw ended;
        await this.revoke(sessionId, 'refresh token reused');
        throw unauthenticated(
          'AUTH.REFRESH_REUSED',
          'This refresh token was already used; the session has been ended for safety',
        );
      }
      // A secret this session never had: refuse it, but do not let a guess end the session.
      throw ended;
    }
    const account = await current(session.userId, session.username);
    if (!account) {
      await this.revoke(sessionId, 'account unavailable');
      throw ended;
    }
    // Only one of two racing refreshes with the same secret rotates it.
    const updated = await this.repository.update(
      { id: sessionId, refreshHash: session.refreshHash, revokedAt: IsNull() },
      { refreshHash: sha256(next), previousHash: session.refreshHash, refreshedAt: now },
    );
    if (!updated.affected) {
      // The other one won: its rotation is ours too, if it is the one we would have made.
      const after = await this.repository.findOneBy({ id: sessionId });
      if (after && after.revokedAt === null && inGrace(after))
        return this.pair(account.who, sessionId, next, account.mustChangePassword);
      throw ended;
    }
    return this.pair(account.who, sessionId, next, account.mustChangePassword);
  }

  private async successorPair(
    session: AuthSession,
    next: string,
    current: (
      userId: string,
      username: string,
    ) => Promise<{ who: Principal; mustChangePassword: boolean } | null>,
  ): Promise<TokenPair> {
    const account = await current(session.userId, session.username);
    if (!account) {
      await this.revoke(session.id, 'account unavailable');
      throw unauthenticated('AUTH.SESSION_ENDED', 'This session has ended: log in again');
    }
    return this.pair(account.who, session.id, next, account.mustChangePassword);
  }

  /**
   * Whether `secret` is one this session had before the secret its last rotation replaced:
   * following successors from it (at most MAX_OLDER_ROTATIONS) reaches that one.
   */
  private isOlderSecret(sessionId: string, secret: string, session: AuthSession): boolean {
    if (session.previousHash === null) return false;
    let next = secret;
    for (let i = 0; i < MAX_OLDER_ROTATIONS; i++) {
      next = this.successor(sessionId, next);
      if (same(sha256(next), session.previousHash)) return true;
    }
    return false;
  }

  /** The secret that replaces `secret` at its rotation: HMAC of it under the server's key. */
  private successor(sessionId: string, secret: string): string {
    return createHmac('sha256', this.tokens.refreshKey)
      .update(`${sessionId}.${secret}`)
      .digest('base64url');
  }

  async revoke(sessionId: string, reason: string): Promise<void> {
    await this.repository.update(
      { id: sessionId, revokedAt: IsNull() },
      { revokedAt: this.clock.now(), revokeReason: reason },
    );
    await this.invalidations.publish('session', sessionId);
  }

  async revokeAll(userId: string, reason: string): Promise<number> {
    const result = await this.repository.update(
      { userId, revokedAt: IsNull() },
      { revokedAt: this.clock.now(), revokeReason: reason },
    );
    await this.invalidations.publish('account', userId);
    return result.affected ?? 0;
  }

  static newId = () => randomUUID();
}
