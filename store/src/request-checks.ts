/**
 * Checks and bounds every backend applies to caller input the same way, so
 * SQLite and Elasticsearch reject the same requests with the same messages
 * (the conformance suite holds them to that).
 */
import { MAX_HISTOGRAM_BUCKETS } from '@tooltrace/conventions';
import type { ErrorGroupsRequest, HistogramRequest } from './store.ts';

/** Most values a facet lists, most frequent first. */
export const FACET_LIMIT = 100;

export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new RangeError(`limit must be an integer from 1 to 500, got ${limit}`);
  }
  return limit;
}

export function checkHistogram(request: HistogramRequest): HistogramRequest {
  const { from, to, bucketMs } = request;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to <= from) {
    throw new RangeError(`histogram range must be integer epoch ms with from < to, got ${from}..${to}`);
  }
  if (!Number.isSafeInteger(bucketMs) || bucketMs < 1 || (to - from) / bucketMs > MAX_HISTOGRAM_BUCKETS) {
    throw new RangeError(
      `histogram bucketMs must be a positive integer giving at most ${MAX_HISTOGRAM_BUCKETS} buckets`,
    );
  }
  return request;
}

/** The trimmed project name, or a TypeError naming what is wrong. */
export function checkProjectName(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length < 1 || trimmed.length > 200) {
    throw new TypeError(`project name must be 1 to 200 characters, got ${JSON.stringify(name)}`);
  }
  return trimmed;
}

/** Most trend buckets an error group carries (a sparkline, not a chart). */
export const MAX_TREND_BUCKETS = 200;

export function checkErrorGroups(request: ErrorGroupsRequest): ErrorGroupsRequest {
  checkLimit(request.limit);
  const { from, to, buckets } = request;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to <= from) {
    throw new RangeError(`error-group trend range must be integer epoch ms with from < to, got ${from}..${to}`);
  }
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > MAX_TREND_BUCKETS) {
    throw new RangeError(`error-group trend buckets must be an integer from 1 to ${MAX_TREND_BUCKETS}, got ${buckets}`);
  }
  return request;
}

/** Width of one trend bucket: whole milliseconds, so both backends cut the range the same way. */
export function trendBucketMs(request: ErrorGroupsRequest): number {
  return Math.ceil((request.to - request.from) / request.buckets);
}

/** The trend bucket of `time`, or -1 outside the range. */
export function trendBucket(request: ErrorGroupsRequest, time: number): number {
  if (time < request.from || time >= request.to) return -1;
  return Math.floor((time - request.from) / trendBucketMs(request));
}

/** Most trace IDs one `tracesWithRecords` call takes: every sample trace an ingest status keeps, with room. */
export const MAX_TRACE_LOOKUP = 1_000;

export function checkTraceLookup(traceIds: readonly string[]): readonly string[] {
  if (!Array.isArray(traceIds) || traceIds.length > MAX_TRACE_LOOKUP) {
    throw new RangeError(`tracesWithRecords takes at most ${MAX_TRACE_LOOKUP} trace IDs, got ${traceIds?.length}`);
  }
  return traceIds;
}
