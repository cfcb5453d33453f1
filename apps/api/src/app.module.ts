import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AccessGuard } from './auth/access.guard.js';
import { AccessTokens } from './auth/access-tokens.js';
import { Accounts } from './auth/accounts.js';
import { AuthController } from './auth/auth.controller.js';
import { Sessions } from './auth/sessions.js';
import { UsersController } from './users/users.js';
import type { AppConfig } from './config.js';
import { CampaignsModule } from './campaigns/campaigns.module.js';
import { CasesController } from './cases/cases.controller.js';
import { CaseCommandHandler } from './cases/cases.commands.js';
import { CountCasesHandler, GetCaseHandler, ListCasesHandler } from './cases/cases.queries.js';
import { CaseDeadlineReader } from './cases/case-deadlines.js';
import {
  EnterpriseCommandHandler,
  EnterprisesController,
  GetEnterpriseHandler,
  ListEnterprisesHandler,
} from './enterprises/enterprises.js';
import { HealthController } from './health.controller.js';
import { GetMetricsHandler, MetricsController } from './metrics/metrics.js';
import { Reports, ReportsController } from './reports/reports.js';
import { GetSlaSettingsHandler, SlaController, SlaSettingsHandler } from './sla/sla.js';
import { CalendarStartupNotice, CalendarYears } from './sla/calendar-year.js';
import { PreviewPolicyChangeModule } from './sla/preview-policy-change/preview-policy-change.module.js';
import { InfrastructureModule } from './infrastructure/infrastructure.module.js';
import type { Clock } from './infrastructure/tokens.js';
import { CataloguesModule } from './reference/catalogues.module.js';
import {
  ChangeReferenceHandler,
  ListReferenceHandler,
  ReferenceController,
} from './reference/reference.js';
import { VisitsModule } from './visits/visits.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig & { DATABASE_URL: string }, clock?: Clock): DynamicModule {
    if (!config.JWT_SECRET) {
      new Logger('Auth').warn(
        'JWT_SECRET is not set: access tokens are signed with a key made for this process only',
      );
    }
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        InfrastructureModule.forRoot(config, clock),
        CataloguesModule,
        // Features as modules, one folder per use case inside (the others are still
        // listed below, controller and handlers by class).
        VisitsModule,
        CampaignsModule,
        PreviewPolicyChangeModule,
      ],
      controllers: [
        AuthController,
        UsersController,
        ReferenceController,
        EnterprisesController,
        CasesController,
        SlaController,
        MetricsController,
        ReportsController,
        HealthController,
      ],
      providers: [
        // Authorization for every route, in one place (apps/api/src/auth/access.guard.ts).
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: AccessTokens, useFactory: () => new AccessTokens(config.JWT_SECRET) },
        Sessions,
        Accounts,
        ChangeReferenceHandler,
        ListReferenceHandler,
        EnterpriseCommandHandler,
        GetEnterpriseHandler,
        ListEnterprisesHandler,
        CaseCommandHandler,
        GetCaseHandler,
        ListCasesHandler,
        CountCasesHandler,
        CaseDeadlineReader,
        SlaSettingsHandler,
        GetSlaSettingsHandler,
        CalendarYears,
        CalendarStartupNotice,
        GetMetricsHandler,
        Reports,
      ],
    };
  }
}
