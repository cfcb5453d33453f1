import {
  createHmac,
  createSecretKey,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { ROLES, type Role } from '#domain';

/** What an access token says. Short names keep the token small. */
export interface Claims {
  sub: string;
  sid: string;
  usr: string;
  name: string;
  role: Role;
  dept: string | null;
  street: string | null;
  /** The password was set by an admin: only changing it is allowed. */
  pwc?: true;
  iat: number;
  exp: number;
  iss: 'saolou';
  aud: 'saolou-api';
}

export type Verified =
  { ok: true; claims: Claims } | { ok: false; reason: 'invalid' | 'expired'; claims?: Claims };

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLE_SET: ReadonlySet<string> = new Set(ROLES);
const TEXT = (value: unknown, max = 200): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max;
const TEXT_OR_NULL = (value: unknown): value is string | null => value === null || TEXT(value);
const SECONDS = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * The claims a token must carry, each of the right type: a token this API signed always
 * passes; anything else (a token signed with a leaked key by hand, an old format) is
 * refused as invalid (401), never reaches a query with a wrong type.
 */
export function claimsOf(payload: unknown): Claims | null {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return null;
  const c = payload as Record<string, unknown>;
  const ok =
    TEXT(c.sub, 100) &&
    TEXT(c.sid) &&
    UUID.test(c.sid) &&
    TEXT(c.usr) &&
    TEXT(c.name) &&
    typeof c.role === 'string' &&
    ROLE_SET.has(c.role) &&
    TEXT_OR_NULL(c.dept) &&
    TEXT_OR_NULL(c.street) &&
    (c.pwc === undefined || c.pwc === true) &&
    SECONDS(c.iat) &&
    SECONDS(c.exp) &&
    c.iss === 'saolou' &&
    c.aud === 'saolou-api';
  return ok ? (c as unknown as Claims) : null;
}

/**
 * HS256 access tokens, signed and verified with one KeyObject made once (handing
 * jsonwebtoken a string makes it try crypto.createPublicKey on every call, ≈ 600 µs).
 * A token that verified is remembered (a bounded map), so the rate limiter and the guard
 * of one request — and the next requests with the same token — verify it once.
 */
export class AccessTokens {
  private readonly key: KeyObject;
  /** Derives each refresh secret's successor (a key of its own, from the same secret). */
  readonly refreshKey: KeyObject;
  private readonly verified = new Map<string, Claims>();

  constructor(
    secret: string | undefined,
    private readonly maxRemembered = 10_000,
  ) {
    const material = secret ? Buffer.from(secret, 'utf8') : randomBytes(48);
    this.key = createSecretKey(material);
    this.refreshKey = createSecretKey(
      createHmac('sha256', material).update('saolou refresh successor').digest(),
    );
  }

  sign(claims: Omit<Claims, 'iss' | 'aud'>): string {
    const payload = Buffer.from(
      JSON.stringify({ ...claims, iss: 'saolou', aud: 'saolou-api' }),
    ).toString('base64url');
    const input = `${HEADER}.${payload}`;
    return `${input}.${this.mac(input)}`;
  }

  /** Checks the signature and the claims; `nowSeconds` decides expiry. */
  verify(token: string, nowSeconds: number): Verified {
    let claims = this.verified.get(token);
    if (!claims) {
      const found = this.check(token);
      if (!found) return { ok: false, reason: 'invalid' };
      claims = found;
      if (this.verified.size >= this.maxRemembered) {
        // Forget the oldest (a Map keeps insertion order).
        this.verified.delete(this.verified.keys().next().value!);
      }
      this.verified.set(token, claims);
    }
    if (claims.exp <= nowSeconds) return { ok: false, reason: 'expired', claims };
    return { ok: true, claims };
  }

  private mac(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url');
  }

  private check(token: string): Claims | null {
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const [header, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.mac(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as unknown;
      if (!head || typeof head !== 'object' || (head as { alg?: unknown }).alg !== 'HS256')
        return null;
      return claimsOf(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    } catch {
      return null;
    }
  }
}
