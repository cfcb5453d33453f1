import { CASE_COLUMNS, positional, scopeCondition } from '../../auth/scope-sql.js';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { EnterpriseErrors, normaliseCreditCode, notFound, mayTake, type Principal } from '#domain';
import { CaseView, EnterpriseView, VisitView } from '#read-model';

import { Enterprise360Dto } from '../enterprise.dto.js';
export class GetEnterpriseQuery extends Query<Enterprise360Dto> {
  constructor(
    readonly id: string,
    /** Cases and visits shown are those this user may see. */
    readonly who: Principal,
  ) {
    super();
  }
}

@QueryHandler(GetEnterpriseQuery)
export class GetEnterpriseHandler implements IQueryHandler<GetEnterpriseQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ id, who }: GetEnterpriseQuery): Promise<Enterprise360Dto> {
    const code = normaliseCreditCode(id);
    const found = await this.dataSource.getRepository(EnterpriseView).findOneBy({ id: code });
    if (!found)
      throw notFound(
        EnterpriseErrors.notFound,
        `No enterprise is registered with credit code ${id}`,
      );
    const visitScope = mayTake(who.role, 'visit.read')
      ? scopeCondition(who, { street: 'v.street', madeBy: 'v.logged_by' })
      : { sql: 'FALSE', params: {} };
    const caseScope = scopeCondition(who, CASE_COLUMNS('c'));
    const raw = positional(caseScope.sql, caseScope.params, 1);
    const [visits, cases, counts, callbacks] = await Promise.all([
      this.dataSource
        .getRepository(VisitView)
        .createQueryBuilder('v')
        .where('v.enterprise_id = :code', { code })
        .andWhere(visitScope.sql, visitScope.params)
        .orderBy('v.visited_on', 'DESC')
        .addOrderBy('v.id', 'DESC')
        .limit(100)
        .getMany(),
      this.dataSource
        .getRepository(CaseView)
        .createQueryBuilder('c')
        .select([
          'c.id',
          'c.category',
          'c.channel',
          'c.priority',
          'c.status',
          'c.leadDepartment',
          'c.openedAt',
          'c.resolvedAt',
          'c.outcome',
          'c.satisfaction',
          'c.description',
        ])
        .where('c.enterprise_id = :code', { code })
        .andWhere(caseScope.sql, caseScope.params)
        .orderBy('c.opened_at', 'DESC')
        .addOrderBy('c.id', 'DESC')
        .limit(100)
        .getMany(),
      this.dataSource.query(
        `SELECT status, count(*)::int AS n FROM case_view c WHERE enterprise_id = $1 AND ${raw.sql} GROUP BY status`,
        [code, ...raw.values],
      ),
      this.dataSource.query(
        `SELECT satisfaction, count(*)::int AS n FROM case_view c WHERE enterprise_id = $1 AND satisfaction IS NOT NULL AND ${raw.sql} GROUP BY satisfaction`,
        [code, ...raw.values],
      ),
    ]);
    const tally = (rows: { n: number }[], key: string) =>
      Object.fromEntries(rows.map((r) => [(r as Record<string, unknown>)[key], r.n]));
    return {
      ...found,
      visits,
      cases,
      caseCounts: tally(counts, 'status'),
      callbacks: tally(callbacks, 'satisfaction'),
    };
  }
}
