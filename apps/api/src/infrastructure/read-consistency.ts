import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { parsePosition, PostgresEventStore, type Position } from '#event-store';
import { Projector } from '#read-model';
import { HttpProblem } from '../http/errors.js';
import { APP_CONFIG } from './tokens.js';
import type { AppConfig } from '../config.js';

const invalid = (message: string, rule: string) =>
  new HttpProblem(400, 'REQUEST.INVALID_HEADER', message, [
    { field: 'X-Consistent-With', rule, message },
  ]);

/**
 * Read-your-writes: a command reply carries its position in the log; a read that sends it
 * back as `X-Consistent-With` waits (bounded) until the read models it uses have applied it.
 * A position no command could have answered yet (past the log's head) is refused at once
 * (400) rather than waited for; the waiting readers share one wake-up (Projector.waitFor).
 */
@Injectable()
export class ReadConsistency {
  /** The furthest head seen: positions before it need no query. */
  private head: Position = { transactionId: 0n, globalPosition: 0n };
  private reading: Promise<Position> | null = null;

  constructor(
    private readonly projector: Projector,
    private readonly store: PostgresEventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async await(request: FastifyRequest, projections: readonly string[]): Promise<void> {
    const raw = request.headers['x-consistent-with'];
    if (raw === undefined) return;
    const position = typeof raw === 'string' ? parsePosition(raw.trim()) : null;
    if (!position) {
      throw invalid(
        'X-Consistent-With must be a position from a command reply, such as "812:1044"',
        'format',
      );
    }
    if (!(await this.exists(position))) {
      throw invalid(
        `X-Consistent-With ${String(raw)} is past the end of the log: send the position a command replied with`,
        'knownPosition',
      );
    }
    if (
      !(await this.projector.waitFor(projections, position, this.config.CONSISTENCY_TIMEOUT_MS))
    ) {
      throw new HttpProblem(
        503,
        'READ_MODEL.BEHIND',
        `The read model has not caught up with position ${String(raw)} within ${this.config.CONSISTENCY_TIMEOUT_MS} ms; retry shortly`,
        undefined,
        { 'retry-after': '1' },
      );
    }
  }

  /** Whether a command could have answered this position: before the log's head. */
  private async exists(position: Position): Promise<boolean> {
    const before = (head: Position) =>
      position.transactionId < head.transactionId && position.globalPosition <= head.globalPosition;
    if (before(this.head)) return true;
    // One look-up at a time, shared by every reader that needs it.
    this.reading ??= this.store.head().finally(() => (this.reading = null));
    const head = await this.reading;
    this.head = {
      transactionId:
        head.transactionId > this.head.transactionId ? head.transactionId : this.head.transactionId,
      globalPosition:
        head.globalPosition > this.head.globalPosition
          ? head.globalPosition
          : this.head.globalPosition,
    };
    return before(head);
  }
}
