/**
 * Retention (DESIGN §5) on Elasticsearch: age first (every trace with a
 * record past the cutoff), then the count cap (oldest traces first), a whole
 * trace at a time. Keeps each project's last known log count and oldest log,
 * so the check after a write is usually arithmetic, not a search.
 */

import type { estypes } from '@elastic/elasticsearch';
import type { IngestBatch } from '@tooltrace/conventions';
import { DAY_MS } from '@tooltrace/conventions';
import type { RetentionRun } from '../store.ts';
import { type Cluster, refreshRecords } from './cluster.ts';
import { deleteMatching } from './deletes.ts';
import { addLogsDropped, type ProjectDocument } from './projects.ts';
import {
  DELETE_CHUNK,
  deleteTracesQueries,
  expiredTracesRequest,
  logStatsRequest,
  OLDEST_LOGS_PAGE,
  oldestLogsPageRequest,
  traceLogCountsRequest,
} from './retention-queries.ts';

/** Pages of oldest logs one count-cap round reads at most before deleting what it found. */
const MAX_WALK_PAGES = 50;

/** Bound on retention rounds per project per run; each round removes at least one trace. */
const MAX_RETENTION_ROUNDS = 1_000;

/**
 * Write-time count checks let a project run this far over its cap before
 * enforcing, so a project sitting at its cap pays for one enforcement per 1 % of
 * its cap in new logs, not one per batch. The sweep and `enforceRetention` cut
 * to the exact cap.
 */
function writeTimeSlack(maxLogs: number): number {
  return Math.ceil(maxLogs * 0.01);
}

export interface LogStats {
  count: number;
  oldestMs: number | null;
}

export class RetentionEnforcer {
  private readonly logStats = new Map<string, LogStats>();

  constructor(private readonly cluster: Cluster) {}

  /** The cheap post-write check: cached figures, a search only on a project's first write in this process. */
  async afterWrite(project: ProjectDocument, newLogs: number, batch: IngestBatch): Promise<number> {
    const { maxLogs, maxAgeDays } = project.limits;
    if (maxLogs === null && maxAgeDays === null) return 0;
    let stats = this.logStats.get(project.projectId);
    if (!stats) stats = await this.readLogStats(project.projectId);
    else {
      stats.count += newLogs;
      for (const log of batch.logs) {
        if (stats.oldestMs === null || log.timeMs < stats.oldestMs) stats.oldestMs = log.timeMs;
      }
    }
    const now = this.cluster.now();
    const overCount = maxLogs !== null && stats.count > maxLogs + writeTimeSlack(maxLogs);
    const tooOld = maxAgeDays !== null && stats.oldestMs !== null && stats.oldestMs < now - maxAgeDays * DAY_MS;
    if (!overCount && !tooOld) return 0;
    return (await this.enforce(project, now)).logsDeleted;
  }

  /** Counts the project's logs afresh (and caches the figures). */
  async readLogStats(projectId: string): Promise<LogStats> {
    if (this.cluster.refresh === false) await refreshRecords(this.cluster);
    const response = await this.cluster.client.search(logStatsRequest(this.cluster.names, projectId));
    const total = response.hits.total;
    const count = typeof total === 'number' ? total : (total?.value ?? 0);
    const oldest = (response.aggregations?.oldest as estypes.AggregationsMinAggregate | undefined)?.value ?? null;
    const stats = { count, oldestMs: oldest };
    this.logStats.set(projectId, stats);
    return stats;
  }

