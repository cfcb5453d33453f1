import { Module } from '@nestjs/common';
import { HealthController } from './health.controller.js';

/** /health, /health/live, /health/ready: for the load balancer and the orchestrator. */
@Module({ controllers: [HealthController] })
export class HealthModule {}
