/**
 * Pure builders of the retention work (DESIGN §5): which traces are past the
 * project's limits, and the deletes of whole traces. Age and count limits are
 * per project; ILM only removes whole backing indices past the plan's days, so
 * the exact per-project limits are applied here with `_delete_by_query`, a
 * whole trace at a time (every kind of record of that trace goes together).
 */
import type { estypes } from '@elastic/elasticsearch';
import type { ResourceNames } from './names.ts';
import { projectClause } from './queries.ts';

/** Traces deleted per `_delete_by_query` (a `terms` query of this many IDs). */
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
    size: Math.max(ids.length * 4, 1),
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

/** The time of the project's n-th oldest log (n from 1); the count cap cuts there. */
export function nthOldestLogRequest(names: ResourceNames, projectId: string, n: number): estypes.SearchRequest {
  return {
    index: names.logsPattern,
    from: Math.min(Math.max(n, 1) - 1, MAX_FROM),
    size: 1,
    _source: false,
    query: { bool: { filter: [projectClause(projectId)] } },
    sort: [{ '@timestamp': { order: 'asc' } }, { id: { order: 'asc' } }],
    track_total_hits: false,
    allow_no_indices: true,
    ignore_unavailable: true,
  };
}

/**
 * The traces holding the logs up to the cutoff, oldest trace first (by its
 * first log), each with its total log count, so the caller can drop whole
 * traces in age order until the project is under its cap.
 */
export function oldestTracesRequest(names: ResourceNames, projectId: string, cutoffMs: number): estypes.SearchRequest {
  return {
    index: names.logsPattern,
    size: 0,
    query: {
      bool: {
        filter: [
          projectClause(projectId),
          { range: { '@timestamp': { lte: String(cutoffMs), format: 'epoch_millis' } } },
        ],
      },
    },
    aggs: {
      traces: {
        terms: { field: 'traceId', size: DELETE_CHUNK, order: [{ first: 'asc' }, { _key: 'asc' }] },
        aggs: { first: { min: { field: '@timestamp' } } },
      },
    },
    allow_no_indices: true,
    ignore_unavailable: true,
  };
}

/** Total logs per trace (the window above only sees each trace's logs up to the cutoff). */
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
 * Deletes whole traces of one project: logs first (their count is what the
 * plan limits and what `logsDropped` reports), then the derived records.
 */
export function deleteTracesRequests(
  names: ResourceNames,
  projectId: string,
  traceIds: readonly string[],
): { logs: estypes.DeleteByQueryRequest; records: estypes.DeleteByQueryRequest } {
  if (traceIds.length === 0 || traceIds.length > DELETE_CHUNK) {
    throw new RangeError(`delete 1 to ${DELETE_CHUNK} traces at a time, got ${traceIds.length}`);
  }
  const query: estypes.QueryDslQueryContainer = {
    bool: { filter: [projectClause(projectId), { terms: { traceId: [...traceIds] } }] },
  };
  const common = {
    query,
    refresh: true,
    conflicts: 'proceed' as const,
    allow_no_indices: true,
    ignore_unavailable: true,
    slices: 'auto' as const,
  };
  // A delivery goes with any of its traces (its attempts may come from several).
  const records: estypes.QueryDslQueryContainer = {
    bool: {
      filter: [projectClause(projectId)],
      should: [{ terms: { traceId: [...traceIds] } }, { terms: { traceIds: [...traceIds] } }],
      minimum_should_match: 1,
    },
  };
  return {
    logs: { index: names.logsPattern, ...common },
    records: {
      index: [names.toolCallsPattern, names.triggerEvents, names.deliveries].join(','),
      ...common,
      query: records,
    },
  };
}
