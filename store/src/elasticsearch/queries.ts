/**
 * Pure builders of every search the backend sends, as functions of the
 * caller's filters. The project filter is the first clause of every query and
 * is added here, never by the caller; caller values only ever appear as
 * `term`/`range` values, never as field names or query strings.
 * Typed against the client's request types: a wrong field is a compile error.
 */
import type { estypes } from '@elastic/elasticsearch';
import { checkHistogram, checkLimit, checkTraceLookup, FACET_LIMIT } from '../request-checks.ts';
import type { HistogramRequest, PageRequest, ToolCallFilters, TriggerEventFilters } from '../store.ts';
import { type CursorList, decodeCursor } from './cursor.ts';
import type { ResourceNames } from './names.ts';

type Query = estypes.QueryDslQueryContainer;

/** Largest page of a trace's logs fetched per request (Elasticsearch's default result window). */
export const TRACE_PAGE = 10_000;

const TOOL_CALL_FIELDS = {
  userId: 'userId',
  integration: 'integration',
  status: 'status',
  toolName: 'toolName',
  type: 'type',
  traceId: 'traceId',
  errorCategory: 'errorCategory',
  errorGroup: 'errorGroup',
  errorCode: 'errorCode',
  httpStatus: 'httpStatus',
  toolCallId: 'toolCallId',
} as const satisfies Record<Exclude<keyof ToolCallFilters, 'from' | 'to'>, string>;

const TRIGGER_EVENT_FIELDS = {
  userId: 'userIds',
  integration: 'integration',
  status: 'status',
  type: 'type',
  triggerName: 'triggerName',
} as const satisfies Record<Exclude<keyof TriggerEventFilters, 'from' | 'to' | 'deliveryId'>, string>;

/**
 * Trigger filters with `deliveryId` resolved to the traces holding an attempt of that delivery:
 * the deliveries index knows them, the event documents do not (ElasticsearchStore resolves it).
 */
export interface ResolvedTriggerEventFilters extends TriggerEventFilters {
  deliveryTraceIds?: readonly string[];
}

export function projectClause(projectId: string): Query {
  if (typeof projectId !== 'string' || projectId.length === 0) {
    // A missing project must never turn into "no filter": that would read every tenant.
    throw new TypeError('projectId is required for every Elasticsearch query');
  }
  return { term: { projectId } };
}

function filterClauses<F extends { from?: number; to?: number }>(
  projectId: string,
  filters: F,
  fields: Record<string, string>,
  timeField: string,
  omit?: keyof F,
): Query[] {
  const clauses: Query[] = [projectClause(projectId)];
  for (const [key, field] of Object.entries(fields)) {
    const value = filters[key as keyof F];
    if (value === undefined || key === omit) continue;
    clauses.push({ term: { [field]: typeof value === 'number' ? value : String(value) } });
  }
  const range: estypes.QueryDslDateRangeQuery = { format: 'epoch_millis' };
  if (filters.from !== undefined) range.gte = String(Math.trunc(filters.from));
  if (filters.to !== undefined) range.lt = String(Math.trunc(filters.to));
  if (range.gte !== undefined || range.lt !== undefined) clauses.push({ range: { [timeField]: range } });
  return clauses;
}

export function toolCallClauses(projectId: string, filters: ToolCallFilters, omit?: keyof ToolCallFilters): Query[] {
  return filterClauses(projectId, filters, TOOL_CALL_FIELDS, 'startedAt', omit);
}

export function triggerEventClauses(
  projectId: string,
  filters: ResolvedTriggerEventFilters,
  omit?: keyof TriggerEventFilters,
): Query[] {
  const clauses = filterClauses(projectId, filters, TRIGGER_EVENT_FIELDS, 'receivedAt', omit);
  if (filters.deliveryId !== undefined && omit !== 'deliveryId') {
    // Never "no filter" for an unresolved delivery: that would list every event.
    if (!filters.deliveryTraceIds) throw new TypeError('deliveryId must be resolved to its traces first');
    clauses.push({ terms: { traceId: [...filters.deliveryTraceIds] } });
  }
  return clauses;
}

