/**
 * Deleting by query without `_delete_by_query` (a module many distributions
 * lack, DESIGN §5): a point in time fixes what is deleted to what was
 * searchable when the delete began, pages of it are read in `_shard_doc`
 * order with `search_after`, and each page goes as one bulk of `delete`s
 * conditional on the version found. A document written or changed after the
 * point in time is therefore never deleted by mistake.
 */
import type { estypes } from '@elastic/elasticsearch';
import { versionedDeleteAction } from './bulk.ts';
import { type Cluster, sendBulk } from './cluster.ts';

/** Documents read and deleted per step: one search and one bulk request each. */
export const DELETE_PAGE = 1_000;
const KEEP_ALIVE = '1m';

/** Deletes every document of `indices` matching `query`; returns how many this call deleted. */
export async function deleteMatching(
  cluster: Cluster,
  indices: readonly string[],
  query: estypes.QueryDslQueryContainer,
): Promise<number> {
  const { client } = cluster;
  const opened = await client.openPointInTime({
    index: indices.join(','),
    keep_alive: KEEP_ALIVE,
    ignore_unavailable: true,
    allow_partial_search_results: false,
  });
  let pit = opened.id;
  let deleted = 0;
  try {
    let after: estypes.SortResults | undefined;
    for (;;) {
      const page = await client.search({
        pit: { id: pit, keep_alive: KEEP_ALIVE },
        size: DELETE_PAGE,
        query,
        sort: [{ _shard_doc: 'asc' }],
        ...(after ? { search_after: after } : {}),
        _source: false,
        seq_no_primary_term: true,
        track_total_hits: false,
      });
      pit = page.pit_id ?? pit;
      const hits = page.hits.hits;
      const actions = hits.map((hit) => {
        if (typeof hit._seq_no !== 'number' || typeof hit._primary_term !== 'number' || !hit._id) {
          throw new Error(`Elasticsearch returned ${hit._index}/${hit._id} without _seq_no/_primary_term`);
        }
        return versionedDeleteAction({
          _index: hit._index,
          _id: hit._id,
          _seq_no: hit._seq_no,
          _primary_term: hit._primary_term,
        });
      });
      if (actions.length > 0) deleted += (await sendBulk(cluster, actions)).written.length;
      const last = hits.at(-1);
      if (!last || hits.length < DELETE_PAGE) return deleted;
      after = last.sort;
    }
  } finally {
    await client.closePointInTime({ id: pit }).catch(() => {
      // The point in time expires on its own after KEEP_ALIVE; nothing is lost by failing to close it early.
    });
  }
}
