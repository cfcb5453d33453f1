import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
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
import { InfrastructureModule } from './infrastructure/infrastructure.module.js';
import type { Clock } from './infrastructure/tokens.js';
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
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), InfrastructureModule.forRoot(config, clock)],
      controllers: [
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
        Catalogues,
        ChangeReferenceHandler,
        ListReferenceHandler,
        EnterpriseCommandHandler,
        GetEnterpriseHandler,
        ListEnterprisesHandler,
        CaseCommandHandler,
        GetCaseHandler,
        ListCasesHandler,
        CountCasesHandler,
        LogVisitHandler,
        ListVisitsHandler,
        GetVisitHandler,
        CampaignCommandHandler,
        GetCampaignHandler,
        ListCampaignsHandler,
        SlaSettingsHandler,
        GetSlaSettingsHandler,
        GetMetricsHandler,
        Reports,
      ],
    };
  }
}
