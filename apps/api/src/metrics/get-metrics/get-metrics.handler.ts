import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import {
  DEFAULT_SCORE_WEIGHTS,
  METRIC_COUNTERS,
  quantileOf,
  ratesOf,
  scoreOf,
  zeroCounters,
  type MetricCounters,
  type MetricDimension,
  type MetricRates,
  type ScoreWeights,
} from '#domain';

import { type Period, previousPeriod } from '../periods.js';
import { MetricsDto, MetricsRowDto } from './get-metrics.dto.js';
export class GetMetricsQuery extends Query<MetricsDto> {
  constructor(
    readonly dimension: MetricDimension,
    readonly period: Period,
    readonly weights: ScoreWeights,
    readonly minCases: number,
  ) {
    super();
  }
}

/** The key of the cases a dimension has no value for yet (e.g. no lead department). */
export const NO_KEY = '-';
const NO_KEY_NAME = '未派单（无牵头部门）';

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const REFERENCE_KIND: Partial<Record<MetricDimension, string>> = {
  lead_department: 'department',
  co_department: 'department',
  street: 'street',
  category: 'category',
};

interface Summed {
  counters: MetricCounters;
  response: number[];
  resolution: number[];
}

const round = (n: number | null, digits = 4) =>
  n === null || !Number.isFinite(n) ? n : Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * The metrics of one dimension over a period, summed from the per-day or per-month cells of
 * `case_metrics_daily` (a month, quarter or year reads at most 12 cells per key).
 */
@QueryHandler(GetMetricsQuery)
export class GetMetricsHandler implements IQueryHandler<GetMetricsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async sum(dimension: MetricDimension, period: Period): Promise<Map<string, Summed>> {
    const grain = period.kind === 'day' || period.kind === 'range' ? 'day' : 'month';
    const rows = (await this.dataSource.query(
      `WITH cells AS (
         SELECT * FROM case_metrics_daily
         WHERE grain = $1 AND dimension = $2 AND day >= $3 AND day < $4)
       SELECT t.key, ${METRIC_COUNTERS.map((c) => `t.${snake(c)}`).join(', ')}, h.response, h.resolution
       FROM (SELECT key, ${METRIC_COUNTERS.map((c) => `sum(${snake(c)})::int AS ${snake(c)}`).join(', ')}
             FROM cells GROUP BY key) t
       LEFT JOIN (
         SELECT key, array_agg(r ORDER BY i) AS response, array_agg(s ORDER BY i) AS resolution
         FROM (SELECT key, i, sum(r)::int AS r, sum(s)::int AS s
               FROM cells, unnest(response_histogram, resolution_histogram) WITH ORDINALITY AS u(r, s, i)
               GROUP BY key, i) x
         GROUP BY key) h ON h.key = t.key`,
      [grain, dimension, period.from, period.to],
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
            METRIC_COUNTERS.map((c) => [c, r[snake(c)]]),
          ) as MetricCounters,
          response: r.response ?? [],
          resolution: r.resolution ?? [],
        },
      ]),
    );
  }

  async execute({ dimension, period, weights, minCases }: GetMetricsQuery): Promise<MetricsDto> {
    const before = previousPeriod(period);
    const [current, previous, names] = await Promise.all([
      this.sum(dimension, period),
      this.sum(dimension, before),
      REFERENCE_KIND[dimension]
        ? (this.dataSource.query(`SELECT code, name FROM reference_view WHERE kind = $1`, [
            REFERENCE_KIND[dimension],
          ]) as Promise<{ code: string; name: string }[]>)
        : Promise.resolve([]),
    ]);
    const nameOf = new Map(names.map((n) => [n.code, n.name]));
    const times = (h: number[]) => ({
      median: round(quantileOf(h, 0.5), 0),
      p90: round(quantileOf(h, 0.9), 0),
    });
    const rows = [...current].map(([key, s]): MetricsRowDto => {
      const rates = ratesOf(s.counters);
      const prior = previous.get(key);
      const previousRates = prior ? ratesOf(prior.counters) : ratesOf(zeroCounters());
      return {
        key,
        name: key === NO_KEY ? NO_KEY_NAME : (nameOf.get(key) ?? null),
        counters: s.counters,
        rates: roundRates(rates),
        firstResponseTime: times(s.response),
        resolutionTime: times(s.resolution),
        score: round(scoreOf(rates, weights), 2),
        rank: null,
        // Only real keys are ranked: the cases no department leads yet are no department's score.
        ranked: key !== NO_KEY && s.counters.received >= minCases,
        previousScore: prior ? round(scoreOf(previousRates, weights), 2) : null,
        previousRates: roundRates(previousRates),
      };
    });
    // Rank by score among the keys with enough cases: ties share a rank (1, 2, 2, 4).
    const rankable = rows
      .filter((r) => r.ranked && r.score !== null)
      .sort((a, b) => b.score! - a.score!);
    rankable.forEach((row, i) => {
      row.rank = i > 0 && rankable[i - 1]!.score === row.score ? rankable[i - 1]!.rank : i + 1;
    });
    rows.sort(
      (a, b) =>
        Number(a.key === NO_KEY) - Number(b.key === NO_KEY) ||
        (a.rank ?? Infinity) - (b.rank ?? Infinity) ||
        b.counters.received - a.counters.received ||
        a.key.localeCompare(b.key),
    );
    return { dimension, period, previousPeriod: before, weights, minCases, rows };
  }
}

const roundRates = (r: MetricRates): MetricRates =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)])) as unknown as MetricRates;

export function parseWeights(text: string | undefined): ScoreWeights {
  if (!text) return DEFAULT_SCORE_WEIGHTS;
  const [response, resolution, satisfaction] = text.split(',').map(Number) as [
    number,
    number,
    number,
  ];
  return { response, resolution, satisfaction };
}
