import { keepPreviousData, queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { api, authFetch, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import { todayInShenzhen } from '../../components/time';
import type { TFunction } from 'i18next';
import type { Schemas } from '../../api/types';
// The domain's pure list of counters (no imports of its own), as the credit-code check is used.
import {
  CASE_COUNTING_METRICS,
  METRIC_COUNTERS,
  type CaseCountingMetric,
  type MetricCounter,
} from '../../../../../libs/domain/src/metrics/counters';

export interface Period {
  kind: string;
  from: string;
  /** Exclusive. */
  to: string;
  label: string;
}
export const COUNTERS = METRIC_COUNTERS;
export type Counter = MetricCounter;
/** The schema types period and counters loosely (plain objects): their real shapes. */
export type MetricsRow = Omit<Schemas['MetricsRowDto'], 'counters'> & {
  counters: Record<Counter, number>;
};
export type Metrics = Omit<Schemas['MetricsDto'], 'period' | 'previousPeriod' | 'rows'> & {
  period: Period;
  previousPeriod: Period;
  rows: MetricsRow[];
};
export type Dimension = Metrics['dimension'];

/** The period the leader picked: a kind and any day in it, or a range of days. */
export type PeriodChoice =
  { kind: 'month' | 'quarter' | 'year'; on: string } | { kind: 'range'; from: string; to: string };

export function periodQuery(p: PeriodChoice): Record<string, string> {
  return p.kind === 'range'
    ? { period: 'range', from: p.from, to: p.to }
    : { period: p.kind, on: p.on };
}

/**
 * A period's figures change with the log, not by the second: an answer is used for 30 s (the
 * prefetched one included, which the screen would otherwise ask for again as it mounts).
 */
const FRESH_MS = 30_000;

const metricsQuery = (dimension: Dimension, period: PeriodChoice) =>
  queryOptions({
    queryKey: ['metrics', dimension, period],
    queryFn: async () =>
      (await unwrap(
        api.GET('/api/v1/metrics', {
          params: { query: { dimension, ...periodQuery(period) } as never },
        }),
      )) as Metrics,
    placeholderData: keepPreviousData,
    staleTime: FRESH_MS,
  });

export function useMetrics(dimension: Dimension, period: PeriodChoice) {
  return useQuery(metricsQuery(dimension, period));
}

type Kind = PeriodChoice['kind'];
export const PERIOD_KINDS: Kind[] = ['month', 'quarter', 'year', 'range'];

/** The period from the URL (?period=month&on=… or ?period=range&from=…&to=…); this month by default. */
export function periodFromUrl(params: URLSearchParams): PeriodChoice {
  const kind = (
    PERIOD_KINDS.includes(params.get('period') as Kind) ? params.get('period') : 'month'
  ) as Kind;
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (kind === 'range') {
    const from = params.get('from') ?? '';
    const to = params.get('to') ?? '';
    if (date.test(from) && date.test(to)) return { kind, from, to };
    const today = todayInShenzhen();
    return { kind, from: `${today.slice(0, 8)}01`, to: today };
  }
  const on = params.get('on') ?? '';
  return { kind, on: date.test(on) ? on : todayInShenzhen() };
}

/** The breakdown the dashboard opens on. */
export const FIRST_BREAKDOWN: Dimension = 'street';

/**
 * The dashboard's queries sent before its screen has loaded: called as the app starts on
 * /leader, so the answers arrive while the dashboard's chunk (antd's table, ECharts) is still
 * downloading and compiling, instead of after it has rendered and asked for them.
 */
export function prefetchDashboard(client: QueryClient, period: PeriodChoice): void {
  for (const dimension of ['district', 'lead_department', FIRST_BREAKDOWN] as const)
    void client.prefetchQuery(metricsQuery(dimension, period));
  const months = trendMonths(period);
  if (months.length > 0) void client.prefetchQuery(trendQuery(months));
}

/**
 * Months of the trend: the twelve months up to the period's last one, from the period chosen
 * (the last month of its month, quarter or year), so the trend's queries leave with the
 * period's own instead of waiting for its answer; none for a custom range.
 */
export function trendMonths(period: PeriodChoice): string[] {
  if (period.kind === 'range') return [];
  const year = Number(period.on.slice(0, 4));
  const month = Number(period.on.slice(5, 7));
  const lastMonth =
    period.kind === 'month' ? month : period.kind === 'quarter' ? Math.ceil(month / 3) * 3 : 12;
  const last = new Date(Date.UTC(year, lastMonth - 1, 1));
  const months: string[] = [];
  for (let i = 11; i >= 0; i--) {
    const d = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() - i, 1));
    months.push(d.toISOString().slice(0, 10));
  }
  return months;
}

const trendQuery = (months: string[]) =>
  queryOptions({
    queryKey: ['metrics', 'trend', months[0], months.at(-1)],
    enabled: months.length > 0,
    queryFn: () =>
      Promise.all(
        months.map(
          async (on) =>
            (await unwrap(
              api.GET('/api/v1/metrics', {
                params: { query: { dimension: 'district', period: 'month', on } as never },
              }),
            )) as Metrics,
        ),
      ),
    placeholderData: keepPreviousData,
    staleTime: FRESH_MS,
  });

/** The district row of each of the trend's months. */
export function useTrend(months: string[]) {
  return useQuery(trendQuery(months));
}

/** The case counters a drill-down can list (the others count events, not cases). */
export const CASE_METRICS = CASE_COUNTING_METRICS;
export type CaseMetric = CaseCountingMetric;

/** The URL of the list of exactly the cases behind a figure. */
export function drillUrl(
  metric: CaseMetric,
  period: Period,
  dimension: Dimension,
  key: string,
  figure: number,
): string {
  const q = new URLSearchParams({
    metric,
    openedFrom: period.from,
    openedTo: period.to,
    dimension,
    key,
    figure: String(figure),
    label: period.label,
  });
  return `/leader/cases?${q.toString()}`;
}

/** A report downloaded with the bearer token (a bare link would carry none). */
export async function downloadReport(
  path: '/api/v1/reports/monthly-ledger' | '/api/v1/reports/quarterly-review',
  query: Record<string, string>,
): Promise<void> {
  const response = await authFetch(new Request(`${path}?${new URLSearchParams(query)}`));
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as never;
    throw new ApiError(response.status, body);
  }
  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `report.${query.format}`;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const percent = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;

/** Working minutes as 工作时长 (7-hour working days). */
export function workingTime(minutes: number | null | undefined, t: TFunction) {
  if (minutes === null || minutes === undefined) return '—';
  if (!Number.isFinite(minutes)) return t('leader.beyond60');
  if (minutes < 60) return t('leader.minutes', { n: minutes });
  if (minutes < 420) return t('leader.hours', { n: Math.round((minutes / 60) * 10) / 10 });
  return t('leader.days', { n: Math.round((minutes / 420) * 10) / 10 });
}
