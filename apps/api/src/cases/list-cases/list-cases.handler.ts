import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import type { MetricDimension, Principal } from '#domain';
import { CASE_COLUMNS, scopeCondition } from '../../auth/scope-sql.js';
import { CaseView, containing } from '#read-model';
import { CursorValue, decodeCursor, toPage } from '../../http/cursor.js';
import { HttpProblem } from '../../http/errors.js';
import {
  CaseDeadlineReader,
  dueSoonSql,
  overdueSql,
  type DeadlineSettings,
} from '../case-deadlines.js';
import type { CaseCountsDto, CaseListDto } from '../case.dto.js';
import { withDeadlines } from '../get-case/get-case.handler.js';
import type { CaseMetric, CaseFilterDto, ListCasesDto } from './list-cases.dto.js';

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
  // isSolved: resolved or closed as solved or partly solved.
  solved: `(${RESOLVED} AND s.facts->>'status' IN ('resolved', 'closed')
    AND s.facts->'resolution'->>'outcome' IN ('solved', 'partly_solved'))`,
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

/** The instants the deadline filters compare against: now, and N working hours from now. */
export interface FilterInstants {
  now: Date;
  /** `dueWithinHours` working hours after now (the working calendar's, computed in Node). */
  soon: Date;
}

/** The department whose "handled by us" history a request asks for. */
function handledDepartment(f: CaseFilterDto, who: Principal): string {
  const department = who.role === 'handler' ? who.department : (f.department ?? null);
  if (!department)
    throw new HttpProblem(400, 'REQUEST.INVALID', 'handled=true needs department=', [
      {
        field: 'department',
        rule: 'required',
        message: 'name the department whose handled cases to list (handled=true)',
      },
    ]);
  return department;
}

/**
 * The worklist's filters as SQL, shared by the list and the counts (case_sla joined as `s`).
 * `sla: 'drive'` joins it so that PostgreSQL can walk case_sla's due index in order (the
 * sort=due list: a case not yet in case_sla, for the milliseconds it lags, is left out).
 */
function applyFilter(
  query: SelectQueryBuilder<CaseView>,
  f: CaseFilterDto,
  who: Principal,
  at: FilterInstants,
  sla: 'auto' | 'lookup' | 'drive' = 'auto',
): SelectQueryBuilder<CaseView> {
  // case_sla only when a deadline or a leader's metric is asked about: a plain list or count
  // stays on case_view.
  if (sla === 'drive') query.innerJoin('case_sla', 's', 'c.id = s.case_id::uuid');
  else if (
    sla === 'lookup' ||
    f.overdue !== undefined ||
    f.dueWithinHours !== undefined ||
    f.metric !== undefined ||
    f.dimension !== undefined
  )
    query.leftJoin('case_sla', 's', 's.case_id = c.id::text');
  if (f.handled) {
    // Read-only history: cases the department worked on and no longer does. For a handler it
    // replaces the scope (the access policy lets them read these, nothing more).
    const department = handledDepartment(f, who);
    const handled = `c.handled_by @> ARRAY[:handledDepartment]::text[]
      AND c.lead_department IS DISTINCT FROM :handledDepartment
      AND NOT (:handledDepartment = ANY(c.co_departments))`;
    if (who.role === 'handler') query.where(handled, { handledDepartment: department });
    else {
      const scope = scopeCondition(who, CASE_COLUMNS('c'));
      query.where(scope.sql, scope.params).andWhere(handled, { handledDepartment: department });
    }
  } else {
    const scope = scopeCondition(who, CASE_COLUMNS('c'));
    query.where(scope.sql, scope.params);
  }
  if (f.overdue) query.andWhere(overdueSql(f.overdue), { now: at.now });
  if (f.dueWithinHours !== undefined) query.andWhere(dueSoonSql(), { now: at.now, soon: at.soon });
  if (f.paused !== undefined)
    query.andWhere(f.paused ? `c.status = 'paused'` : `c.status <> 'paused'`);
  if (f.extensionPending !== undefined)
    query.andWhere(f.extensionPending ? 'c.extension_pending' : 'NOT c.extension_pending');
  if (f.status?.length) query.andWhere('c.status IN (:...status)', { status: f.status });
  if (f.department && !f.handled) {
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
    // case_sla is joined as s: the case's row in it, the one the metric cells come from.
    query.andWhere(`(s.case_id IS NOT NULL AND ${conditions.join(' AND ')})`, {
      metricKey: f.key,
    });
  }
  if (f.q) {
    query.andWhere(
      `(c.enterprise_name ILIKE :q ESCAPE '\\' OR c.description ILIKE :q ESCAPE '\\')`,
      { q: containing(f.q) },
    );
  }
  return query;
}

/**
 * The sort=due key: the earliest running deadline (overdue ones are earliest), cases with
 * none last — `next_due_at NULLS LAST, case_id`, the order of case_sla_next_due_idx.
 */
const infinityOrInstant = (v: string) => v === 'infinity' || CursorValue.instant(v);

/** The statuses in which a clock can run. */
const OPEN_STATUSES = ['new', 'dispatched', 'accepted', 'returned', 'paused'];

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

