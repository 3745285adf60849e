import type { estypes } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { FACET_LIMIT } from '../request-checks.ts';
import { InvalidCursorError } from '../store.ts';
import { encodeCursor } from './cursor.ts';
import { resourceNames } from './names.ts';
import {
  listToolCallsRequest,
  listTriggerEventsRequest,
  projectClause,
  toolCallClauses,
  toolCallFacetsRequest,
  toolCallHistogramRequest,
  traceLogsRequest,
  triggerEventClauses,
  triggerEventFacetsRequest,
  triggerEventHistogramRequest,
} from './queries.ts';
import {
  deleteTracesQueries,
  expiredTracesRequest,
  logStatsRequest,
  oldestLogsPageRequest,
  traceLogCountsRequest,
} from './retention-queries.ts';

const names = resourceNames('tooltrace');
const traceId = 'ab'.repeat(16);
const filterOf = (request: estypes.SearchRequest) =>
  (request.query?.bool?.filter ?? []) as estypes.QueryDslQueryContainer[];

describe('filters → query clauses', () => {
  it('when no filters are given, then the only clause is the project', () => {
    expect(toolCallClauses('prj_a', {})).toEqual([{ term: { projectId: 'prj_a' } }]);
    expect(triggerEventClauses('prj_a', {})).toEqual([{ term: { projectId: 'prj_a' } }]);
  });

  it('when every tool-call filter is given, then each becomes a term on its keyword field and the range is [from, to)', () => {
    const clauses = toolCallClauses('prj_a', {
      userId: 'u1',
      integration: 'slack',
      status: 'error',
      toolName: 'SLACK_SEND_MESSAGE',
      type: 'run_tool',
      traceId,
      from: 1000,
      to: 2000.9,
    });
    expect(clauses).toEqual([
      { term: { projectId: 'prj_a' } },
      { term: { userId: 'u1' } },
      { term: { integration: 'slack' } },
      { term: { status: 'error' } },
      { term: { toolName: 'SLACK_SEND_MESSAGE' } },
      { term: { type: 'run_tool' } },
      { term: { traceId } },
      { range: { startedAt: { format: 'epoch_millis', gte: '1000', lt: '2000' } } },
    ]);
  });

  it('when a trigger-event user filter is given, then it matches the userIds array and times use receivedAt', () => {
    expect(triggerEventClauses('prj_a', { userId: 'u1', triggerName: 'T', to: 5 })).toEqual([
      { term: { projectId: 'prj_a' } },
      { term: { userIds: 'u1' } },
      { term: { triggerName: 'T' } },
      { range: { receivedAt: { format: 'epoch_millis', lt: '5' } } },
    ]);
  });

  it('when a value looks like query syntax, then it stays a literal term value', () => {
    const hostile = '*" OR projectId:* {"match_all":{}}';
    const clauses = toolCallClauses('prj_a', { userId: hostile });
    expect(clauses[1]).toEqual({ term: { userId: hostile } });
    expect(JSON.stringify(clauses)).not.toContain('query_string');
  });

  it('when the project is missing, then no query is built at all (never an unfiltered one)', () => {
    expect(() => projectClause('')).toThrow(/projectId is required/);
    expect(() => toolCallClauses(undefined as unknown as string, {})).toThrow(/projectId is required/);
  });
});

describe('every request carries the project filter', () => {
  const requests: [string, estypes.SearchRequest][] = [
    ['list tool calls', listToolCallsRequest(names, 'prj_a', { userId: 'u' }, { limit: 10 })],
    ['list trigger events', listTriggerEventsRequest(names, 'prj_a', {}, { limit: 10 })],
    ['tool-call facets', toolCallFacetsRequest(names, 'prj_a', { status: 'error' })],
    ['trigger facets', triggerEventFacetsRequest(names, 'prj_a', {})],
    ['tool-call histogram', toolCallHistogramRequest(names, 'prj_a', {}, { from: 0, to: 60_000, bucketMs: 1000 })],
    ['trigger histogram', triggerEventHistogramRequest(names, 'prj_a', {}, { from: 0, to: 60_000, bucketMs: 1000 })],
    ['trace logs', traceLogsRequest(names, 'prj_a', traceId)],
    ['log stats', logStatsRequest(names, 'prj_a')],
    ['expired traces', expiredTracesRequest(names, 'prj_a', 5)],
    ['oldest logs', oldestLogsPageRequest(names, 'prj_a')],
    ['trace log counts', traceLogCountsRequest(names, 'prj_a', [traceId])],
  ];
  it.each(requests)('when building %s, then its first filter clause is the project', (_, request) => {
    expect(filterOf(request)[0]).toEqual({ term: { projectId: 'prj_a' } });
  });

  it('when deleting traces, then both deletes are scoped to the project and those traces', () => {
    const { logs, records } = deleteTracesQueries(names, 'prj_a', [traceId]);
    expect(logs.query?.bool?.filter).toEqual([{ term: { projectId: 'prj_a' } }, { terms: { traceId: [traceId] } }]);
    expect(records.query?.bool).toEqual({
      filter: [{ term: { projectId: 'prj_a' } }],
      should: [{ terms: { traceId: [traceId] } }, { terms: { traceIds: [traceId] } }],
      minimum_should_match: 1,
    });
    expect(logs.indices).toEqual(['tooltrace-logs-*']);
    expect(records.indices).toEqual(['tooltrace-tool-calls-*', 'tooltrace-trigger-events', 'tooltrace-deliveries']);
    expect(() => deleteTracesQueries(names, 'prj_a', [])).toThrow(RangeError);
  });

  it('when the count cap walks the oldest logs, then it pages in time order with a unique tie-break', () => {
    const first = oldestLogsPageRequest(names, 'prj_a');
    expect(first.sort).toEqual([{ '@timestamp': { order: 'asc' } }, { id: { order: 'asc' } }]);
    expect(first.search_after).toBeUndefined();
    expect(oldestLogsPageRequest(names, 'prj_a', [5, 'log-9']).search_after).toEqual([5, 'log-9']);
  });
});

