/**
 * The upsert half of a write (DESIGN §4), after the append-only `create`s:
 * re-sent logs and tool calls that changed replace their stored copies, and
 * trigger traces are read-merged-written with `if_seq_no`/`if_primary_term`,
 * so concurrent writers of late spans never lose a fact (a 409 re-reads and
 * re-merges).
 */
import { isDeepStrictEqual } from 'node:util';
import type { IngestBatch } from '@tooltrace/conventions';
import {
  type BulkAction,
  type BulkDocument,
  inPlaceUpdateAction,
  type ReadVersion,
  triggerAction,
  triggerDocumentId,
} from './bulk.ts';
import { type Cluster, refreshRecords, sendBulk } from './cluster.ts';
import { mergeTriggerDocument, type TriggerDocument } from './documents.ts';
import { storedCopiesRequest } from './retention-queries.ts';

/** Re-merges of a trigger trace that lost an optimistic-concurrency race, before giving up. */
const MAX_MERGE_ROUNDS = 10;

/**
 * A re-sent log or tool call that changed replaces its stored copy (every
 * copy, should a re-send have straddled a rollover); an identical re-send
 * costs one search and no write.
 */
export async function updateInPlace(cluster: Cluster, projectId: string, duplicates: BulkAction[]): Promise<void> {
  let pending = duplicates;
  for (let round = 0; pending.length > 0; round++) {
    if (round >= MAX_MERGE_ROUNDS) throw new Error('re-sent records kept changing under concurrent writers');
    const byId = new Map(pending.map((a) => [a.action?.create?._id as string, a.document]));
    const search = () =>
      cluster.client.search<BulkDocument>(storedCopiesRequest(cluster.names, projectId, [...byId.keys()]));
    let hits = (await search()).hits.hits;
    if (new Set(hits.map((h) => h._id)).size < byId.size) {
      // A copy created moments ago may not be searchable yet: make it so, once.
      await refreshRecords(cluster);
      hits = (await search()).hits.hits;
    }
    const updates: BulkAction[] = [];
    for (const hit of hits) {
      const document = hit._id ? byId.get(hit._id) : undefined;
      if (!document || isDeepStrictEqual(hit._source, JSON.parse(JSON.stringify(document)))) continue;
      if (typeof hit._seq_no !== 'number' || typeof hit._primary_term !== 'number' || !hit._id) {
        throw new Error(`Elasticsearch returned ${hit._index}/${hit._id} without _seq_no/_primary_term`);
      }
      const version = { _index: hit._index, _id: hit._id, _seq_no: hit._seq_no, _primary_term: hit._primary_term };
      updates.push(inPlaceUpdateAction(version, document));
    }
    if (updates.length === 0) return;
    const result = await sendBulk(cluster, updates);
    // Lost a race with another writer of the same record: re-read and compare again.
    const lostIds = new Set(result.conflicts.map((a) => a.action?.index?._id));
    pending = pending.filter((a) => lostIds.has(a.action?.create?._id));
  }
}

interface TraceFacts {
  triggers: IngestBatch['triggers'];
  attempts: IngestBatch['deliveryAttempts'];
}

/** Groups the batch's trigger facts by trace and merges each trace's document, re-merging on a lost race. */
export async function mergeTriggerTraces(cluster: Cluster, projectId: string, batch: IngestBatch): Promise<void> {
  const byTrace = new Map<string, TraceFacts>();
  const entry = (traceId: string): TraceFacts => {
    let facts = byTrace.get(traceId);
    if (!facts) {
      facts = { triggers: [], attempts: [] };
      byTrace.set(traceId, facts);
    }
    return facts;
  };
  for (const fact of batch.triggers) entry(fact.traceId).triggers.push(fact);
  for (const fact of batch.deliveryAttempts) entry(fact.traceId).attempts.push(fact);
  let pending = [...byTrace.keys()];
  for (let round = 0; pending.length > 0; round++) {
    if (round >= MAX_MERGE_ROUNDS) {
      throw new Error(`trigger traces kept changing under concurrent writers: ${pending.join(', ')}`);
    }
    const current = await readTriggerDocuments(cluster, projectId, pending);
    const actions: BulkAction[] = pending.map((traceId) => {
      const facts = entry(traceId);
      const existing = current.get(traceId) ?? null;
      const merged = mergeTriggerDocument(existing?.doc ?? null, projectId, traceId, facts.triggers, facts.attempts);
      return triggerAction(cluster.names, merged, existing?.version ?? null);
    });
    const result = await sendBulk(cluster, actions);
    // A 409 on `create` means another writer created the document first: re-merge it too.
    const createdElsewhere = actions.length - result.written.length - result.conflicts.length;
    const lost = [...result.conflicts];
    if (createdElsewhere > 0) {
      const written = new Set(result.written);
      for (const action of actions) if (!written.has(action) && !lost.includes(action)) lost.push(action);
    }
    pending = lost.map((a) => (a.document as TriggerDocument).traceId);
  }
}

/** The project's trigger documents of these traces, with the version to write them back against. */
export async function readTriggerDocuments(
  cluster: Cluster,
  projectId: string,
  traceIds: readonly string[],
): Promise<Map<string, { doc: TriggerDocument; version: ReadVersion }>> {
  const found = new Map<string, { doc: TriggerDocument; version: ReadVersion }>();
  if (traceIds.length === 0) return found;
  const response = await cluster.client.mget<TriggerDocument>({
    index: cluster.names.triggerEvents,
    ids: traceIds.map((traceId) => triggerDocumentId(projectId, traceId)),
  });
  for (const item of response.docs) {
    if (!('found' in item) || !item.found || !item._source) continue;
    const doc = item._source;
    if (doc.projectId !== projectId) continue;
    if (typeof item._seq_no !== 'number' || typeof item._primary_term !== 'number') {
      // Without them the write back would be unconditional and could lose a concurrent writer's facts.
      throw new Error(
        `Elasticsearch returned ${cluster.names.triggerEvents}/${item._id} without _seq_no/_primary_term`,
      );
    }
    found.set(doc.traceId, { doc, version: { seqNo: item._seq_no, primaryTerm: item._primary_term } });
  }
  return found;
}
