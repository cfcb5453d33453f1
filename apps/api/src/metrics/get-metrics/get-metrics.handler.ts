import { Controller, Get, Inject, Query as QueryParams } from '@nestjs/common';
import { Can } from '../../auth/policy.js';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, Max, Min, Matches, ValidateIf } from 'class-validator';
import { DataSource } from 'typeorm';
import {
  DEFAULT_SCORE_WEIGHTS,
  METRIC_COUNTERS,
  METRIC_DIMENSIONS,
  quantileOf,
  ratesOf,
  scoreOf,
  zeroCounters,
  type MetricCounters,
  type MetricDimension,
  type MetricRates,
  type ScoreWeights,
  shenzhenDate,
} from '#domain';
import { CalendarDate, OptionalNotNull } from '../../http/validators.js';
import { CLOCK, type Clock } from '../../infrastructure/tokens.js';
import { HttpProblem } from '../../http/errors.js';

export const PERIODS = ['day', 'month', 'quarter', 'year', 'range'] as const;
export type PeriodKind = (typeof PERIODS)[number];
const DAY_MS = 86_400_000;
const dateAt = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (date: string) => Date.parse(`${date}T00:00:00Z`);

export interface Period {
  kind: PeriodKind;
  /** Inclusive, YYYY-MM-DD. */
  from: string;
  /** Exclusive. */
  to: string;
  label: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A custom range of whole days, from and to both inclusive (Period.to is exclusive). */
export function rangeOf(from: string, to: string): Period {
  return { kind: 'range', from, to: dateAt(dayMs(to) + DAY_MS), label: `${from}~${to}` };
}

/** The period of a kind that holds a date, and the one before it. */
export function periodOf(kind: Exclude<PeriodKind, 'range'>, date: string): Period {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const ymd = (yy: number, mm: number, dd = 1) => {
    const t = new Date(Date.UTC(yy, mm - 1, dd));
    return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  };
  switch (kind) {
    case 'day':
      return { kind, from: date, to: ymd(y, m, d + 1), label: date };
    case 'month':
      return { kind, from: ymd(y, m), to: ymd(y, m + 1), label: `${y}-${pad(m)}` };
    case 'quarter': {
      const q = Math.floor((m - 1) / 3);
      return { kind, from: ymd(y, q * 3 + 1), to: ymd(y, q * 3 + 4), label: `${y}-Q${q + 1}` };
    }
    case 'year':
      return { kind, from: ymd(y, 1), to: ymd(y + 1, 1), label: String(y) };
  }
}

export function previousPeriod(period: Period): Period {
  if (period.kind === 'range') {
    // The as many days just before.
    const days = (dayMs(period.to) - dayMs(period.from)) / DAY_MS;
    return rangeOf(dateAt(dayMs(period.from) - days * DAY_MS), dateAt(dayMs(period.from) - DAY_MS));
  }
  const before = new Date(Date.parse(`${period.from}T00:00:00Z`) - 86_400_000)
    .toISOString()
    .slice(0, 10);
  return periodOf(period.kind, before);
}

const MIN_CASES_RULE = 'minCases must be a whole number from 0 to 100000';

export class MetricsQueryDto {
  @ApiPropertyOptional({ enum: METRIC_DIMENSIONS, default: 'lead_department' })
  @OptionalNotNull()
  @IsIn(METRIC_DIMENSIONS, { message: `dimension must be one of ${METRIC_DIMENSIONS.join(', ')}` })
  dimension?: MetricDimension;

  @ApiPropertyOptional({ enum: PERIODS, default: 'month' })
  @OptionalNotNull()
  @IsIn(PERIODS, { message: `period must be one of ${PERIODS.join(', ')}` })
  period?: PeriodKind;

  @ApiPropertyOptional({
    description: 'period=range: the first day (YYYY-MM-DD, Shenzhen), with to',
  })
  @ValidateIf((o: MetricsQueryDto) => o.period === 'range' || o.from !== undefined)
  @CalendarDate('from')
  from?: string;

  @ApiPropertyOptional({
    description: 'period=range: the last day, inclusive; at most 366 days after from',
  })
  @ValidateIf((o: MetricsQueryDto) => o.period === 'range' || o.to !== undefined)
  @CalendarDate('to')
  to?: string;

  @ApiPropertyOptional({ description: 'Any date in the period (default: today in Shenzhen)' })
  @OptionalNotNull()
  @CalendarDate('on')
  on?: string;

  @ApiPropertyOptional({
    description: 'Weights of 响应率, 解决率, 满意率 in the score, e.g. 30,35,35 (the default)',
  })
  @OptionalNotNull()
  @Matches(/^\d{1,3},\d{1,3},\d{1,3}$/, {
    message: 'weights must be three whole numbers, response,resolution,satisfaction, e.g. 30,35,35',
  })
  weights?: string;

