import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '#event-store';
import type { AppConfig } from './config.js';

export interface Database {
  url: string;
  /** Where the data lives, for the start-up log. */
  description: string;
  embedded?: EmbeddedPostgresHandle;
}

/** DATABASE_URL when set; otherwise the embedded PostgreSQL under DATA_DIR, with a `saolou` database. */
export async function openDatabase(config: AppConfig): Promise<Database> {
  if (config.DATABASE_URL) {
    return {
      url: config.DATABASE_URL,
      description: `external PostgreSQL ${config.DATABASE_URL.replace(/\/\/[^@]*@/, '//')}`,
    };
  }
  const dataDir = resolve(config.DATA_DIR, 'pgdata');
  new Logger('Saolou').log(`starting embedded PostgreSQL in ${dataDir}`);
  const embedded = await startEmbeddedPostgres({
    dataDir,
    port: config.EMBEDDED_PG_PORT,
    persistent: true,
    warn: (line) => new Logger('Saolou').warn(line),
  });
  const admin = new pg.Client({ connectionString: embedded.url });
  await admin.connect();
  try {
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'saolou'`);
    if (exists.rowCount === 0) await admin.query('CREATE DATABASE saolou');
  } finally {
    await admin.end();
  }
  const url = new URL(embedded.url);
  url.pathname = '/saolou';
  return {
    url: url.toString(),
    description: `embedded PostgreSQL on 127.0.0.1:${embedded.port}, data in ${dataDir}`,
    embedded,
  };
}
