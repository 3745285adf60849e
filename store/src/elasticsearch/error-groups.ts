/**
 * The error-groups read (DESIGN §6) as one search: a terms aggregation on
 * `errorGroup` (largest first) with, per group, first/last seen, distinct
 * users, the latest call as the sample and a date histogram for the trend.
 */
import type { estypes } from '@elastic/elasticsearch';
import { checkErrorGroups, trendBucket, trendBucketMs } from '../request-checks.ts';
import type { ErrorGroupSummary, ErrorGroupsRequest, ToolCallFilters } from '../store.ts';
import type { ToolCallDocument } from './documents.ts';
import type { ResourceNames } from './names.ts';
import { toolCallClauses } from './queries.ts';

/** Exact below this many distinct users per group (Elasticsearch's cardinality is approximate above it). */
const USER_PRECISION = 3000;

export function errorGroupsRequest(
  names: ResourceNames,
  projectId: string,
  filters: ToolCallFilters,
  request: ErrorGroupsRequest,
): estypes.SearchRequest {
  const { from, to, limit } = checkErrorGroups(request);
  const width = trendBucketMs(request);
  const clauses = toolCallClauses(projectId, { ...filters, status: 'error' });
  return {
    index: names.toolCallsPattern,
    size: 0,
    query: { bool: { filter: clauses } },
    aggs: {
      groups: {
        terms: { field: 'errorGroup', size: limit, order: [{ _count: 'desc' }, { lastSeen: 'desc' }] },
        aggs: {
          firstSeen: { min: { field: 'startedAt' } },
          lastSeen: { max: { field: 'startedAt' } },
          users: { cardinality: { field: 'userId', precision_threshold: USER_PRECISION } },
          latest: { top_hits: { size: 1, sort: [{ startedAt: { order: 'desc' } }, { spanId: { order: 'desc' } }] } },
          trend: {
            filter: { range: { startedAt: { gte: String(from), lt: String(to), format: 'epoch_millis' } } },
            aggs: {
              buckets: {
                date_histogram: {
                  field: 'startedAt',
                  fixed_interval: `${width}ms`,
                  offset: `${((from % width) + width) % width}ms`,
                  min_doc_count: 1,
                },
              },
            },
          },
        },
      },
    },
    allow_no_indices: true,
    ignore_unavailable: true,
  };
}

interface GroupBucket {
  key: string;
  doc_count: number;
  firstSeen: { value: number | null };
  lastSeen: { value: number | null };
  users: { value: number };
  latest: { hits: { hits: { _source: ToolCallDocument }[] } };
  trend: { buckets: { buckets: { key: number; doc_count: number }[] } };
}

export function errorGroupsFromResponse(
  request: ErrorGroupsRequest,
  aggregations: Record<string, estypes.AggregationsAggregate> | undefined,
): ErrorGroupSummary[] {
  const groups = (aggregations?.groups as unknown as { buckets?: GroupBucket[] } | undefined)?.buckets ?? [];
  return groups.flatMap((g) => {
    const latest = g.latest.hits.hits[0]?._source;
    if (!latest) return [];
    const trend = new Array<number>(request.buckets).fill(0);
    for (const bucket of g.trend.buckets.buckets) {
      const index = trendBucket(request, Math.max(request.from, Number(bucket.key)));
      if (index >= 0) trend[index]! += bucket.doc_count;
    }
    return [
      {
        errorGroup: String(g.key),
        integration: latest.integration,
        toolName: latest.toolName,
        errorCategory: latest.errorCategory ?? null,
        errorCode: latest.errorCode,
        httpStatus: latest.httpStatus,
        sampleMessage: latest.errorMessage,
        count: g.doc_count,
        userCount: g.users.value,
        firstSeen: Number(g.firstSeen.value),
        lastSeen: Number(g.lastSeen.value),
        sampleTraceId: latest.traceId,
        trend,
      },
    ];
  });
}
