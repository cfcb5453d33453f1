import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import pg from 'pg';
import { ACTIONS, caseDecider, fold, type CaseEvent, type Role } from '#domain';
import { createApp } from '../../apps/api/src/app.js';
import { loadConfig, type AppConfig } from '../../apps/api/src/config.js';
import type { Clock } from '../../apps/api/src/infrastructure/tokens.js';
import { migrate } from '#read-model';
import { createTestDatabase, type TestDatabase } from './postgres.js';
import { routeFor, routeTable, type Route } from './routes.js';

export interface Response {
  status: number;
  body: any;
  headers: Record<string, string | string[] | number | undefined>;
}

/** A signed-in account of the test app. */
export interface TestUser {
  username: string;
  password: string;
  userId: string;
  role: Role;
  department: string | null;
  street: string | null;
  accessToken: string;
  refreshToken: string;
}

/**
 * Who sends a request: an account, a role (a test account of that role: handlers of the
 * department named, officers of the street named), or nobody. Left out, the client picks a
 * role the route's policy allows — for a lead department's step, a handler of that case's
 * lead department — so tests about something else read as they did before accounts.
 */
export type As = TestUser | Role | `handler:${string}` | `officer:${string}` | 'anonymous';

export interface RequestOptions {
  body?: unknown;
  payload?: string;
  headers?: Record<string, string>;
  as?: As;
}

export interface TestApp {
  app: NestFastifyApplication;
  db: TestDatabase;
  admin: TestUser;
  routes: Route[];
  request(method: string, url: string, options?: RequestOptions): Promise<Response>;
  /** A signed-in account for a role (cached per role, department and street). */
  user(as: Exclude<As, TestUser | 'anonymous'>): Promise<TestUser>;
  /** A new account, signed in (not cached). */
  newUser(
    role: Role,
    place?: { department?: string; street?: string },
    name?: string,
  ): Promise<TestUser>;
  close(): Promise<void>;
}

export const DEFAULT_HANDLER_DEPARTMENT = 'industry_it';
export const DEFAULT_OFFICER_STREET = 'bantian';
/** Who the client acts as when a route allows several roles and the test did not say. */
const PREFERENCE: Role[] = ['dispatcher', 'officer', 'leader', 'admin', 'handler'];

