/**
 * The detail reads: a whole trace, or one trigger event with its deliveries, each in time order and
 * de-duplicated across backing indices; and which of some traces hold a tool call or trigger event.
 */
import type { estypes } from '@elastic/elasticsearch';
import { compareStoredLogs, type StoredLog } from '@tooltrace/conventions';
import type { TraceDetail, TriggerEventDetail } from '../store.ts';
import type { Cluster } from './cluster.ts';
import {
  type LogDocument,
  logFromDocument,
  type ToolCallDocument,
  type TriggerDocument,
  toolCallFromDocument,
  triggerEventFromDocument,
} from './documents.ts';
import {
  TRACE_PAGE,
  traceLogsRequest,
  tracesWithRecordsRequest,
  traceToolCallsRequest,
  triggerEventByIdRequest,
} from './queries.ts';
import { dedupe } from './responses.ts';
import { deliveriesOfTraces, readTriggerDocuments } from './triggers.ts';

export async function traceDetail(cluster: Cluster, projectId: string, traceId: string): Promise<TraceDetail | null> {
  const [calls, triggers, logs] = await Promise.all([
    cluster.client.search<ToolCallDocument>(traceToolCallsRequest(cluster.names, projectId, traceId)),
    readTriggerDocuments(cluster, projectId, [traceId]),
    traceLogs(cluster, projectId, traceId),
  ]);
  const toolCalls = dedupe(
    calls.hits.hits.map((h) => toolCallFromDocument(h._source as ToolCallDocument)),
    (c) => c.spanId,
  );
  const triggerEvents = [...triggers.values()].map(({ doc }) => triggerEventFromDocument(doc));
  if (toolCalls.length === 0 && triggerEvents.length === 0 && logs.length === 0) return null;
  return { toolCalls, triggerEvents, logs };
}

export async function tracesWithRecords(
  cluster: Cluster,
  projectId: string,
  traceIds: readonly string[],
): Promise<Set<string>> {
  const request = tracesWithRecordsRequest(cluster.names, projectId, traceIds);
  if (traceIds.length === 0) return new Set();
  const response = await cluster.client.search<unknown, { traces: estypes.AggregationsStringTermsAggregate }>(request);
  const buckets = response.aggregations?.traces.buckets;
  return new Set((Array.isArray(buckets) ? buckets : []).map((bucket) => String(bucket.key)));
}

export async function triggerEventDetail(
  cluster: Cluster,
  projectId: string,
  eventId: string,
): Promise<TriggerEventDetail | null> {
  const response = await cluster.client.search<TriggerDocument>(
    triggerEventByIdRequest(cluster.names, projectId, eventId),
  );
  const doc = response.hits.hits[0]?._source;
  if (!doc) return null;
  const deliveries = await deliveriesOfTraces(cluster, projectId, new Map([[doc.traceId, doc]]));
  return {
    event: triggerEventFromDocument(doc),
    deliveries: deliveries.get(doc.traceId) ?? [],
    logs: await traceLogs(cluster, projectId, doc.traceId),
  };
}

/**
 * Every log of a trace, in time order. A re-sent log that straddled a
 * rollover exists once per backing index (IDs are unique per index only),
 * so logs are de-duplicated by their ID here.
 */
async function traceLogs(cluster: Cluster, projectId: string, traceId: string): Promise<StoredLog[]> {
  const logs: StoredLog[] = [];
  let after: estypes.SortResults | undefined;
  for (;;) {
    const response = await cluster.client.search<LogDocument>(
      traceLogsRequest(cluster.names, projectId, traceId, after),
    );
    const hits = response.hits.hits;
    for (const hit of hits) logs.push(logFromDocument(hit._source as LogDocument));
    const last = hits.at(-1);
    if (!last || hits.length < TRACE_PAGE) break;
    after = last.sort;
  }
  return dedupe(logs, (l) => l.id).sort(compareStoredLogs);
}
