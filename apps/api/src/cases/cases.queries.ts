import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { CaseErrors, notFound, type MetricDimension, type Principal } from '#domain';
import { CASE_COLUMNS, scopeCondition } from '../auth/scope-sql.js';
import { CaseTimelineEntry, CaseView } from '#read-model';
import { CursorValue, decodeCursor, toPage } from '../http/cursor.js';
import type {
  CaseMetric,
  CaseCountsDto,
  CaseDetailDto,
  CaseFilterDto,
  CaseListDto,
  ListCasesDto,
} from './cases.dto.js';

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

/**
 * The drill-down: each case-counting metrics counter as a condition on the case's row in
 * case_sla (s.facts, s.sla), the very values `contributionsOf` adds to the metric cells.
 */
const RESOLVED = `(s.sla->>'resolvedAt' IS NOT NULL AND s.sla->'withdrawn' <> 'true'::jsonb)`;
const RESPONDED = `(s.sla->>'firstRespondedAt' IS NOT NULL)`;
const METRIC_SQL: Record<CaseMetric, string> = {
  received: 'TRUE',
  responded: RESPONDED,
  responseDue: `(${RESPONDED} OR s.sla->'firstResponseOverdue' = 'true'::jsonb)`,
  respondedOnTime: `s.sla->'firstResponseOnTime' = 'true'::jsonb`,
  resolutionDue: `(${RESOLVED} OR s.sla->'resolutionOverdue' = 'true'::jsonb)`,
  solved: `(${RESOLVED} AND s.facts->>'outcome' IN ('solved', 'partly_solved'))`,
  resolvedOnTime: `(${RESOLVED} AND s.sla->'resolvedOnTime' = 'true'::jsonb)`,
  callbacks: `s.facts->>'satisfaction' IS NOT NULL`,
  satisfied: `s.facts->>'satisfaction' IN ('satisfied', 'basically_satisfied')`,
  overdue: `(s.sla->'firstResponseOnTime' = 'false'::jsonb OR s.sla->'resolvedOnTime' = 'false'::jsonb
    OR s.sla->'firstResponseOverdue' = 'true'::jsonb OR s.sla->'resolutionOverdue' = 'true'::jsonb)`,
  escalated: `(s.facts->>'supervised')::int > 0`,
};
const DIMENSION_SQL: Record<MetricDimension, string> = {
  district: `:metricKey = 'all'`,
  lead_department: `COALESCE(s.lead_department, '-') = :metricKey`,
  co_department: `s.facts->'coDepartments' @> jsonb_build_array(:metricKey::text)`,
  street: `s.facts->>'street' = :metricKey`,
  category: `s.facts->>'category' = :metricKey`,
  channel: `s.facts->>'channel' = :metricKey`,
  visit_level: `s.facts->>'visitLevel' = :metricKey`,
};

const escapeLike = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

/** The worklist's filters as SQL, shared by the list and the counts. */
function applyFilter(
  query: SelectQueryBuilder<CaseView>,
  f: CaseFilterDto,
  who: Principal,
): SelectQueryBuilder<CaseView> {
  const scope = scopeCondition(who, CASE_COLUMNS('c'));
  query.where(scope.sql, scope.params);
  if (f.status?.length) query.andWhere('c.status IN (:...status)', { status: f.status });
  if (f.department) {
    const role = f.role ?? 'any';
    const lead = 'c.lead_department = :department';
    const co = ':department = ANY(c.co_departments)';
    query.andWhere(role === 'lead' ? lead : role === 'co' ? co : `(${lead} OR ${co})`, {
      department: f.department,
    });
  }
  if (f.street) query.andWhere('c.street = :street', { street: f.street });
  if (f.category) query.andWhere('c.category = :category', { category: f.category });
  if (f.channel) query.andWhere('c.channel = :channel', { channel: f.channel });
  if (f.priority) query.andWhere('c.priority = :priority', { priority: f.priority });
  if (f.openedFrom) query.andWhere('c.opened_at >= :openedFrom', { openedFrom: f.openedFrom });
  if (f.openedTo) query.andWhere('c.opened_at < :openedTo', { openedTo: f.openedTo });
  if (f.supervised !== undefined)
    query.andWhere(f.supervised ? 'c.supervised_count > 0' : 'c.supervised_count = 0');
  if (f.metric || f.dimension) {
    const conditions = [f.metric ? METRIC_SQL[f.metric] : 'TRUE'];
    if (f.dimension) conditions.push(DIMENSION_SQL[f.dimension]);
    query.andWhere(
      `EXISTS (SELECT 1 FROM case_sla s WHERE s.case_id = c.id::text AND ${conditions.join(' AND ')})`,
      { metricKey: f.key },
    );
  }
  if (f.q) {
    query.andWhere(
      `(c.enterprise_name ILIKE :q ESCAPE '\\' OR c.description ILIKE :q ESCAPE '\\')`,
      { q: escapeLike(f.q) },
    );
  }
  return query;
}

const SORTS = {
  newest: { column: 'opened_at', field: 'openedAt', direction: 'DESC', compare: '<' },
  oldest: { column: 'opened_at', field: 'openedAt', direction: 'ASC', compare: '>' },
  recent_activity: {
    column: 'last_activity_at',
    field: 'lastActivityAt',
    direction: 'DESC',
    compare: '<',
  },
} as const;

export class ListCasesQuery extends Query<CaseListDto> {
  constructor(
    readonly filter: ListCasesDto,
    /** Whose worklist: the access policy narrows it. */
    readonly who: Principal,
  ) {
    super();
  }
}

/** Keyset-paginated on (sort column, id): stable while cases change. */
@QueryHandler(ListCasesQuery)
export class ListCasesHandler implements IQueryHandler<ListCasesQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filter, who }: ListCasesQuery): Promise<CaseListDto> {
    const limit = filter.limit ?? 50;
    const sort = SORTS[filter.sort ?? 'newest'];
    const query = applyFilter(
      this.dataSource.getRepository(CaseView).createQueryBuilder('c'),
      filter,
      who,
    );
    if (filter.cursor) {
      const [value, id] = decodeCursor(filter.cursor, [CursorValue.instant, CursorValue.uuid]);
      query.andWhere(`(c.${sort.column}, c.id) ${sort.compare} (:value, :id)`, { value, id });
    }
    const rows = await query
      .orderBy(`c.${sort.column}`, sort.direction)
      .addOrderBy('c.id', sort.direction)
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (last) => [last[sort.field].toISOString(), last.id]);
  }
}

export class CountCasesQuery extends Query<CaseCountsDto> {
  constructor(
    readonly filter: CaseFilterDto,
    readonly who: Principal,
  ) {
    super();
  }
}

@QueryHandler(CountCasesQuery)
export class CountCasesHandler implements IQueryHandler<CountCasesQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filter, who }: CountCasesQuery): Promise<CaseCountsDto> {
    const rows: { status: string; n: number }[] = await applyFilter(
      this.dataSource.getRepository(CaseView).createQueryBuilder('c'),
      { ...filter, status: undefined },
      who,
    )
      .select('c.status', 'status')
      .addSelect('count(*)::int', 'n')
      .groupBy('c.status')
      .getRawMany();
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    return { byStatus, total: rows.reduce((sum, r) => sum + r.n, 0) };
  }
}
