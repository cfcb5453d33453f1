import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { migrate } from '#read-model';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase, type Database } from './database.js';

const logger = new Logger('Saolou');
let opening: Promise<Database> | undefined;
let app: NestFastifyApplication | undefined;
let closing = false;

/**
 * SIGINT (Ctrl-C) or SIGTERM (`kill`, or `kill <pid of npm start>`: npm passes it on) close
 * the HTTP server and the projector, then stop the embedded PostgreSQL, and exit. The
 * handlers are installed before anything starts, so a signal during start-up stops what
 * was started too; a shutdown that hangs is cut short after 15 s.
 */
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  logger.log(`${signal}: shutting down`);
  setTimeout(() => {
    logger.error('shutdown took longer than 15 s: exiting anyway');
    process.exit(1);
  }, 15_000).unref();
  try {
    await app?.close();
  } catch (error) {
    logger.error(`closing the app: ${error instanceof Error ? error.message : String(error)}`);
  }
  const database = await opening?.catch(() => undefined);
  if (database?.embedded) {
    await database.embedded.stop();
    logger.log('embedded PostgreSQL stopped');
  }
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGHUP', () => void shutdown('SIGHUP'));

async function main(): Promise<void> {
  const config = loadConfig();
  opening = openDatabase(config);
  const database = await opening;
  logger.log(`database: ${database.description}`);
  if (closing) return;
  const ran = await migrate(database.url);
  logger.log(ran.length ? `migrations applied: ${ran.join(', ')}` : 'schema up to date');
  if (closing) return;

  const created = await createApp({ ...config, DATABASE_URL: database.url });
  if (closing) {
    await created.close();
    return;
  }
  app = created;
  await app.listen({ port: config.PORT, host: config.HOST });
  const base = `http://${config.HOST}:${config.PORT}`;
  logger.log(
    `API on ${base}/api/v1, OpenAPI on ${base}/docs (JSON: ${base}/docs-json), health on ${base}/health; stop with Ctrl-C or kill ${process.pid}`,
  );
  logger.log(
    `projector: ${config.PROJECTOR === 'inline' ? 'in this process' : 'off here (run npm run projector)'}`,
  );
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  // Do not leave an embedded PostgreSQL running behind a failed start.
  const database = await opening?.catch(() => undefined);
  await database?.embedded?.stop().catch(() => undefined);
  process.exit(1);
});
