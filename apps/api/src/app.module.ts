import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule } from './auth/auth.module.js';
import { CampaignsModule } from './campaigns/campaigns.module.js';
import { CasesModule } from './cases/cases.module.js';
import type { AppConfig } from './config.js';
import { EnterprisesModule } from './enterprises/enterprises.module.js';
import { HealthModule } from './health/health.module.js';
import { InfrastructureModule } from './infrastructure/infrastructure.module.js';
import type { Clock } from './infrastructure/tokens.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { CataloguesModule } from './reference/catalogues.module.js';
import { ReferenceModule } from './reference/reference.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { SlaModule } from './sla/sla.module.js';
import { UsersModule } from './users/users.module.js';
import { VisitsModule } from './visits/visits.module.js';

/**
 * The application: the infrastructure (database, event store, projector, clock) and the
 * catalogue commands check against, both global, then one module per feature, each a folder
 * with one folder per use case inside.
 */
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
        // Authorization for every route, in one place (apps/api/src/auth/access.guard.ts).
        AuthModule,
        UsersModule,
        ReferenceModule,
        EnterprisesModule,
        CasesModule,
        VisitsModule,
        CampaignsModule,
        SlaModule,
        MetricsModule,
        ReportsModule,
        HealthModule,
      ],
    };
  }
}
