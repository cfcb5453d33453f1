import { CommandBus } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import { migrate, Projector } from '#read-model';
import { AppModule } from '../apps/api/src/app.module.js';
import { FULL_DISTRICT, seedDistrict } from '../apps/api/src/cli/demo-district.js';
import { createDemoUsers, demoPeople } from '../apps/api/src/cli/demo-users.js';
import { loadConfig } from '../apps/api/src/config.js';
import { EVENT_STORE } from '../apps/api/src/infrastructure/tokens.js';

/**
 * The benches' district: the database migrated, the demo accounts, `scale` of the demo
 * district seeded through the command bus (as npm run seed builds it) and projected. Returns
 * the application context it was built with (no projector running: close it when done) and
 * the accounts.
 */
export async function seededDistrict(url: string, scale: number) {
  await migrate(url);
  const context = await NestFactory.createApplicationContext(
    AppModule.forRoot({
      ...loadConfig({}),
      DATABASE_URL: url,
      PROJECTOR: 'off',
      LOG_LEVEL: 'silent',
    }),
    { logger: ['error'] },
  );
  await context.init();
  const users = await createDemoUsers(context, new Date(Date.now() - 100 * 86400_000));
  await seedDistrict(
    context.get(CommandBus),
    {
      enterprises: Math.round(FULL_DISTRICT.enterprises * scale),
      visits: Math.round(FULL_DISTRICT.visits * scale),
      cases: Math.round(FULL_DISTRICT.cases * scale),
    },
    { now: new Date(), store: context.get(EVENT_STORE), people: demoPeople(users) },
  );
  await context.get(Projector).catchUp();
  return { context, users };
}