/** The real HTTP application on a fresh, migrated database, listening on a free loopback port. */
export async function startTestApp(
  overrides: Partial<AppConfig> = {},
  options: { clock?: Clock; db?: TestDatabase; logDestination?: DestinationStream } = {},
): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  await migrate(db.url);
  const adminPassword = `Root-${randomBytes(12).toString('base64url')}1`;
  const app = await createApp(
    {
      ...loadConfig({}),
      CONSISTENCY_TIMEOUT_MS: 10_000,
      LOG_LEVEL: process.env.TEST_LOG ? 'info' : 'silent',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      RATE_LIMIT_LOGIN_PER_MINUTE: 100_000,
      RATE_LIMIT_LOGIN_PER_ADDRESS_PER_MINUTE: 100_000,
      RATE_LIMIT_WRITES_PER_MINUTE: 100_000,
      RATE_LIMIT_READS_PER_MINUTE: 100_000,
      SAOLOU_ADMIN_USERNAME: 'admin',
      SAOLOU_ADMIN_PASSWORD: adminPassword,
      ...overrides,
      DATABASE_URL: db.url,
    },
    {
      clock: options.clock,
      logger: process.env.TEST_LOG ? undefined : false,
      logDestination: options.logDestination,
    },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = await app.getUrl();
  const routes = routeTable(app);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });

  async function raw(method: string, url: string, o: RequestOptions, token?: string) {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: {
        ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...o.headers,
      },
      body: o.payload ?? (o.body !== undefined ? JSON.stringify(o.body) : undefined),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return {
      status: response.status,
      body: parsed,
      headers: Object.fromEntries(response.headers.entries()),
    } as Response;
  }

  async function login(username: string, password: string) {
    const res = await raw('POST', '/api/v1/auth/login', { body: { username, password } });
    if (res.status !== 200) throw new Error(`login ${username}: ${JSON.stringify(res.body)}`);
    return res.body as { accessToken: string; refreshToken: string };
  }

  const adminTokens = await login('admin', adminPassword);
  const me = await raw('GET', '/api/v1/auth/me', {}, adminTokens.accessToken);
  const admin: TestUser = {
    username: 'admin',
    password: adminPassword,
    userId: me.body.userId,
    role: 'admin',
    department: null,
    street: null,
    ...adminTokens,
  };
  let serial = 0;

  async function newUser(
    role: Role,
    place: { department?: string; street?: string } = {},
    name?: string,
  ): Promise<TestUser> {
    const username = name ?? `${role}${++serial}`;
    const first = `Temp-${randomBytes(9).toString('base64url')}9`;
    const created = await send('POST', '/api/v1/users', {
      as: admin,
      body: {
        username,
        displayName: `${role} ${username}`,
        role,
        ...(role === 'handler' ? { department: place.department } : {}),
        ...(role === 'officer' ? { street: place.street } : {}),
        password: first,
      },
    });
    if (created.status !== 201)
      throw new Error(`create ${username}: ${JSON.stringify(created.body)}`);
    // An admin chose that password: the user must change it before anything else.
    const tokens = await login(username, first);
    const password = `Own-${randomBytes(9).toString('base64url')}7`;
    const changed = await raw(
      'POST',
      '/api/v1/auth/password',
      { body: { currentPassword: first, newPassword: password } },
      tokens.accessToken,
    );
    if (changed.status !== 200)
      throw new Error(`password ${username}: ${JSON.stringify(changed.body)}`);
    return {
      username,
      password,
      userId: created.body.userId,
      role,
      department: role === 'handler' ? place.department! : null,
      street: role === 'officer' ? place.street! : null,
      accessToken: changed.body.accessToken,
      refreshToken: changed.body.refreshToken,
    };
  }

  const cache = new Map<string, Promise<TestUser>>();
  function user(as: Exclude<As, TestUser | 'anonymous'>): Promise<TestUser> {
    const [role, place] = as.split(':') as [Role, string | undefined];
    const key =
      role === 'handler'
        ? `handler:${place ?? DEFAULT_HANDLER_DEPARTMENT}`
        : role === 'officer'
          ? `officer:${place ?? DEFAULT_OFFICER_STREET}`
          : role;
    if (role === 'admin') return Promise.resolve(admin);
    let found = cache.get(key);
    if (!found) {
      const at = key.split(':')[1];
      found = newUser(role, role === 'handler' ? { department: at } : { street: at });
      cache.set(key, found);
    }
    return found;
  }

  /** A role the route allows; for a lead department's step, that case's lead department. */
  async function defaultActor(method: string, url: string): Promise<TestUser | null> {
    const route = routeFor(routes, method, url);
    if (!route?.policy || route.policy.action === 'public') return null;
    const allowed = ACTIONS[route.policy.action] as readonly Role[];
    const role = PREFERENCE.find((r) => allowed.includes(r))!;
    if (role !== 'handler') return user(role);
    const id = /\/cases\/([^/]+)/.exec(url)?.[1];
    if (!id) return user('handler');
    // From the case's stream, not the read model, which may not have caught up yet.
    const { rows } = await pool.query<{ type: string; data: unknown }>(
      `SELECT event_type AS type, data FROM events WHERE stream_id = $1 ORDER BY stream_position`,
      [`case-${id}`],
    );
    const state = fold(caseDecider, rows as unknown as CaseEvent[]);
    const lead = state.status === 'none' ? null : state.leadDepartment;
    return user(`handler:${lead ?? DEFAULT_HANDLER_DEPARTMENT}`);
  }

  return {
    app,
    db,
    admin,
    routes,
    user,
    newUser,
    request: send,
    async close() {
      await pool.end();
      await app.close();
      if (!options.db) await db.drop();
    },
  };

  async function send(method: string, url: string, o: RequestOptions = {}): Promise<Response> {
    const actor =
      o.as === 'anonymous'
        ? null
        : typeof o.as === 'object'
          ? o.as
          : o.as
            ? await user(o.as)
            : await defaultActor(method, url);
    const first = await raw(method, url, o, actor?.accessToken);
    if (!actor || first.status !== 401) return first;
    // As a real client does: refresh an expired token (log in again when the session
    // itself has run out, as tests that move the clock by weeks make it), then retry once.
    if (first.body?.code !== 'AUTH.TOKEN_EXPIRED' && first.body?.code !== 'AUTH.SESSION_ENDED')
      return first;
    const refreshed = await raw('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: actor.refreshToken },
    });
    const tokens =
      refreshed.status === 200 ? refreshed.body : await login(actor.username, actor.password);
    actor.accessToken = tokens.accessToken;
    actor.refreshToken = tokens.refreshToken;
    return raw(method, url, o, actor.accessToken);
  }
}