/** Newest first with a stable tie-break; one extra hit tells whether another page exists. */
function listRequest(
  index: string,
  list: CursorList,
  clauses: Query[],
  sort: estypes.SortCombinations[],
  page: PageRequest,
): estypes.SearchRequest {
  const request: estypes.SearchRequest = {
    index,
    query: { bool: { filter: clauses } },
    sort,
    size: checkLimit(page.limit) + 1,
    track_total_hits: false,
    allow_no_indices: true,
    ignore_unavailable: true,
  };
  if (page.cursor !== undefined) request.search_after = decodeCursor(list, page.cursor);
  return request;
}

export function listToolCallsRequest(
  names: ResourceNames,
  projectId: string,
  filters: ToolCallFilters,
  page: PageRequest,
): estypes.SearchRequest {
  return listRequest(
    names.toolCallsPattern,
    'tool-calls',
    toolCallClauses(projectId, filters),
    [{ startedAt: { order: 'desc' } }, { traceId: { order: 'desc' } }, { spanId: { order: 'desc' } }],
    page,
  );
}

export function listTriggerEventsRequest(
  names: ResourceNames,
  projectId: string,
  filters: ResolvedTriggerEventFilters,
  page: PageRequest,
): estypes.SearchRequest {
  return listRequest(
    names.triggerEvents,
    'trigger-events',
    triggerEventClauses(projectId, filters),
    [{ receivedAt: { order: 'desc' } }, { traceId: { order: 'desc' } }],
    page,
  );
}

/** One `filter` + `terms` aggregation per facet; each facet's filter leaves out its own field. */
function facetAggregations<F>(
  facets: Record<string, { field: string; omit: keyof F }>,
  clausesWithout: (omit: keyof F) => Query[],
): Record<string, estypes.AggregationsAggregationContainer> {
  const aggs: Record<string, estypes.AggregationsAggregationContainer> = {};
  for (const [name, { field, omit }] of Object.entries(facets)) {
    aggs[name] = {
      filter: { bool: { filter: clausesWithout(omit) } },
      aggs: {
        values: { terms: { field, size: FACET_LIMIT, order: [{ _count: 'desc' }, { _key: 'asc' }] } },
      },
    };
  }
  return aggs;
}

export const TOOL_CALL_FACETS = {
  integrations: { field: 'integration', omit: 'integration' },
  toolNames: { field: 'toolName', omit: 'toolName' },
  userIds: { field: 'userId', omit: 'userId' },
  statuses: { field: 'status', omit: 'status' },
  types: { field: 'type', omit: 'type' },
} as const satisfies Record<string, { field: string; omit: keyof ToolCallFilters }>;

export const TRIGGER_EVENT_FACETS = {
  integrations: { field: 'integration', omit: 'integration' },
  triggerNames: { field: 'triggerName', omit: 'triggerName' },
  userIds: { field: 'userIds', omit: 'userId' },
  statuses: { field: 'status', omit: 'status' },
  types: { field: 'type', omit: 'type' },
} as const satisfies Record<string, { field: string; omit: keyof TriggerEventFilters }>;

export function toolCallFacetsRequest(
  names: ResourceNames,
  projectId: string,
  filters: ToolCallFilters,
): estypes.SearchRequest {
  return {
    index: names.toolCallsPattern,
    size: 0,
    query: { bool: { filter: [projectClause(projectId)] } },
    aggs: facetAggregations<ToolCallFilters>(TOOL_CALL_FACETS, (omit) => toolCallClauses(projectId, filters, omit)),
    allow_no_indices: true,
    ignore_unavailable: true,
  };
}

export function triggerEventFacetsRequest(
  names: ResourceNames,
  projectId: string,
  filters: ResolvedTriggerEventFilters,
): estypes.SearchRequest {
  return {
    index: names.triggerEvents,
    size: 0,
    query: { bool: { filter: [projectClause(projectId)] } },
    aggs: facetAggregations<TriggerEventFilters>(TRIGGER_EVENT_FACETS, (omit) =>
      triggerEventClauses(projectId, filters, omit),
    ),
    allow_no_indices: true,
    ignore_unavailable: true,
  };
}

/**
 * Buckets start at `from` and step by `bucketMs`: a fixed interval with an
 * offset of `from mod bucketMs` aligns Elasticsearch's epoch-based buckets to them.
 */
