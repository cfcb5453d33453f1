import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { ReportsController } from './reports.controller.js';
import { MonthlyLedgerHandler } from './monthly-ledger/monthly-ledger.handler.js';
import { QuarterlyReviewHandler } from './quarterly-review/quarterly-review.handler.js';

/**
 * Reports (报表): monthly-ledger (一月一调度 台账) and quarterly-review (一季一点评), each a
 * query; report.ts renders either as CSV or Excel; one controller.
 */
@Module({
  imports: [CasesModule, MetricsModule],
  controllers: [ReportsController],
  providers: [MonthlyLedgerHandler, QuarterlyReviewHandler],
})
export class ReportsModule {}
