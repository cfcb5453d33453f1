import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DomainError, normaliseUsername } from '#domain';
import { Projector, migrate } from '#read-model';
import { AppModule } from '../app.module.js';
import { Accounts } from '../auth/accounts.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../database.js';
import { stopOnSignal } from './signals.js';
import { CLOCK, type Clock } from '../infrastructure/tokens.js';

/**
 * npm run create-admin -- <username> — an admin account. The password comes from
 * SAOLOU_ADMIN_PASSWORD, or is generated and printed this once. Run it while the API is
 * stopped when the database is the embedded one (it has one owner).
 */
const raw = process.argv[2];
if (!raw) {
  console.error('usage: npm run create-admin -- <username>');
  process.exit(2);
}
let username: string;
try {
  username = normaliseUsername(raw);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

const config = loadConfig();
const database = await openDatabase(config);
let app: INestApplicationContext | undefined;
stopOnSignal(database, async () => app?.close());
try {
  await migrate(database.url);
  app = await NestFactory.createApplicationContext(
    // Not the env-var bootstrap: this command is the other way to make the first admin.
    AppModule.forRoot({
      ...config,
      DATABASE_URL: database.url,
      PROJECTOR: 'off',
      SAOLOU_ADMIN_USERNAME: undefined,
      SAOLOU_ADMIN_PASSWORD: undefined,
    }),
    { logger: ['error'] },
  );
  await app.init();
  const given = process.env.SAOLOU_ADMIN_PASSWORD;
  const { temporaryPassword } = await app.get(Accounts).create(
    {
      username,
      displayName: 'Administrator',
      role: 'admin',
      ...(given ? { password: given } : {}),
    },
    {
      commandId: randomUUID(),
      actor: 'system:create-admin',
      correlationId: 'cli',
      now: app.get<Clock>(CLOCK).now(),
    },
    // A generated password was shown on a terminal: it must be changed at the first login.
    { mustChangePassword: !given },
  );
  // Project it now: the next start looks for an admin in the read model (and would warn).
  await app.get(Projector).catchUp();
  console.log(`Admin account ${username} created.`);
  if (temporaryPassword) console.log(`Its password, shown this once: ${temporaryPassword}`);
} catch (error) {
  if (error instanceof DomainError) console.error(`${error.code}: ${error.message}`);
  else new Logger('create-admin').error(error instanceof Error ? error.stack : String(error));
  process.exitCode = 1;
} finally {
  await app?.close();
  await database.embedded?.stop();
}
