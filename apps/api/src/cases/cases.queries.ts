import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Brackets, DataSource } from 'typeorm';
import { CaseErrors, notFound } from '#domain';
import { CaseTimelineEntry, CaseView } from '#read-model';
import { HttpProblem } from '../http/errors.js';
import type { CaseDetailDto, CaseListDto } from './cases.dto.js';

export class GetCaseQuery extends Query<CaseDetailDto> {
  constructor(readonly id: string) {
    super();
  }
}

@QueryHandler(GetCaseQuery)
export class GetCaseHandler implements IQueryHandler<GetCaseQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ id }: GetCaseQuery): Promise<CaseDetailDto> {
    const found = await this.dataSource.getRepository(CaseView).findOneBy({ id });
    if (!found) throw notFound(CaseErrors.notFound, `Case ${id} does not exist`);
    const entries = await this.dataSource
      .getRepository(CaseTimelineEntry)
      .find({ where: { caseId: id }, order: { streamPosition: 'ASC' } });
    return {
      ...found,
      timeline: entries.map((e) => ({
        eventId: e.eventId,
        type: e.type,
        actor: e.actor,
        occurredAt: e.occurredAt,
        version: e.streamPosition,
        data: e.data,
      })),
    };
  }
}

export class ListCasesQuery extends Query<CaseListDto> {
  constructor(
    readonly filter: { status?: string; department?: string; limit?: number; cursor?: string },
  ) {
    super();
  }
}

const encodeCursor = (row: CaseView) =>
  Buffer.from(JSON.stringify([row.openedAt.toISOString(), row.id])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const [openedAt, id] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    ) as unknown[];
    if (
      typeof openedAt === 'string' &&
      !Number.isNaN(Date.parse(openedAt)) &&
      typeof id === 'string' &&
      /^[0-9a-f-]{36}$/.test(id)
    ) {
      return [openedAt, id];
    }
  } catch {
    // fall through
  }
  throw new HttpProblem(
    400,
    'REQUEST.INVALID',
    'cursor must be a nextCursor from a previous page',
    [{ field: 'cursor', rule: 'cursor', message: 'must be a nextCursor from a previous page' }],
  );
}

/** Newest first, keyset-paginated on (opened_at, id). */
@QueryHandler(ListCasesQuery)
export class ListCasesHandler implements IQueryHandler<ListCasesQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filter }: ListCasesQuery): Promise<CaseListDto> {
    const limit = filter.limit ?? 50;
    const query = this.dataSource.getRepository(CaseView).createQueryBuilder('c');
    if (filter.status) query.andWhere('c.status = :status', { status: filter.status });
    if (filter.department)
      query.andWhere('c.department = :department', { department: filter.department });
    if (filter.cursor) {
      const [openedAt, id] = decodeCursor(filter.cursor);
      query.andWhere(
        new Brackets((b) => b.where('(c.opened_at, c.id) < (:openedAt, :id)', { openedAt, id })),
      );
    }
    const rows = await query
      .orderBy('c.opened_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const items = rows.slice(0, limit);
    return {
      items,
      nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!) : null,
    };
  }
}
