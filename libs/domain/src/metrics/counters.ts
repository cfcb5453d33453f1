/** The counters every metric is made of; rates are ratios of them (see `ratesOf`). */
export const METRIC_COUNTERS = [
  'received',
  'responseDue',
  'responded',
  'respondedOnTime',
  'resolutionDue',
  'solved',
  'resolvedOnTime',
  'callbacks',
  'satisfied',
  'overdue',
  'escalated',
  'returned',
  'transferred',
  'reopened',
] as const;
export type MetricCounter = (typeof METRIC_COUNTERS)[number];
export type MetricCounters = Record<MetricCounter, number>;

/**
 * The counters that count cases (one case adds 0 or 1), so a list of cases can stand behind
 * each figure (the drill-down's `metric`); returned, transferred and reopened count events.
 */
export const CASE_COUNTING_METRICS = [
  'received',
  'responseDue',
  'responded',
  'respondedOnTime',
  'resolutionDue',
  'solved',
  'resolvedOnTime',
  'callbacks',
  'satisfied',
  'overdue',
  'escalated',
] as const satisfies readonly MetricCounter[];
export type CaseCountingMetric = (typeof CASE_COUNTING_METRICS)[number];

export const METRIC_DIMENSIONS = [
  'district',
  'lead_department',
  'co_department',
  'street',
  'category',
  'channel',
  'visit_level',
] as const;
export type MetricDimension = (typeof METRIC_DIMENSIONS)[number];

/** Every counter at 0. */
export const zeroCounters = (): MetricCounters =>
  Object.fromEntries(METRIC_COUNTERS.map((c) => [c, 0])) as MetricCounters;
