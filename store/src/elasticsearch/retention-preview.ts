/**
 * What retention would delete now under other limits (the plan form's
 * confirmation), on Elasticsearch, deleting nothing: the same two cuts as
 * RetentionEnforcer.enforce — every trace with a record past the age cutoff,
 * then the oldest remaining traces by first log until the count cap holds —
 * counted instead of deleted. The expired traces are kept in memory to skip
 * them in the count walk (one ID per trace past the cutoff).
 */
import type { estypes } from '@elastic/elasticsearch';
import { DAY_MS, type RetentionLimits } from '@tooltrace/conventions';
import type { RetentionRun } from '../store.ts';
import { type Cluster, refreshRecords } from './cluster.ts';
import { oldestTracePages } from './retention.ts';
import { expiredTracesRequest, traceLogCountsRequest } from './retention-queries.ts';

export async function previewRetention(
  cluster: Cluster,
  projectId: string,
  limits: RetentionLimits,
  now: number,
  logCount: () => Promise<number>,
): Promise<RetentionRun> {
  await refreshRecords(cluster);
  const run: RetentionRun = { tracesDeleted: 0, logsDeleted: 0 };
  const expired =
    limits.maxAgeDays === null
      ? new Set<string>()
      : await expiredTraces(cluster, projectId, now - limits.maxAgeDays * DAY_MS, run);
  if (limits.maxLogs === null) return run;
  const excess = (await logCount()) - run.logsDeleted - limits.maxLogs;
  let covered = 0;
  walk: for await (const traces of oldestTracePages(cluster, projectId)) {
    for (const { traceId, logs } of traces) {
      if (covered >= excess) break walk;
      if (expired.has(traceId)) continue;
      covered += logs;
      run.tracesDeleted += 1;
      run.logsDeleted += logs;
    }
    if (covered >= excess) break;
  }
  return run;
}

/** Every trace past the cutoff, counted into `run` with its logs. */
async function expiredTraces(cluster: Cluster, projectId: string, cutoff: number, run: RetentionRun) {
  const { client, names } = cluster;
  const expired = new Set<string>();
  let after: Record<string, estypes.FieldValue> | undefined;
  for (;;) {
    const response = await client.search(expiredTracesRequest(names, projectId, cutoff, after));
    const agg = response.aggregations?.traces as estypes.AggregationsCompositeAggregate | undefined;
    const buckets = (agg?.buckets ?? []) as estypes.AggregationsCompositeBucket[];
    if (buckets.length === 0) return expired;
    const traceIds = buckets.map((b) => String(b.key.traceId));
    for (const id of traceIds) expired.add(id);
    run.tracesDeleted += traceIds.length;
    const counts = await client.search(traceLogCountsRequest(names, projectId, traceIds));
    const perTrace = (counts.aggregations?.traces as estypes.AggregationsStringTermsAggregate | undefined)?.buckets as
      | estypes.AggregationsStringTermsBucket[]
      | undefined;
    for (const bucket of perTrace ?? []) run.logsDeleted += bucket.doc_count;
    if (!agg?.after_key) return expired;
    after = agg.after_key as Record<string, estypes.FieldValue>;
  }
}
