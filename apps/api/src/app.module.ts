import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { AppConfig } from './config.js';
import { CasesController } from './cases/cases.controller.js';
import { ChangeCaseHandler, OpenCaseHandler } from './cases/cases.commands.js';
import { GetCaseHandler, ListCasesHandler } from './cases/cases.queries.js';
import {
  EnterprisesController,
  GetEnterpriseHandler,
  RegisterEnterpriseHandler,
} from './enterprises/enterprises.js';
import { HealthController } from './health.controller.js';
import { InfrastructureModule } from './infrastructure/infrastructure.module.js';
import type { Clock } from './infrastructure/tokens.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig & { DATABASE_URL: string }, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), InfrastructureModule.forRoot(config, clock)],
      controllers: [EnterprisesController, CasesController, HealthController],
      providers: [
        RegisterEnterpriseHandler,
        GetEnterpriseHandler,
        OpenCaseHandler,
        ChangeCaseHandler,
        GetCaseHandler,
        ListCasesHandler,
      ],
    };
  }
}
