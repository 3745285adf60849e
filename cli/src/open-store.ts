/**
 * Opens the configured store backend (DESIGN §8): SQLite at `<dataDir>/tooltrace.db`,
 * or Elasticsearch at ELASTICSEARCH_URL (its client is loaded only when chosen).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@tooltrace/conventions';
import { openSqliteStore, type Store } from '@tooltrace/store';
import type { Config } from './config.ts';

export const SQLITE_FILE_NAME = 'tooltrace.db';

/**
 * `writerThread`: the store's writes (SQLite transactions, Elasticsearch bulks) go to a worker thread of their
 * own (`tooltrace start`, where the same process serves queries); one-shot commands write on their own thread.
 */
export async function openStore(
  config: Config,
  logger?: Logger,
  options: { writerThread?: boolean } = {},
): Promise<Store> {
  if (config.store === 'elasticsearch') {
    const { openElasticsearchStore } = await import('@tooltrace/store/elasticsearch');
    // loadConfig has already required ELASTICSEARCH_URL for this store.
    return openElasticsearchStore({
      node: config.elasticsearchUrl as string,
      logger,
      writer: options.writerThread ? 'worker' : 'inline',
    });
  }
  await fs.mkdir(config.dataDir, { recursive: true });
  return openSqliteStore({
    path: path.join(config.dataDir, SQLITE_FILE_NAME),
    logger,
    writer: options.writerThread ? 'worker' : 'inline',
  });
}