function histogramRequest(
  index: string,
  clauses: Query[],
  timeField: string,
  request: HistogramRequest,
): estypes.SearchRequest {
  const { from, to, bucketMs } = checkHistogram(request);
  return {
    index,
    size: 0,
    query: {
      bool: {
        filter: [...clauses, { range: { [timeField]: { gte: String(from), lt: String(to), format: 'epoch_millis' } } }],
      },
    },
    aggs: {
      buckets: {
        date_histogram: {
          field: timeField,
          fixed_interval: `${bucketMs}ms`,
          offset: `${((from % bucketMs) + bucketMs) % bucketMs}ms`,
          min_doc_count: 1,
        },
        aggs: { statuses: { terms: { field: 'status', size: 10 } } },
      },
    },
    allow_no_indices: true,
    ignore_unavailable: true,
  };
}

export function toolCallHistogramRequest(
  names: ResourceNames,
  projectId: string,
  filters: ToolCallFilters,
  request: HistogramRequest,
): estypes.SearchRequest {
  return histogramRequest(names.toolCallsPattern, toolCallClauses(projectId, filters), 'startedAt', request);
}

export function triggerEventHistogramRequest(
  names: ResourceNames,
  projectId: string,
  filters: ResolvedTriggerEventFilters,
  request: HistogramRequest,
): estypes.SearchRequest {
  return histogramRequest(names.triggerEvents, triggerEventClauses(projectId, filters), 'receivedAt', request);
}

/** A page of one trace's logs, in a stable order that `search_after` can continue. */
export function traceLogsRequest(
  names: ResourceNames,
  projectId: string,
  traceId: string,
  after?: estypes.SortResults,
): estypes.SearchRequest {
  const request: estypes.SearchRequest = {
    index: names.logsPattern,
    size: TRACE_PAGE,
    query: { bool: { filter: [projectClause(projectId), { term: { traceId } }] } },
    sort: [{ '@timestamp': { order: 'asc' } }, { id: { order: 'asc' } }],
    track_total_hits: false,
    allow_no_indices: true,
    ignore_unavailable: true,
  };
  if (after) request.search_after = after;
  return request;
}

export function traceToolCallsRequest(names: ResourceNames, projectId: string, traceId: string): estypes.SearchRequest {
  return {
    index: names.toolCallsPattern,
    size: TRACE_PAGE,
    query: { bool: { filter: [projectClause(projectId), { term: { traceId } }] } },
    sort: [{ startedAt: { order: 'asc' } }, { spanId: { order: 'asc' } }],
    track_total_hits: false,
    allow_no_indices: true,
    ignore_unavailable: true,
  };
}

/** Which of the traces have a tool call or trigger event: one `terms` bucket per trace that has any. */
export function tracesWithRecordsRequest(
  names: ResourceNames,
  projectId: string,
  traceIds: readonly string[],
): estypes.SearchRequest {
  const ids = [...checkTraceLookup(traceIds)];
  return {
    index: `${names.toolCallsPattern},${names.triggerEvents}`,
    size: 0,
    query: { bool: { filter: [projectClause(projectId), { terms: { traceId: ids } }] } },
    aggs: { traces: { terms: { field: 'traceId', size: Math.max(ids.length, 1) } } },
    track_total_hits: false,
    allow_no_indices: true,
    ignore_unavailable: true,
  };
}

export function triggerEventByIdRequest(
  names: ResourceNames,
  projectId: string,
  eventId: string,
): estypes.SearchRequest {
  return {
    index: names.triggerEvents,
    size: 1,
    query: { bool: { filter: [projectClause(projectId), { term: { eventId } }] } },
    sort: [{ receivedAt: { order: 'desc' } }],
    allow_no_indices: true,
    ignore_unavailable: true,
  };
}

export const PROJECTS_PAGE = 1_000;

/** Projects are the one listing without a project filter: it is the list of tenants itself (CLI and sweep only). */
export function projectsPageRequest(names: ResourceNames, after?: estypes.SortResults): estypes.SearchRequest {
  const request: estypes.SearchRequest = {
    index: names.projects,
    size: PROJECTS_PAGE,
    query: { match_all: {} },
    sort: [{ createdAt: { order: 'asc' } }, { projectId: { order: 'asc' } }],
    track_total_hits: false,
  };
  if (after) request.search_after = after;
  return request;
}
