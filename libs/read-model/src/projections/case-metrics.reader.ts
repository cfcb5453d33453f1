import { METRIC_COUNTERS, type MetricCounters, type MetricDimension } from '#domain';

/** What the readers need of a connection: a DataSource or an EntityManager. */
export interface SqlQueryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** The column of a counter in `case_metrics_daily` (`firstResponded` → `first_responded`). */
export const metricColumn = (counter: string) =>
  counter.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** The counters' columns, in METRIC_COUNTERS order (the case SLA projection writes them). */
export const METRIC_COLUMNS = METRIC_COUNTERS.map(metricColumn);

/** One key's cells summed: its counters and its two histograms, bucket by bucket. */
export interface MetricSum {
  counters: MetricCounters;
  response: number[];
  resolution: number[];
}

/**
 * The cells of `case_metrics_daily` (written by the case SLA projection) of one dimension
 * between two days, summed per key: per-day cells for a day or a range, per-month ones for a
 * month, quarter or year (at most 12 cells per key).
 */
export async function sumMetricCells(
  db: SqlQueryable,
  query: { grain: 'day' | 'month'; dimension: MetricDimension; from: string; to: string },
): Promise<Map<string, MetricSum>> {
  const rows = (await db.query(
    `WITH cells AS (
       SELECT * FROM case_metrics_daily
       WHERE grain = $1 AND dimension = $2 AND day >= $3 AND day < $4)
     SELECT t.key, ${METRIC_COLUMNS.map((c) => `t.${c}`).join(', ')}, h.response, h.resolution
     FROM (SELECT key, ${METRIC_COLUMNS.map((c) => `sum(${c})::int AS ${c}`).join(', ')}
           FROM cells GROUP BY key) t
     LEFT JOIN (
       SELECT key, array_agg(r ORDER BY i) AS response, array_agg(s ORDER BY i) AS resolution
       FROM (SELECT key, i, sum(r)::int AS r, sum(s)::int AS s
             FROM cells, unnest(response_histogram, resolution_histogram) WITH ORDINALITY AS u(r, s, i)
             GROUP BY key, i) x
       GROUP BY key) h ON h.key = t.key`,
    [query.grain, query.dimension, query.from, query.to],
  )) as (Record<string, number> & {
    key: string;
    response: number[] | null;
    resolution: number[] | null;
  })[];
  return new Map(
    rows.map((r) => [
      r.key,
      {
        counters: Object.fromEntries(
          METRIC_COUNTERS.map((c) => [c, r[metricColumn(c)]]),
        ) as MetricCounters,
        response: r.response ?? [],
        resolution: r.resolution ?? [],
      },
    ]),
  );
}

/** A monthly cell's counters, by month (YYYY-MM), dimension and key. */
export interface MonthCellKey {
  month: string;
  dimension: string;
  key: string;
}

/** The stored counters of the given monthly cells (the ones that exist). */
export async function monthCellCounters(
  db: SqlQueryable,
  cells: readonly MonthCellKey[],
): Promise<(MonthCellKey & MetricCounters)[]> {
  return (await db.query(
    `SELECT to_char(m.day, 'YYYY-MM') AS month, m.dimension, m.key,
       ${METRIC_COUNTERS.map((c) => `m.${metricColumn(c)} AS "${c}"`).join(', ')}
     FROM case_metrics_daily m
     JOIN unnest($1::text[], $2::text[], $3::text[]) AS d(month, dimension, key)
       ON m.grain = 'month' AND m.day = to_date(d.month || '-01', 'YYYY-MM-DD')
      AND m.dimension = d.dimension AND m.key = d.key`,
    [cells.map((c) => c.month), cells.map((c) => c.dimension), cells.map((c) => c.key)],
  )) as (MonthCellKey & MetricCounters)[];
}
