/**
 * Pure builders of the retention work (DESIGN §5): which traces are past the
 * project's limits, and what deletes whole traces. Age and count limits are
 * per project; ILM or data stream lifecycle only remove whole backing indices
 * past the plan's days, so the exact per-project limits are applied by
 * searches and versioned bulk deletes (deletes.ts), a whole trace at a time.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { ResourceNames } from './names.ts';
import { projectClause } from './queries.ts';

/** Traces deleted per step (a `terms` query of this many IDs). */
export const DELETE_CHUNK = 1_000;
/** Largest `from` Elasticsearch allows by default (index.max_result_window − 1). */
export const MAX_FROM = 9_999;

/** Where the stored copies of some data-stream documents are (backing index, version), to update them in place. */
export function storedCopiesRequest(
  names: ResourceNames,
  projectId: string,
  ids: readonly string[],
): estypes.SearchRequest {
  return {
    index: [names.logsPattern, names.toolCallsPattern].join(','),
    size: Math.min(Math.max(ids.length * 4, 1), MAX_FROM + 1),
    seq_no_primary_term: true,
    query: { bool: { filter: [projectClause(projectId), { ids: { values: [...ids] } }] } },
    allow_no_indices: true,
    ignore_unavailable: true,
  };
}

/** Log count and oldest log time of a project, in one request. */
export function logStatsRequest(names: ResourceNames, projectId: string): estypes.SearchRequest {
  return {
    index: names.logsPattern,
    size: 0,
    track_total_hits: true,
    query: { bool: { filter: [projectClause(projectId)] } },
    aggs: { oldest: { min: { field: '@timestamp' } } },
    allow_no_indices: true,
    ignore_unavailable: true,
  };
}

/** Traces with any record older than the cutoff: a trace's age is its oldest record's. */
export function expiredTracesRequest(
  names: ResourceNames,
  projectId: string,
  cutoffMs: number,
  after?: Record<string, estypes.FieldValue>,
): estypes.SearchRequest {
  const before = { lt: String(cutoffMs), format: 'epoch_millis' };
  const request: estypes.SearchRequest = {
    index: [names.logsPattern, names.toolCallsPattern, names.triggerEvents].join(','),
    size: 0,
    query: {
      bool: {
        filter: [projectClause(projectId)],
        should: [{ range: { '@timestamp': before } }, { range: { firstSeenAt: before } }],
        minimum_should_match: 1,
      },
    },
    aggs: {
      traces: {
        composite: { size: DELETE_CHUNK, sources: [{ traceId: { terms: { field: 'traceId' } } }] },
      },
    },
    allow_no_indices: true,
    ignore_unavailable: true,
  };
  if (after && request.aggs?.traces?.composite) request.aggs.traces.composite.after = after;
  return request;
}

/**
 * One page of the project's logs, oldest first (`@timestamp`, then log ID),
 * carrying only their trace IDs: the count cap walks it to find the oldest
 * traces in time order (a trace's age is its first log), exactly, on any
 * number of shards.
 */
export function oldestLogsPageRequest(
  names: ResourceNames,
  projectId: string,
  after?: estypes.SortResults,
): estypes.SearchRequest {
  return {
    index: names.logsPattern,
    size: OLDEST_LOGS_PAGE,
    _source: ['traceId'],
    query: { bool: { filter: [projectClause(projectId)] } },
    sort: [{ '@timestamp': { order: 'asc' } }, { id: { order: 'asc' } }],
    ...(after ? { search_after: after } : {}),
    track_total_hits: false,
    allow_no_indices: true,
    ignore_unavailable: true,
  };
}

/** Logs read per page by the count cap. */
export const OLDEST_LOGS_PAGE = 1_000;

/** Total logs per trace: exact (a `terms` filter on the traces, with a bucket for each). */
export function traceLogCountsRequest(
  names: ResourceNames,
  projectId: string,
  traceIds: readonly string[],
): estypes.SearchRequest {
  return {
    index: names.logsPattern,
    size: 0,
    query: { bool: { filter: [projectClause(projectId), { terms: { traceId: [...traceIds] } }] } },
    aggs: { traces: { terms: { field: 'traceId', size: Math.max(traceIds.length, 1) } } },
    allow_no_indices: true,
    ignore_unavailable: true,
  };
}

/**
 * What deletes whole traces of one project: logs first (their count is what
 * the plan limits and what `logsDropped` reports), then the derived records; a
 * delivery goes with any of its traces (its attempts may come from several).
 */
export function deleteTracesQueries(
  names: ResourceNames,
  projectId: string,
  traceIds: readonly string[],
): {
  logs: { indices: string[]; query: estypes.QueryDslQueryContainer };
  records: { indices: string[]; query: estypes.QueryDslQueryContainer };
} {
  if (traceIds.length === 0 || traceIds.length > DELETE_CHUNK) {
    throw new RangeError(`delete 1 to ${DELETE_CHUNK} traces at a time, got ${traceIds.length}`);
  }
  return {
    logs: {
      indices: [names.logsPattern],
      query: { bool: { filter: [projectClause(projectId), { terms: { traceId: [...traceIds] } }] } },
    },
    records: {
      indices: [names.toolCallsPattern, names.triggerEvents, names.deliveries],
      query: {
        bool: {
          filter: [projectClause(projectId)],
          should: [{ terms: { traceId: [...traceIds] } }, { terms: { traceIds: [...traceIds] } }],
          minimum_should_match: 1,
        },
      },
    },
  };
}