describe('list requests', () => {
  it('when the first page is asked, then it sorts newest first with a stable tie-break and asks one extra hit', () => {
    const request = listToolCallsRequest(names, 'prj_a', {}, { limit: 50 });
    expect(request.index).toBe('tooltrace-tool-calls-*');
    expect(request.size).toBe(51);
    expect(request.sort).toEqual([
      { startedAt: { order: 'desc' } },
      { traceId: { order: 'desc' } },
      { spanId: { order: 'desc' } },
    ]);
    expect(request.search_after).toBeUndefined();
  });

  it('when a cursor is given, then search_after continues from its sort values', () => {
    const cursor = encodeCursor('trigger-events', [1234, traceId]);
    const request = listTriggerEventsRequest(names, 'prj_a', {}, { limit: 5, cursor });
    expect(request.index).toBe('tooltrace-trigger-events');
    expect(request.search_after).toEqual([1234, traceId]);
    expect(request.sort).toEqual([{ receivedAt: { order: 'desc' } }, { traceId: { order: 'desc' } }]);
  });

  it("when another list's cursor or a bad limit is given, then the request is refused", () => {
    const cursor = encodeCursor('trigger-events', [1234, traceId]);
    expect(() => listToolCallsRequest(names, 'prj_a', {}, { limit: 5, cursor })).toThrow(InvalidCursorError);
    for (const limit of [0, 501, 1.5]) {
      expect(() => listToolCallsRequest(names, 'prj_a', {}, { limit })).toThrow(/limit must be/);
    }
  });
});

describe('facet requests', () => {
  it('when filters are given, then each facet leaves out its own filter and keeps the others', () => {
    const request = toolCallFacetsRequest(names, 'prj_a', { status: 'error', integration: 'slack', from: 10 });
    const aggs = request.aggs ?? {};
    const filtersOf = (name: string) => aggs[name]?.filter?.bool?.filter as estypes.QueryDslQueryContainer[];
    expect(filtersOf('statuses')).toEqual([
      { term: { projectId: 'prj_a' } },
      { term: { integration: 'slack' } },
      { range: { startedAt: { format: 'epoch_millis', gte: '10' } } },
    ]);
    expect(filtersOf('integrations')).toContainEqual({ term: { status: 'error' } });
    expect(filtersOf('integrations')).not.toContainEqual({ term: { integration: 'slack' } });
    expect(aggs.toolNames?.aggs?.values?.terms).toEqual({
      field: 'toolName',
      size: FACET_LIMIT,
      order: [{ _count: 'desc' }, { _key: 'asc' }],
    });
    expect(request.size).toBe(0);
  });

  it('when the trigger user facet is built, then it counts the userIds array without the user filter', () => {
    const request = triggerEventFacetsRequest(names, 'prj_a', { userId: 'u1' });
    expect(request.aggs?.userIds?.aggs?.values?.terms?.field).toBe('userIds');
    expect(request.aggs?.userIds?.filter?.bool?.filter).toEqual([{ term: { projectId: 'prj_a' } }]);
    expect(request.aggs?.types?.filter?.bool?.filter).toContainEqual({ term: { userIds: 'u1' } });
  });
});

describe('histogram requests', () => {
  it('when from is not a multiple of the bucket, then the offset aligns buckets to from', () => {
    const request = toolCallHistogramRequest(names, 'prj_a', {}, { from: 90_500, to: 200_000, bucketMs: 60_000 });
    expect(request.aggs?.buckets?.date_histogram).toMatchObject({
      field: 'startedAt',
      fixed_interval: '60000ms',
      offset: '30500ms',
    });
    expect(request.aggs?.buckets?.aggs?.statuses?.terms?.field).toBe('status');
    expect(filterOf(request).at(-1)).toEqual({
      range: { startedAt: { gte: '90500', lt: '200000', format: 'epoch_millis' } },
    });
  });

  it('when the range is empty or has too many buckets, then the request is refused', () => {
    expect(() => toolCallHistogramRequest(names, 'p', {}, { from: 10, to: 10, bucketMs: 1 })).toThrow(RangeError);
    expect(() => toolCallHistogramRequest(names, 'p', {}, { from: 0, to: 1e9, bucketMs: 1 })).toThrow(RangeError);
  });
});
