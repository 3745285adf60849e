/**
 * The Elasticsearch side of user attribution across requests
 * (../user-inheritance.ts): one search for the stored inherited-user calls of
 * the batch's traces (`userInherited`, a boolean on tool-call documents) and,
 * only when there are such calls, one for the stored spans of their traces.
 * Like every search, these see what was refreshed: a parent written within the
 * refresh interval (1 s with `refresh: false`) before its child may be missed,
 * and the child then keeps the collector's attribution.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { IngestBatch, ToolCallFact } from '@tooltrace/conventions';
import {
  ownUserOf,
  type SpanUser,
  tracesNeedingAncestors,
  tracesWithSpans,
  withInheritedUsers,
} from '../user-inheritance.ts';
import type { Cluster } from './cluster.ts';
import { type LogDocument, type ToolCallDocument, toolCallFromDocument } from './documents.ts';
import { projectClause } from './queries.ts';
import { MAX_FROM } from './retention-queries.ts';

/** Trace IDs per `terms` query. */
const TRACES_PER_SEARCH = 1_000;

export async function inheritUsers(cluster: Cluster, projectId: string, batch: IngestBatch): Promise<IngestBatch> {
  const { names } = cluster;
  const calls = await searchByTraces<ToolCallDocument>(cluster, projectId, tracesWithSpans(batch), {
    index: names.toolCallsPattern,
    filter: { term: { userInherited: true } },
  });
  const stored = new Map<string, ToolCallFact>();
  for (const doc of calls) stored.set(`${doc.traceId}:${doc.spanId}`, factOfDocument(doc));
  const traces = tracesNeedingAncestors(batch, [...stored.values()]);
  if (traces.length === 0) return batch;
  const logs = await searchByTraces<LogDocument>(cluster, projectId, traces, {
    index: names.logsPattern,
    filter: { term: { source: 'span' } },
    source: ['traceId', 'spanId', 'parentSpanId', 'attributes'],
  });
  const spans = logs.flatMap((log): SpanUser[] =>
    log.spanId
      ? [
          {
            traceId: log.traceId,
            spanId: log.spanId,
            parentSpanId: log.parentSpanId,
            userId: ownUserOf(log.attributes),
          },
        ]
      : [],
  );
  return withInheritedUsers(batch, [...stored.values()], spans);
}

async function searchByTraces<T>(
  cluster: Cluster,
  projectId: string,
  traceIds: readonly string[],
  what: { index: string; filter: estypes.QueryDslQueryContainer; source?: string[] },
): Promise<T[]> {
  const found: T[] = [];
  for (let i = 0; i < traceIds.length; i += TRACES_PER_SEARCH) {
    const chunk = traceIds.slice(i, i + TRACES_PER_SEARCH);
    const response = await cluster.client.search<T>({
      index: what.index,
      size: MAX_FROM + 1,
      ...(what.source ? { _source: what.source } : {}),
      query: { bool: { filter: [projectClause(projectId), { terms: { traceId: chunk } }, what.filter] } },
      allow_no_indices: true,
      ignore_unavailable: true,
    });
    for (const hit of response.hits.hits) if (hit._source) found.push(hit._source);
  }
  return found;
}

function factOfDocument(doc: ToolCallDocument): ToolCallFact {
  const { projectId: _projectId, ...call } = toolCallFromDocument(doc);
  return { ...call, userInherited: true };
}
