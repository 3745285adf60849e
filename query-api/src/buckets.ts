/** Histogram bucket math: a "nice" bucket size so a time range fits in at most a target number of buckets. */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Steps a person reads at a glance on a time axis. */
export const NICE_BUCKET_STEPS_MS = [
  SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  7 * DAY,
  30 * DAY,
] as const;

export interface BucketPlan {
  /** Start of the first bucket: `from` rounded down to a multiple of `bucketMs` (epoch aligned, so bars line up across requests). */
  start: number;
  /** End of the range (exclusive), as requested. */
  end: number;
  bucketMs: number;
  /** Number of buckets; never more than the target. */
  count: number;
}

function bucketCount(from: number, to: number, step: number): number {
  const start = Math.floor(from / step) * step;
  return Math.max(1, Math.ceil((to - start) / step));
}

/**
 * Picks the smallest nice step for which the epoch-aligned buckets covering
 * [from, to) number at most `target`. Past the largest nice step, whole days.
 */
export function planBuckets(from: number, to: number, target: number): BucketPlan {
  if (!(to > from)) throw new RangeError(`histogram range must not be empty: from ${from} to ${to}`);
  if (!Number.isInteger(target) || target < 1)
    throw new RangeError(`bucket target must be a positive integer, got ${target}`);
  let bucketMs = NICE_BUCKET_STEPS_MS.find((step) => bucketCount(from, to, step) <= target);
  if (bucketMs === undefined) {
    let days = Math.ceil((to - from) / target / DAY);
    while (bucketCount(from, to, days * DAY) > target) days += 1;
    bucketMs = days * DAY;
  }
  return { start: Math.floor(from / bucketMs) * bucketMs, end: to, bucketMs, count: bucketCount(from, to, bucketMs) };
}

/** Bucket starts of a plan, oldest first. */
export function bucketStarts(plan: BucketPlan): number[] {
  return Array.from({ length: plan.count }, (_, i) => plan.start + i * plan.bucketMs);
}
