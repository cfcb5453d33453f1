import { Controller, Get, Inject, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Projector } from '#read-model';
import { Public } from '../auth/policy.js';
import type { AppConfig } from '../config.js';
import { ErrorDto } from '../http/errors.js';
import { APP_CONFIG } from '../infrastructure/tokens.js';

interface LagRow {
  name: string;
  position: string;
  lag_events: string;
  oldest_unapplied: Date | null;
}

export interface ProjectionHealth {
  name: string;
  /** The checkpoint, `transactionId:globalPosition`. */
  checkpoint: string;
  /** Events in the log it has not applied yet (counted up to HEALTH_MAX_LAG_EVENTS + 1). */
  lagEvents: number;
  /** Age of the oldest event it has not applied, in seconds (0 when caught up). */
  lagSeconds: number;
  behind: boolean;
}

/**
 * Per projection: how many visible events lie past its checkpoint (counted on the global
 * order index, stopping past the bound) and how old the first of them is.
 */
const LAG = `
  SELECT c.name, c.transaction_id::text || ':' || c.global_position::text AS position,
    (SELECT count(*) FROM (SELECT 1 FROM events e
        WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)
          AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        LIMIT $1) lagging)::text AS lag_events,
    (SELECT e.recorded_at FROM events e
        WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)
          AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY e.transaction_id, e.global_position LIMIT 1) AS oldest_unapplied
  FROM projection_checkpoints c WHERE c.name = ANY($2::text[]) ORDER BY c.name`;

/**
 * Liveness (`/health/live`: the process answers), health (`/health`: the database answers,
 * and each projection's lag behind the log) and readiness (`/health/ready`: 503 while the
 * database is away or a projection is further behind than the configured bound, so a load
 * balancer sends no reads to a process whose answers would be stale).
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projector: Projector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers (no database check, no account needed)' })
  @ApiOkResponse({ description: 'The process is up (no database check): restart it if not' })
  live() {
    return { status: 'ok' };
  }

  @Get()
  @Public()
  @ApiOperation({
    summary:
      "Health: the database answers, and each projection's lag behind the log (no account needed)",
  })
  @ApiOkResponse({ description: 'The database answers; each projection with its lag' })
  async health() {
    const projections = await this.projections();
    return {
      status: projections.some((p) => p.behind) ? 'behind' : 'ok',
      projections,
      waitingReads: this.projector.waiting,
    };
  }

  @Get('ready')
  @Public()
  @ApiOperation({
    summary: 'Readiness: 503 while the database is away or a projection is behind the bound',
  })
  @ApiOkResponse({ description: 'Ready for traffic: the database answers, projections keep up' })
  @ApiServiceUnavailableResponse({
    type: ErrorDto,
    description: 'HEALTH.NOT_READY: the database is away or a projection is behind the bound',
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    let projections: ProjectionHealth[];
    try {
      projections = await this.projections();
    } catch {
      void reply.status(503).header('retry-after', '5');
      return {
        statusCode: 503,
        code: 'HEALTH.NOT_READY',
        message: 'The database does not answer',
        correlationId: String(reply.request.id),
      };
    }
    const behind = projections.filter((p) => p.behind);
    if (behind.length === 0) return { status: 'ready', projections };
    void reply.status(503).header('retry-after', '5');
    return {
      statusCode: 503,
      code: 'HEALTH.NOT_READY',
      message: `Behind the log past the bound (${this.config.HEALTH_MAX_LAG_EVENTS} events or ${this.config.HEALTH_MAX_LAG_S} s): ${behind.map((p) => `${p.name} ${p.lagEvents} events, ${p.lagSeconds} s`).join('; ')}`,
      details: { projections },
      correlationId: String(reply.request.id),
    };
  }

  private async projections(): Promise<ProjectionHealth[]> {
    const maxEvents = this.config.HEALTH_MAX_LAG_EVENTS;
    const rows = (await this.dataSource.query(LAG, [
      maxEvents + 1,
      this.projector.projections.map((p) => p.name),
    ])) as LagRow[];
    const now = Date.now();
    return rows.map((row) => {
      const lagEvents = Number(row.lag_events);
      const lagSeconds = row.oldest_unapplied
        ? Math.max(0, Math.round((now - new Date(row.oldest_unapplied).getTime()) / 1000))
        : 0;
      return {
        name: row.name,
        checkpoint: row.position,
        lagEvents,
        lagSeconds,
        behind: lagEvents > maxEvents || lagSeconds > this.config.HEALTH_MAX_LAG_S,
      };
    });
  }
}
