/**
 * Histogram bucket math, the one place it lives: the query API plans a "nice" bucket size so a time range
 * fits in at most a target number of buckets; every store backend lists the buckets of a request and
 * files its counts with the same two functions. Times are epoch ms.
 */
import { DAY_MS as DAY, HOUR_MS as HOUR, MINUTE_MS as MINUTE, SECOND_MS as SECOND } from './time.ts';

/** Most buckets one histogram may have: the API refuses a larger target, every store a larger request. */
export const MAX_HISTOGRAM_BUCKETS = 500;
export const DEFAULT_HISTOGRAM_BUCKETS = 60;

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

/** Counts per status in one bucket; `start` is epoch ms. */
export interface HistogramBucket {
  start: number;
  counts: Record<string, number>;
}

/** Every bucket of [from, to) at `bucketMs` steps from `from`, with no counts yet. */
export function emptyBuckets(from: number, to: number, bucketMs: number): HistogramBucket[] {
  return Array.from({ length: Math.ceil((to - from) / bucketMs) }, (_, i) => ({
    start: from + i * bucketMs,
    counts: {},
  }));
}

/** The bucket of `buckets` (from `emptyBuckets(from, …, bucketMs)`) that holds `time`, if any. */
export function bucketAt(buckets: HistogramBucket[], from: number, bucketMs: number, time: number) {
  return buckets[Math.floor((time - from) / bucketMs)];
}
