import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { Principal } from '#domain';
import { VisitView } from '#read-model';
import { scopeCondition } from '../../auth/scope-sql.js';
import { CursorValue, decodeCursor, toPage } from '../../http/cursor.js';
import type { VisitListDto } from '../visit.dto.js';
import type { ListVisitsDto } from './list-visits.dto.js';

export class ListVisitsQuery extends Query<VisitListDto> {
  constructor(
    readonly filter: ListVisitsDto,
    readonly who: Principal,
  ) {
    super();
  }
}

@QueryHandler(ListVisitsQuery)
export class ListVisitsHandler implements IQueryHandler<ListVisitsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filter, who }: ListVisitsQuery): Promise<VisitListDto> {
    const limit = filter.limit ?? 50;
    const scope = scopeCondition(who, { street: 'v.street', madeBy: 'v.logged_by' });
    const q = this.dataSource
      .getRepository(VisitView)
      .createQueryBuilder('v')
      .where(scope.sql, scope.params);
    if (filter.enterpriseId)
      q.andWhere('v.enterprise_id = :e', { e: filter.enterpriseId.toUpperCase() });
    if (filter.street) q.andWhere('v.street = :s', { s: filter.street });
    if (filter.level) q.andWhere('v.level = :l', { l: filter.level });
    if (filter.from) q.andWhere('v.visited_on >= :from', { from: filter.from });
    if (filter.to) q.andWhere('v.visited_on <= :to', { to: filter.to });
    if (filter.cursor) {
      const [on, id] = decodeCursor(filter.cursor, [CursorValue.date, CursorValue.uuid]);
      q.andWhere('(v.visited_on, v.id) < (:on, :id)', { on, id });
    }
    const rows = await q
      .orderBy('v.visited_on', 'DESC')
      .addOrderBy('v.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (last) => [last.visitedOn, last.id]);
  }
}
