import { Module } from '@nestjs/common';
import { GetMetricsHandler } from './get-metrics/get-metrics.handler.js';
import { MetricsController } from './metrics.controller.js';

/** Metrics (考核指标): get-metrics (its DTO and handler), the period maths, one controller. */
@Module({
  controllers: [MetricsController],
  providers: [GetMetricsHandler],
  exports: [GetMetricsHandler],
})
export class MetricsModule {}
