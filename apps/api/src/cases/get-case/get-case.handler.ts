import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { CaseErrors, notFound } from '#domain';
import { CaseTimelineEntry, CaseView } from '#read-model';
import { CaseDeadlineReader, type DeadlineSettings } from '../case-deadlines.js';
import type { CaseDetailDto, CaseDto } from '../case.dto.js';

/** Rows with their deadlines at `now`. */
export async function withDeadlines(
  reader: CaseDeadlineReader,
  rows: CaseView[],
  now: Date,
  settings?: DeadlineSettings,
): Promise<CaseDto[]> {
  const deadlines = await reader.forCases(rows, now, settings);
  return rows.map((row) => ({ ...row, deadlines: deadlines.get(row.id)! }));
}

export class GetCaseQuery extends Query<CaseDetailDto> {
  constructor(readonly id: string) {
    super();
  }
}

@QueryHandler(GetCaseQuery)
export class GetCaseHandler implements IQueryHandler<GetCaseQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deadlines: CaseDeadlineReader,
  ) {}

  async execute({ id }: GetCaseQuery): Promise<CaseDetailDto> {
    const found = await this.dataSource.getRepository(CaseView).findOneBy({ id });
    if (!found) throw notFound(CaseErrors.notFound, `Case ${id} does not exist`);
    const [withDue] = await withDeadlines(this.deadlines, [found], this.deadlines.now());
    const entries = await this.dataSource
      .getRepository(CaseTimelineEntry)
      .find({ where: { caseId: id }, order: { streamPosition: 'ASC' } });
    return {
      ...withDue!,
      timeline: entries.map((e) => ({
        eventId: e.eventId,
        type: e.type,
        actor: e.actor,
        actorName: (e.actorDetails?.displayName as string | undefined) ?? null,
        actorRole: (e.actorDetails?.role as string | undefined) ?? null,
        actorDepartment: (e.actorDetails?.department as string | undefined) ?? null,
        occurredAt: e.occurredAt,
        version: e.streamPosition,
        data: e.data,
      })),
    };
  }
}
