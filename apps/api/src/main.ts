import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { migrate } from '#read-model';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './database.js';

async function main(): Promise<void> {
  const logger = new Logger('Saolou');
  const config = loadConfig();
  const database = await openDatabase(config);
  logger.log(`database: ${database.description}`);
  const ran = await migrate(database.url);
  logger.log(ran.length ? `migrations applied: ${ran.join(', ')}` : 'schema up to date');

  const app = await createApp({ ...config, DATABASE_URL: database.url });
  await app.listen({ port: config.PORT, host: config.HOST });
  const base = `http://${config.HOST}:${config.PORT}`;
  logger.log(`API on ${base}/api/v1, OpenAPI on ${base}/docs, health on ${base}/health`);
  logger.log(
    `projector: ${config.PROJECTOR === 'inline' ? 'in this process' : 'off here (run npm run projector)'}`,
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal}: shutting down`);
    await app.close();
    await database.embedded?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