  @ApiPropertyOptional({
    default: 5,
    description: 'Keys with fewer cases received are shown but not ranked',
  })
  @OptionalNotNull()
  @Transform(({ value }) =>
    typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value,
  )
  @Max(100_000, { message: MIN_CASES_RULE })
  @Min(0, { message: MIN_CASES_RULE })
  @IsInt({ message: MIN_CASES_RULE })
  minCases?: number;
}

class TimesDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Working minutes, to the histogram bucket',
  })
  median!: number | null;
  @ApiProperty({ nullable: true, type: Number }) p90!: number | null;
}

class RatesDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    description: '当日回应率: respondedOnTime / responseDue',
  })
  sameDayResponseRate!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '响应率: responded / responseDue' })
  responseRate!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '解决率: solved / resolutionDue' })
  resolutionRate!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'resolvedOnTime / resolutionDue' })
  onTimeResolutionRate!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '满意率: satisfied / callbacks' })
  satisfactionRate!: number | null;
}

export class MetricsRowDto {
  @ApiProperty({
    description:
      'The dimension key: a department, street, category, channel or visit level code; "-" for cases with no key yet (no lead department: not dispatched, or returned), shown last and never ranked',
  })
  key!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({
    description:
      'received: cases that arrived in the period. responseDue: answered or overdue for the same-day answer. responded / respondedOnTime: answered at all / by the same-day deadline. resolutionDue: resolved or overdue for resolution (withdrawn cases are not judged). solved: resolved as solved or partly solved. resolvedOnTime: resolved by the deadline. callbacks / satisfied: the latest callback, 满意 or 基本满意. overdue: missed a deadline. escalated: 督办 at least once. returned / transferred: per return or transfer, counted for the department that made it. reopened: reworks after an unsatisfied callback.',
  })
  counters!: MetricCounters;
  @ApiProperty({ type: RatesDto }) rates!: MetricRates;
  @ApiProperty({ type: TimesDto, description: 'Working time from intake to the first answer' })
  firstResponseTime!: TimesDto;
  @ApiProperty({
    type: TimesDto,
    description: 'Working time from intake to resolution, less time paused',
  })
  resolutionTime!: TimesDto;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Weighted score of 响应率, 解决率, 满意率, 0–100',
  })
  score!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'By score; null when not ranked' })
  rank!: number | null;
  @ApiProperty({ description: 'false: fewer cases than minCases' }) ranked!: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'The score in the previous period' })
  previousScore!: number | null;
  @ApiProperty({ type: RatesDto, description: 'The rates in the previous period (trend)' })
  previousRates!: MetricRates;
}

export class MetricsDto {
  @ApiProperty({ enum: METRIC_DIMENSIONS }) dimension!: MetricDimension;
  @ApiProperty() period!: Period;
  @ApiProperty() previousPeriod!: Period;
  @ApiProperty() weights!: ScoreWeights;
  @ApiProperty() minCases!: number;
  @ApiProperty({ type: [MetricsRowDto] }) rows!: MetricsRowDto[];
}

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

const RANGE_RULE = 'to must be on or after from, at most 366 days in all';

@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Can('metrics.read')
  @ApiOperation({
    summary:
      'The leaders’ 三率 dashboard: response, resolution and satisfaction rates by dimension',
    description:
      'Cases count in the period they arrived in (intake day, Shenzhen time). Rates are ratios of the counters (see MetricsRowDto). The score weighs 响应率, 解决率 and 满意率 (default 30/35/35); a rate with no cases behind it is left out and the other weights scaled up. Keys with fewer than minCases cases received are shown, not ranked. Times are working minutes to the histogram bucket (5 min under an hour, 15 min under a working day, an hour under ten working days, then a working day).',
  })
  @ApiOkResponse({ type: MetricsDto })
  get(@QueryParams() query: MetricsQueryDto) {
    const weights = parseWeights(query.weights);
    const kind = query.period ?? 'month';
    if (kind === 'range') {
      const days = (dayMs(query.to!) - dayMs(query.from!)) / DAY_MS;
      if (days < 0 || days > 365)
        throw new HttpProblem(400, 'REQUEST.INVALID', RANGE_RULE, [
          { field: 'to', rule: 'range', message: RANGE_RULE },
        ]);
    }
    return this.queries.execute(
      new GetMetricsQuery(
        query.dimension ?? 'lead_department',
        kind === 'range'
          ? rangeOf(query.from!, query.to!)
          : periodOf(kind, query.on ?? shenzhenDate(this.clock.now())),
        weights,
        query.minCases ?? 5,
      ),
    );
  }
}
