/**
 * The Elasticsearch store with its writes in a worker thread (DESIGN §10,
 * `openElasticsearchStore({ writer: 'worker' })`): `write`, `setPlan`,
 * `enforceRetention`, ingest status and the retention sweep run on the
 * writer's own client (writer-worker.ts); reads and admin writes stay on the
 * caller's. What each side caches stays right: the project cache (plan,
 * limits) and the log figures of the post-write retention check live in the
 * writer, where every plan change and retention run happens; keys and
 * projects are read by realtime GET, never cached, so a rotation on the
 * caller's side holds at once; the cluster's capabilities are asked once, by
 * the opener, and handed over.
 */
import type { Logger } from '@tooltrace/conventions';
import type { Store } from '../../store.ts';
import { type StoreWithWriter, siblingModule, withWriterWorker } from '../../writer-thread/writer-store.ts';
import type { BulkRunOptions } from '../bulk.ts';
import type { ClusterCapabilities } from '../capabilities.ts';

/** What the worker opens its own client with (`workerData.data`): plain data. */
export interface ElasticsearchWriterSettings {
  node: string;
  prefix: string;
  refresh: boolean | 'wait_for';
  /** Without `sleep` (a function stays on its thread). */
  bulk: BulkRunOptions | undefined;
  capabilities: ClusterCapabilities;
  retentionSweepIntervalMs: number;
}

export interface WriterOpenOptions {
  node?: string;
  client?: unknown;
  now?: () => number;
  bulk?: BulkRunOptions;
}

/** What a worker cannot be given (it is a thread of its own): refused before anything opens. */
export function checkWriterOptions(options: WriterOpenOptions): void {
  const unclonable = [
    options.client !== undefined || !options.node ? '`node` (a URL) rather than a `client`' : null,
    options.now ? 'the system clock (no `now`)' : null,
    options.bulk?.sleep ? 'bulk options without `sleep`' : null,
  ].filter((need) => need !== null);
  if (unclonable.length > 0) {
    throw new TypeError(`an Elasticsearch store with writer: 'worker' needs ${unclonable.join(', ')}`);
  }
}

export function withElasticsearchWriter(
  reader: Store,
  settings: ElasticsearchWriterSettings,
  logger: Logger,
  module?: URL,
): StoreWithWriter {
  const bulk = settings.bulk && {
    maxRetries: settings.bulk.maxRetries,
    initialBackoffMs: settings.bulk.initialBackoffMs,
  };
  return withWriterWorker(reader, {
    module: module ?? siblingModule('writer-worker', import.meta.url),
    name: 'Elasticsearch writer',
    settings: { ...settings, bulk },
    logger,
  });
}
