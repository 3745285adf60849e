import type { estypes } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { histogramBuckets } from './responses.ts';

describe('histogramBuckets', () => {
  it('when the aggregation has some buckets, then every bucket from..to is returned with counts only where rows exist', () => {
    const aggregations = {
      buckets: {
        buckets: [
          {
            key: 1_500,
            doc_count: 3,
            statuses: {
              buckets: [
                { key: 'success', doc_count: 2 },
                { key: 'error', doc_count: 1 },
              ],
            },
          },
        ],
      },
    } as unknown as Record<string, estypes.AggregationsAggregate>;
    expect(histogramBuckets({ from: 500, to: 3_100, bucketMs: 1_000 }, aggregations)).toEqual([
      { start: 500, counts: {} },
      { start: 1_500, counts: { success: 2, error: 1 } },
      { start: 2_500, counts: {} },
    ]);
  });

  it('when no index exists yet, then the buckets are all empty', () => {
    expect(histogramBuckets({ from: 0, to: 2, bucketMs: 1 }, undefined)).toEqual([
      { start: 0, counts: {} },
      { start: 1, counts: {} },
    ]);
  });
});
