import type { MetricCounters } from './counters.js';

export interface MetricRates {
  /** 当日回应率: answered by the same-day deadline, among cases whose answer is due. */
  sameDayResponseRate: number | null;
  /** 响应率: answered at all, among cases whose answer is due. */
  responseRate: number | null;
  /** 解决率: solved or partly solved, among cases whose resolution is due. */
  resolutionRate: number | null;
  /** Resolved by the deadline, among cases whose resolution is due. */
  onTimeResolutionRate: number | null;
  /** 满意率: satisfied or basically satisfied, among callbacks. */
  satisfactionRate: number | null;
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

export function ratesOf(c: MetricCounters): MetricRates {
  return {
    sameDayResponseRate: ratio(c.respondedOnTime, c.responseDue),
    responseRate: ratio(c.responded, c.responseDue),
    resolutionRate: ratio(c.solved, c.resolutionDue),
    onTimeResolutionRate: ratio(c.resolvedOnTime, c.resolutionDue),
    satisfactionRate: ratio(c.satisfied, c.callbacks),
  };
}

export interface ScoreWeights {
  response: number;
  resolution: number;
  satisfaction: number;
}
export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = {
  response: 30,
  resolution: 35,
  satisfaction: 35,
};

/**
 * The weighted score (0–100) of the three rates: 响应率, 解决率, 满意率. A rate with no
 * cases behind it is left out and the other weights scaled up; no rates → null.
 */
export function scoreOf(rates: MetricRates, weights: ScoreWeights = DEFAULT_SCORE_WEIGHTS) {
  const parts = [
    [rates.responseRate, weights.response],
    [rates.resolutionRate, weights.resolution],
    [rates.satisfactionRate, weights.satisfaction],
  ].filter((p): p is [number, number] => p[0] !== null);
  const weight = parts.reduce((s, [, w]) => s + w, 0);
  if (weight === 0) return null;
  return (parts.reduce((s, [r, w]) => s + r * w, 0) / weight) * 100;
}
