/**
 * Pure readers of search responses: hits to a page with its cursor,
 * aggregations to facets and histogram buckets.
 */
import type { estypes } from '@elastic/elasticsearch';
import { bucketAt, emptyBuckets } from '@tooltrace/conventions';
import { checkHistogram } from '../request-checks.ts';
import type { FacetValue, HistogramBucket, HistogramRequest, Page } from '../store.ts';
import { type CursorList, encodeCursor, sortValuesOf } from './cursor.ts';

/** A page of hits: one extra hit was asked for, to know whether another page exists. */
export function toPage<D, T>(
  list: CursorList,
  hits: estypes.SearchHit<D>[],
  limit: number,
  fromDocument: (doc: D) => T,
): Page<T> {
  const more = hits.length > limit;
  const items = more ? hits.slice(0, limit) : hits;
  const last = items.at(-1);
  return {
    items: items.map((hit) => fromDocument(hit._source as D)),
    nextCursor: more && last ? encodeCursor(list, sortValuesOf(list, last.sort)) : null,
  };
}

export function facetValues(aggregations: Record<string, estypes.AggregationsAggregate> | undefined, name: string) {
  const facet = aggregations?.[name] as { values?: estypes.AggregationsStringTermsAggregate } | undefined;
  const buckets = (facet?.values?.buckets ?? []) as estypes.AggregationsStringTermsBucket[];
  return buckets.map((b): FacetValue => ({ value: String(b.key), count: b.doc_count }));
}

/** The first item of each key, in order. */
export function dedupe<T>(items: T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every bucket from `from` to `to`, counts filled from the date histogram (empty buckets have no counts). */
export function histogramBuckets(
  request: HistogramRequest,
  aggregations: Record<string, estypes.AggregationsAggregate> | undefined,
): HistogramBucket[] {
  const { from, to, bucketMs } = checkHistogram(request);
  const buckets = emptyBuckets(from, to, bucketMs);
  const histogram = aggregations?.buckets as estypes.AggregationsDateHistogramAggregate | undefined;
  for (const bucket of (histogram?.buckets ?? []) as estypes.AggregationsDateHistogramBucket[]) {
    const target = bucketAt(buckets, from, bucketMs, Number(bucket.key));
    const statuses = (bucket as unknown as { statuses?: estypes.AggregationsStringTermsAggregate }).statuses;
    if (!target || !statuses) continue;
    for (const s of statuses.buckets as estypes.AggregationsStringTermsBucket[]) {
      target.counts[String(s.key)] = (target.counts[String(s.key)] ?? 0) + s.doc_count;
    }
  }
  return buckets;
}
