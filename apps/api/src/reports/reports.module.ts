import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { ReportsController } from './reports.controller.js';
import { Reports } from './reports.js';

/** Reports (报表): the monthly ledger and the quarterly review, as CSV or Excel. */
@Module({
  imports: [CasesModule, MetricsModule],
  controllers: [ReportsController],
  providers: [Reports],
})
export class ReportsModule {}
