/**
 * The Elasticsearch writer worker: its own client to the cluster runs the
 * store's writing methods of the ingest path (`write` — bulk bodies, the
 * trigger/delivery re-derivation, user inheritance, bulk responses —,
 * `setPlan`, `enforceRetention`, ingest status, the retention sweep), so none
 * of that work runs on the thread that serves HTTP and queries
 * (../../writer-thread/). The cluster was asked what it offers and set up by
 * the opener; the worker takes the answer and bootstraps nothing.
 */
import { workerData } from 'node:worker_threads';
import { serveWriter, writerLogger } from '../../writer-thread/serve-writer.ts';
import { openElasticsearchStore } from '../elasticsearch-store.ts';
import type { ElasticsearchWriterSettings } from './writer-store.ts';

const logger = writerLogger('elasticsearch-writer');
const settings = (workerData as { data: ElasticsearchWriterSettings }).data;

await serveWriter(
  openElasticsearchStore({
    node: settings.node,
    prefix: settings.prefix,
    refresh: settings.refresh,
    bulk: settings.bulk,
    capabilities: settings.capabilities,
    bootstrap: false,
    retentionSweepIntervalMs: settings.retentionSweepIntervalMs,
    logger,
  }),
  logger,
);
