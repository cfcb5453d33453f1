import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { caseStreamId, visitStreamId, visitWithCasesDecider } from '#domain';
import {
  entityIdFor,
  formatPosition,
  handleMultiStreamCommand,
  type CommandContext,
  type EventStore,
} from '#event-store';
import { EVENT_STORE } from '../../infrastructure/tokens.js';
import { Catalogues } from '../../reference/catalogues.js';
import { enterpriseFacts } from '../../cases/case-command.handler.js';
import type { VisitReplyDto } from '../visit.dto.js';
import type { LogVisitDto } from './log-visit.dto.js';

export class LogVisitCommand extends Command<VisitReplyDto & { replayed: boolean }> {
  constructor(
    readonly visitId: string,
    readonly body: LogVisitDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * A visit and the cases its problems open are written in one transaction, through the
 * multi-stream command path. A retry (same Idempotency-Key) derives the same ids and is
 * answered with the first result.
 */
@CommandHandler(LogVisitCommand)
export class LogVisitHandler implements ICommandHandler<LogVisitCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly catalogues: Catalogues,
  ) {}

  async execute({
    visitId,
    body,
    context,
  }: LogVisitCommand): Promise<VisitReplyDto & { replayed: boolean }> {
    const caseIds = (body.problems ?? []).map((_, i) =>
      entityIdFor(context.commandId, `visit-case-${i}`),
    );
    const result = await handleMultiStreamCommand(
      this.store,
      visitWithCasesDecider,
      visitStreamId(visitId),
      {
        type: 'LogVisit',
        data: {
          visitId,
          enterprise: await enterpriseFacts(this.store, body.enterpriseId),
          visitedOn: body.visitedOn,
          level: body.level,
          officers: body.officers,
          leaders: body.leaders ?? [],
          summary: body.summary,
          problems: (body.problems ?? []).map((p, i) => ({
            caseId: caseIds[i]!,
            category: p.category,
            description: p.description,
            priority: p.priority ?? 'normal',
          })),
          catalogue: await this.catalogues.current(),
        },
      },
      context,
      { alsoWrites: caseIds.map(caseStreamId) },
    );
    return {
      id: visitId,
      caseIds,
      position: formatPosition(result.position!),
      replayed: result.replayed,
    };
  }
}
