/**
 * The upsert half of a write (DESIGN §4), after the append-only `create`s:
 * re-sent logs and tool calls that changed replace their stored copies
 * (trigger traces and deliveries: triggers.ts).
 */
import { isDeepStrictEqual } from 'node:util';
import { type BulkAction, type BulkDocument, inPlaceUpdateAction } from './bulk.ts';
import { type Cluster, MAX_MERGE_ROUNDS, raceBackoff, refreshRecords, sendBulk } from './cluster.ts';
import { storedCopiesRequest } from './retention-queries.ts';

/**
 * A re-sent log or tool call that changed replaces its stored copy (every
 * copy, should a re-send have straddled a rollover); an identical re-send
 * costs one search and no write.
 */
export async function updateInPlace(cluster: Cluster, projectId: string, duplicates: BulkAction[]): Promise<void> {
  for (let i = 0; i < duplicates.length; i += LOOKUP_CHUNK) {
    await updateChunkInPlace(cluster, projectId, duplicates.slice(i, i + LOOKUP_CHUNK));
  }
}

/**
 * Re-sent records looked up per search: each may have a few copies (one per
 * backing index it straddled), and a search returns at most 10 000 hits
 * (`index.max_result_window`), so 2 000 IDs × up to 4 copies stays inside it.
 */
export const LOOKUP_CHUNK = 2_000;

async function updateChunkInPlace(cluster: Cluster, projectId: string, duplicates: BulkAction[]): Promise<void> {
  let pending = duplicates;
  for (let round = 0; pending.length > 0; round++) {
    if (round >= MAX_MERGE_ROUNDS) throw new Error('re-sent records kept changing under concurrent writers');
    if (round > 0) await raceBackoff(round);
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
