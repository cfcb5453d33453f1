/**
 * Working-minute histogram buckets for the median and p90: 5 minutes under an hour,
 * 15 minutes under a working day (420 minutes), an hour under ten working days, then a
 * working day up to 60 working days; one last bucket beyond.
 */
const BUCKET_EDGES: readonly number[] = (() => {
  const edges: number[] = [];
  for (let m = 5; m <= 60; m += 5) edges.push(m);
  for (let m = 75; m <= 420; m += 15) edges.push(m);
  for (let m = 480; m <= 4200; m += 60) edges.push(m);
  for (let m = 4620; m <= 25200; m += 420) edges.push(m);
  return edges;
})();
export const HISTOGRAM_BUCKETS = BUCKET_EDGES.length + 1;

/** The bucket of a duration: bucket i holds minutes in (edge[i-1], edge[i]]. */
export function bucketOf(minutes: number): number {
  let lo = 0;
  let hi = BUCKET_EDGES.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (minutes <= BUCKET_EDGES[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The q-quantile (0.5: median) of a histogram, as its bucket's upper edge in working
 * minutes; null for an empty histogram; Infinity beyond the last edge (60 working days).
 */
export function quantileOf(histogram: readonly number[], q: number): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]!;
    if (seen >= Math.max(rank, 1)) return BUCKET_EDGES[i] ?? Infinity;
  }
  return Infinity;
}
