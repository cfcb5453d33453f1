import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AppConfig } from '../config.js';
import { APP_CONFIG } from '../infrastructure/tokens.js';
import { AccessGuard } from './access.guard.js';
import { AccessTokens } from './access-tokens.js';
import { Accounts } from './accounts.js';
import { AuthController } from './auth.controller.js';
import { Sessions } from './sessions.js';

/**
 * Authentication and authorization: log in, refresh, log out, change one's password (the
 * controller); accounts and sessions (the services); and the AccessGuard, which checks every
 * route's @Can policy (apps/api/src/auth/access.guard.ts). Global: the users feature and the
 * CLI use Accounts.
 */
@Global()
@Module({
  controllers: [AuthController],
  providers: [
    { provide: APP_GUARD, useClass: AccessGuard },
    {
      provide: AccessTokens,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new AccessTokens(config.JWT_SECRET),
    },
    Sessions,
    Accounts,
  ],
  exports: [AccessTokens, Sessions, Accounts],
})
export class AuthModule {}
