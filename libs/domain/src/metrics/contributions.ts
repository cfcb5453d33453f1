import { shenzhenDate } from '../shared/shenzhen-time.js';
import { isSolved } from '../case/lifecycle.js';
import type { CaseFacts, CaseSla } from './case-facts.js';
import {
  METRIC_COUNTERS,
  zeroCounters,
  type MetricCounters,
  type MetricDimension,
} from './counters.js';
import { bucketOf } from './histogram.js';

/** What one case adds to one (day, dimension, key) cell of the daily metrics. */
export interface Contribution {
  /** The intake day in Shenzhen (YYYY-MM-DD): a case counts in the period it arrived in. */
  day: string;
  dimension: MetricDimension;
  key: string;
  counters: MetricCounters;
  /** Histogram bucket of the working minutes to first response / to resolution, if any. */
  responseBucket: number | null;
  resolutionBucket: number | null;
}

/**
 * The case's contributions to the daily metrics, one per dimension key it belongs to.
 * Definitions (all counted on the intake day):
 * - received: the case;
 * - responseDue: answered, or overdue for its first answer; respondedOnTime: answered by the
 *   same-day deadline; responded: answered at all;
 * - resolutionDue: resolved, or overdue for resolution (withdrawn cases are not judged);
 *   solved: resolved as solved or partly solved; resolvedOnTime: resolved by its deadline;
 * - callbacks / satisfied: the latest callback, satisfied or basically satisfied;
 * - overdue: missed either deadline; escalated: 督办 ordered at least once; returned,
 *   transferred: per return or transfer, counted for the department that did it (for the
 *   lead-department dimension); reopened: reworks after an unsatisfied callback.
 */
export function contributionsOf(facts: CaseFacts, sla: CaseSla): Contribution[] {
  const day = shenzhenDate(facts.openedAt);
  const resolved = sla.resolvedAt !== null && !sla.withdrawn;
  const base = zeroCounters();
  base.received = 1;
  base.responded = sla.firstRespondedAt ? 1 : 0;
  base.responseDue = sla.firstRespondedAt || sla.firstResponseOverdue ? 1 : 0;
  base.respondedOnTime = sla.firstResponseOnTime === true ? 1 : 0;
  base.resolutionDue = resolved || sla.resolutionOverdue ? 1 : 0;
  base.solved = resolved && isSolved(facts) ? 1 : 0;
  base.resolvedOnTime = resolved && sla.resolvedOnTime === true ? 1 : 0;
  base.callbacks = facts.satisfaction ? 1 : 0;
  base.satisfied =
    facts.satisfaction === 'satisfied' || facts.satisfaction === 'basically_satisfied' ? 1 : 0;
  base.overdue =
    sla.firstResponseOnTime === false ||
    sla.resolvedOnTime === false ||
    sla.firstResponseOverdue ||
    sla.resolutionOverdue
      ? 1
      : 0;
  base.escalated = facts.supervised > 0 ? 1 : 0;
  base.returned = facts.returnedBy.length;
  base.transferred = facts.transferredFrom.length;
  base.reopened = facts.reworked;
  const responseBucket =
    sla.firstResponseMinutes === null ? null : bucketOf(sla.firstResponseMinutes);
  const resolutionBucket =
    resolved && sla.resolutionMinutes !== null ? bucketOf(sla.resolutionMinutes) : null;
  const cell = (dimension: MetricDimension, key: string): Contribution => ({
    day,
    dimension,
    key,
    counters: { ...base },
    responseBucket,
    resolutionBucket,
  });
  const cells = [
    cell('district', 'all'),
    cell('street', facts.street),
    cell('category', facts.category),
    cell('channel', facts.channel),
    ...(facts.visitLevel ? [cell('visit_level', facts.visitLevel)] : []),
    ...facts.coDepartments.map((d) => cell('co_department', d)),
  ];
  // The lead department answers for the case; returns and transfers count against the
  // departments that made them.
  const lead = cell('lead_department', facts.leadDepartment ?? '-');
  lead.counters.returned = facts.returnedBy.filter((d) => d === facts.leadDepartment).length;
  lead.counters.transferred = facts.transferredFrom.filter(
    (d) => d === facts.leadDepartment,
  ).length;
  cells.push(lead);
  const others = new Set(
    [...facts.returnedBy, ...facts.transferredFrom].filter((d) => d !== facts.leadDepartment),
  );
  for (const department of others) {
    const only: Contribution = {
      day,
      dimension: 'lead_department',
      key: department,
      counters: zeroCounters(),
      responseBucket: null,
      resolutionBucket: null,
    };
    only.counters.returned = facts.returnedBy.filter((d) => d === department).length;
    only.counters.transferred = facts.transferredFrom.filter((d) => d === department).length;
    cells.push(only);
  }
  return cells;
}

/**
 * Whether two lists of contributions put the same numbers in the same cells (in the same
 * order, as contributionsOf lists them): a case event that moves none of its metrics — a
 * comment, a progress note — then needs no change to the daily cells.
 */
export function sameContributions(a: readonly Contribution[], b: readonly Contribution[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (
      x.day !== y.day ||
      x.dimension !== y.dimension ||
      x.key !== y.key ||
      x.responseBucket !== y.responseBucket ||
      x.resolutionBucket !== y.resolutionBucket
    )
      return false;
    for (const counter of METRIC_COUNTERS)
      if (x.counters[counter] !== y.counters[counter]) return false;
  }
  return true;
}
