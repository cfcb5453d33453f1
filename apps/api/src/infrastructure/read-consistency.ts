import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { parsePosition } from '#event-store';
import { Projector } from '#read-model';
import { HttpProblem } from '../http/errors.js';
import { APP_CONFIG } from './tokens.js';
import type { AppConfig } from '../config.js';

/**
 * Read-your-writes: a command reply carries its position in the log; a read that sends it
 * back as `X-Consistent-With` waits (bounded) until the read models it uses have applied it.
 */
@Injectable()
export class ReadConsistency {
  constructor(
    private readonly projector: Projector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async await(request: FastifyRequest, projections: readonly string[]): Promise<void> {
    const raw = request.headers['x-consistent-with'];
    if (raw === undefined) return;
    const position = typeof raw === 'string' ? parsePosition(raw.trim()) : null;
    if (!position) {
      throw new HttpProblem(
        400,
        'REQUEST.INVALID_HEADER',
        'X-Consistent-With must be a position from a command reply, such as "812:1044"',
        [
          {
            field: 'X-Consistent-With',
            rule: 'format',
            message: 'must be a position such as "812:1044"',
          },
        ],
      );
    }
    if (
      !(await this.projector.waitFor(projections, position, this.config.CONSISTENCY_TIMEOUT_MS))
    ) {
      throw new HttpProblem(
        503,
        'READ_MODEL.BEHIND',
        `The read model has not caught up with position ${raw} within ${this.config.CONSISTENCY_TIMEOUT_MS} ms; retry shortly`,
        undefined,
        { 'retry-after': '1' },
      );
    }
  }
}
