import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { sumMetricCells, type MetricSum } from '#read-model';
import {
  DEFAULT_SCORE_WEIGHTS,
  quantileOf,
  ratesOf,
  scoreOf,
  zeroCounters,
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

const REFERENCE_KIND: Partial<Record<MetricDimension, string>> = {
  lead_department: 'department',
  co_department: 'department',
  street: 'street',
  category: 'category',
};

const round = (n: number | null, digits = 4) =>
  n === null || !Number.isFinite(n) ? n : Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * The metrics of one dimension over a period and the one before it, from the summed cells
 * (`sumMetricCells`, next to the projection that writes them), with rates, scores and ranks.
 */
@QueryHandler(GetMetricsQuery)
export class GetMetricsHandler implements IQueryHandler<GetMetricsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  sum(dimension: MetricDimension, period: Period): Promise<Map<string, MetricSum>> {
    const grain = period.kind === 'day' || period.kind === 'range' ? 'day' : 'month';
    return sumMetricCells(this.dataSource, { grain, dimension, from: period.from, to: period.to });
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