/** The instants a request's deadline filters need. */
async function instantsFor(
  reader: CaseDeadlineReader,
  f: CaseFilterDto,
  defaultHours?: number,
): Promise<FilterInstants & { settings: DeadlineSettings }> {
  const settings = await reader.settings();
  const now = reader.now();
  const hours = f.dueWithinHours ?? defaultHours ?? 0;
  return { now, soon: settings.calendar.addWorkingMinutes(now, hours * 60), settings };
}

/** Keyset-paginated on (sort column, id): stable while cases change. */
@QueryHandler(ListCasesQuery)
export class ListCasesHandler implements IQueryHandler<ListCasesQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deadlines: CaseDeadlineReader,
  ) {}

  async execute({ filter, who }: ListCasesQuery): Promise<CaseListDto> {
    const limit = filter.limit ?? 50;
    const at = await instantsFor(this.deadlines, filter);
    const sortName = filter.sort ?? (who.role === 'handler' ? 'due' : 'newest');
    const query = applyFilter(
      this.dataSource.getRepository(CaseView).createQueryBuilder('c'),
      filter,
      who,
      at,
      sortName === 'due' ? 'drive' : 'auto',
    );
    let page: { items: CaseView[]; nextCursor: string | null };
    if (sortName === 'due') {
      if (filter.cursor) {
        const [value, id] = decodeCursor(filter.cursor, [infinityOrInstant, CursorValue.uuid]);
        if (value === 'infinity')
          query.andWhere('s.next_due_at IS NULL AND s.case_id > :id', { id });
        else
          query.andWhere(
            '((s.next_due_at, s.case_id) > (:value::timestamptz, :id) OR s.next_due_at IS NULL)',
            { value, id },
          );
      }
      const rows = await query
        .addSelect('s.next_due_at', 'due_key')
        .orderBy('s.next_due_at', 'ASC', 'NULLS LAST')
        .addOrderBy('s.case_id', 'ASC')
        .limit(limit + 1)
        .getRawAndEntities();
      const keys = new Map(
        rows.raw.map((r: { c_id: string; due_key: Date | null }) => [r.c_id, r.due_key]),
      );
      page = toPage(rows.entities, limit, (last) => {
        const key = keys.get(last.id);
        return [key ? new Date(key).toISOString() : 'infinity', last.id];
      });
    } else {
      const sort = SORTS[sortName];
      if (filter.cursor) {
        const [value, id] = decodeCursor(filter.cursor, [CursorValue.instant, CursorValue.uuid]);
        query.andWhere(`(c.${sort.column}, c.id) ${sort.compare} (:value, :id)`, { value, id });
      }
      const rows = await query
        .orderBy(`c.${sort.column}`, sort.direction)
        .addOrderBy('c.id', sort.direction)
        .limit(limit + 1)
        .getMany();
      page = toPage(rows, limit, (last) => [last[sort.field].toISOString(), last.id]);
    }
    return {
      items: await withDeadlines(this.deadlines, page.items, at.now, at.settings),
      nextCursor: page.nextCursor,
    };
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
  constructor(
    private readonly dataSource: DataSource,
    private readonly deadlines: CaseDeadlineReader,
  ) {}

  async execute({ filter, who }: CountCasesQuery): Promise<CaseCountsDto> {
    const at = await instantsFor(this.deadlines, filter, 4);
    const repository = this.dataSource.getRepository(CaseView);
    const rows: { status: string; n: number }[] = await applyFilter(
      repository.createQueryBuilder('c'),
      { ...filter, status: undefined },
      who,
      at,
    )
      .select('c.status', 'status')
      .addSelect('count(*)::int', 'n')
      .groupBy('c.status')
      .getRawMany();
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    // The queue tabs: each under the same scope and filters as the list. Only an open case
    // has a running clock, so the deadline queues look at open cases alone.
    const flags = (await applyFilter(repository.createQueryBuilder('c'), filter, who, at)
      .select(`count(*) FILTER (WHERE c.status = 'paused')::int`, 'paused')
      .addSelect(`count(*) FILTER (WHERE c.extension_pending)::int`, 'extensionPending')
      .addSelect(`count(*) FILTER (WHERE c.supervised_count > 0)::int`, 'supervised')
      .getRawOne()) as Pick<CaseCountsDto['queues'], 'paused' | 'extensionPending' | 'supervised'>;
    const due = (await applyFilter(repository.createQueryBuilder('c'), filter, who, at, 'lookup')
      .andWhere('c.status IN (:...openStatuses)', { openStatuses: OPEN_STATUSES })
      .select(`count(*) FILTER (WHERE ${overdueSql('any')})::int`, 'overdue')
      .addSelect(`count(*) FILTER (WHERE ${dueSoonSql()})::int`, 'dueSoon')
      .setParameters({ now: at.now, soon: at.soon })
      .getRawOne()) as Pick<CaseCountsDto['queues'], 'overdue' | 'dueSoon'>;
    return {
      byStatus,
      total: rows.reduce((sum, r) => sum + r.n, 0),
      queues: { ...due, ...flags },
    };
  }
}
