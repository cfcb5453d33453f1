import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../apps/api/src/app.js';
import { loadConfig, type AppConfig } from '../../apps/api/src/config.js';
import type { Clock } from '../../apps/api/src/infrastructure/tokens.js';
import { migrate } from '#read-model';
import { createTestDatabase, type TestDatabase } from './postgres.js';

export interface Response {
  status: number;
  body: any;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface TestApp {
  app: NestFastifyApplication;
  db: TestDatabase;
  request(
    method: string,
    url: string,
    options?: { body?: unknown; payload?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

/** The real HTTP application on a fresh, migrated database, listening on a free loopback port. */
export async function startTestApp(
  overrides: Partial<AppConfig> = {},
  options: { clock?: Clock; db?: TestDatabase } = {},
): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  await migrate(db.url);
  const app = await createApp(
    { ...loadConfig({}), CONSISTENCY_TIMEOUT_MS: 10_000, ...overrides, DATABASE_URL: db.url },
    { clock: options.clock, logger: process.env.TEST_LOG ? undefined : false },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = await app.getUrl();
  return {
    app,
    db,
    async request(method, url, { body, payload, headers = {} } = {}) {
      const response = await fetch(`${base}${url}`, {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: payload ?? (body !== undefined ? JSON.stringify(body) : undefined),
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
      };
    },
    async close() {
      await app.close();
      if (!options.db) await db.drop();
    },
  };
}
