/**
 * What every part of the Elasticsearch backend works against: the client, the
 * resource names and the write settings, plus the few calls they all make.
 */
import { type Client, errors as esErrors } from '@elastic/elasticsearch';
import { backoffSleeper } from '../backoff-sleep.ts';
import { StoreUnavailableError } from '../store.ts';
import {
  type BulkAction,
  type BulkRunOptions,
  type BulkRunResult,
  type BulkSend,
  chunkActions,
  runBulk,
} from './bulk.ts';
import type { ClusterCapabilities } from './capabilities.ts';
import type { ResourceNames } from './names.ts';

/** Re-merges of a document that lost an optimistic-concurrency race, before giving up. */
export const MAX_MERGE_ROUNDS = 10;

/** A short, growing pause before re-merging a lost race, so racing writers stop colliding in lockstep. */
export const raceBackoff = backoffSleeper({ baseMs: 5, maxMs: 250 });

export interface Cluster {
  readonly client: Client;
  readonly names: ResourceNames;
  /** Refresh after writes (`wait_for` in tests and demos), or leave it to the refresh interval. */
  readonly refresh: boolean | 'wait_for';
  readonly bulk: BulkRunOptions | undefined;
  readonly now: () => number;
  /** What the cluster offered at open (capabilities.ts). */
  readonly capabilities: ClusterCapabilities;
}

/** Sends actions in bounded bulk requests (chunkActions), one after another, and merges their outcomes. */
export async function sendBulk(cluster: Cluster, actions: BulkAction[]): Promise<BulkRunResult> {
  const result: BulkRunResult = { written: [], duplicates: [], conflicts: [] };
  const send: BulkSend = (operations) => cluster.client.bulk({ operations, refresh: cluster.refresh });
  for (const chunk of chunkActions(actions)) {
    const part = await runBulk(send, chunk, cluster.bulk);
    result.written.push(...part.written);
    result.duplicates.push(...part.duplicates);
    result.conflicts.push(...part.conflicts);
  }
  return result;
}

/** Makes every record written so far searchable. */
export async function refreshRecords(cluster: Cluster): Promise<void> {
  await cluster.client.indices.refresh({
    index: [cluster.names.logsPattern, cluster.names.toolCallsPattern, cluster.names.triggerEvents],
    allow_no_indices: true,
    ignore_unavailable: true,
  });
}

export function isNotFound(error: unknown): boolean {
  return (error as { meta?: { statusCode?: number } })?.meta?.statusCode === 404;
}

/** Connection-level failures become StoreUnavailableError naming the cluster; anything else passes through. */
export function unavailable(error: unknown, where: string): StoreUnavailableError | null {
  if (
    error instanceof esErrors.ConnectionError ||
    error instanceof esErrors.NoLivingConnectionsError ||
    error instanceof esErrors.TimeoutError
  ) {
    return new StoreUnavailableError(`Elasticsearch at ${where} is unreachable: ${error.message}`, { cause: error });
  }
  const status = (error as { meta?: { statusCode?: number } })?.meta?.statusCode;
  if (status === 401 || status === 403 || status === 503) {
    return new StoreUnavailableError(
      `Elasticsearch at ${where} refused the request (${status}): ${(error as Error).message}`,
      { cause: error },
    );
  }
  return null;
}