  async enforce(project: ProjectDocument, now: number): Promise<RetentionRun> {
    const { client, names } = this.cluster;
    const run: RetentionRun = { tracesDeleted: 0, logsDeleted: 0 };
    const { maxAgeDays, maxLogs } = project.limits;
    await refreshRecords(this.cluster);
    if (maxAgeDays !== null) {
      const cutoff = now - maxAgeDays * DAY_MS;
      for (let round = 0; round < MAX_RETENTION_ROUNDS; round++) {
        const response = await client.search(expiredTracesRequest(names, project.projectId, cutoff));
        const agg = response.aggregations?.traces as estypes.AggregationsCompositeAggregate | undefined;
        const traceIds = ((agg?.buckets ?? []) as estypes.AggregationsCompositeBucket[]).map((b) =>
          String(b.key.traceId),
        );
        if (traceIds.length === 0) break;
        await this.deleteTraces(project.projectId, traceIds, run);
      }
    }
    if (maxLogs !== null) {
      for (let round = 0; round < MAX_RETENTION_ROUNDS; round++) {
        const { count } = await this.readLogStats(project.projectId);
        const excess = count - maxLogs;
        if (excess <= 0) break;
        const traceIds = await this.oldestTracesCovering(project.projectId, excess);
        if (traceIds.length === 0) break;
        await this.deleteTraces(project.projectId, traceIds, run);
      }
    }
    if (run.logsDeleted > 0) await addLogsDropped(this.cluster, project.projectId, run.logsDeleted);
    this.logStats.delete(project.projectId);
    return run;
  }

  /**
   * The oldest whole traces whose logs add up to at least `excess`, in time
   * order, stopping once the excess is covered or a batch of DELETE_CHUNK
   * traces (or MAX_WALK_PAGES pages) is reached; the caller deletes that batch
   * and asks again.
   */
  private async oldestTracesCovering(projectId: string, excess: number): Promise<string[]> {
    const chosen: string[] = [];
    let covered = 0;
    let pages = 0;
    walk: for await (const traces of oldestTracePages(this.cluster, projectId)) {
      for (const { traceId, logs } of traces) {
        if (covered >= excess || chosen.length >= DELETE_CHUNK) break walk;
        chosen.push(traceId);
        covered += logs;
      }
      if (covered >= excess || ++pages >= MAX_WALK_PAGES) break;
    }
    return chosen;
  }

  private async deleteTraces(projectId: string, traceIds: string[], run: RetentionRun): Promise<void> {
    for (let i = 0; i < traceIds.length; i += DELETE_CHUNK) {
      const chunk = traceIds.slice(i, i + DELETE_CHUNK);
      const { logs, records } = deleteTracesQueries(this.cluster.names, projectId, chunk);
      run.logsDeleted += await deleteMatching(this.cluster, logs.indices, logs.query);
      await deleteMatching(this.cluster, records.indices, records.query);
      run.tracesDeleted += chunk.length;
    }
    // The next round's counts and searches must not see what was just deleted.
    await refreshRecords(this.cluster);
  }
}

/** The buckets of a `traces` terms aggregation. */
function traceBuckets(
  aggregations: Record<string, estypes.AggregationsAggregate> | undefined,
): estypes.AggregationsStringTermsBucket[] | undefined {
  return (aggregations?.traces as estypes.AggregationsStringTermsAggregate | undefined)?.buckets as
    | estypes.AggregationsStringTermsBucket[]
    | undefined;
}

/**
 * The project's traces in the order the count cap takes them (a trace's age is
 * its first log), each with its total log count, one page of logs at a time:
 * the logs are walked oldest first and each trace is yielded the first time it
 * is met, so the walk is exact on any number of shards.
 */
export async function* oldestTracePages(
  cluster: Cluster,
  projectId: string,
): AsyncGenerator<Array<{ traceId: string; logs: number }>> {
  const { client, names } = cluster;
  const seen = new Set<string>();
  let after: estypes.SortResults | undefined;
  for (;;) {
    const response = await client.search<{ traceId: string }>(oldestLogsPageRequest(names, projectId, after));
    const hits = response.hits.hits;
    const fresh: string[] = [];
    for (const hit of hits) {
      const traceId = hit._source?.traceId;
      if (traceId !== undefined && !seen.has(traceId)) {
        seen.add(traceId);
        fresh.push(traceId);
      }
    }
    const counts = fresh.length > 0 ? await client.search(traceLogCountsRequest(names, projectId, fresh)) : null;
    const countOf = new Map(traceBuckets(counts?.aggregations)?.map((b) => [String(b.key), b.doc_count]));
    yield fresh.map((traceId) => ({ traceId, logs: countOf.get(traceId) ?? 0 }));
    const last = hits.at(-1);
    if (!last || hits.length < OLDEST_LOGS_PAGE) return;
    after = last.sort;
  }
}
