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
import {
  CampaignCommandHandler,
  CampaignsController,
  GetCampaignHandler,
  ListCampaignsHandler,
} from './campaigns/campaigns.js';
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
import { InfrastructureModule } from './infrastructure/infrastructure.module.js';
import { CATALOGUES, type Clock } from './infrastructure/tokens.js';
import {
  Catalogues,
  ChangeReferenceHandler,
  ListReferenceHandler,
  ReferenceController,
} from './reference/reference.js';
import {
  GetVisitHandler,
  ListVisitsHandler,
  LogVisitHandler,
  VisitsController,
} from './visits/visits.js';

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
      imports: [CqrsModule.forRoot(), InfrastructureModule.forRoot(config, clock)],
      controllers: [
        AuthController,
        UsersController,
        ReferenceController,
        EnterprisesController,
        CasesController,
        VisitsController,
        CampaignsController,
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
        Catalogues,
        { provide: CATALOGUES, useExisting: Catalogues },
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
        LogVisitHandler,
        ListVisitsHandler,
        GetVisitHandler,
        CampaignCommandHandler,
        GetCampaignHandler,
        ListCampaignsHandler,
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
