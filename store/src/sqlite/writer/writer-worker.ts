/**
 * The SQLite writer worker: owns its own connection to the database file and
 * runs the store's writing methods there (`write`, with its retention step,
 * `setPlan`, `enforceRetention`, ingest status, the timer sweep), so a
 * transaction never blocks the thread that serves HTTP and queries
 * (../../writer-thread/).
 */
import { workerData } from 'node:worker_threads';
import { serveWriter, writerLogger } from '../../writer-thread/serve-writer.ts';
import type { WalCheckpointerOptions } from '../checkpoint/wal-checkpointer.ts';
import { openSqliteStore } from '../open-store.ts';

/** What the worker opens its own connection with (`workerData.data`). */
export interface SqliteWriterSettings {
  file: string;
  busyTimeoutMs: number;
  retentionSweepIntervalMs: number;
  /** On unless false; the thread's module stays the default (a URL is not plain data). */
  backgroundCheckpoints: false | Omit<WalCheckpointerOptions, 'module'>;
}

const logger = writerLogger('sqlite-writer');
const settings = (workerData as { data: SqliteWriterSettings }).data;

await serveWriter(
  openSqliteStore({
    path: settings.file,
    busyTimeoutMs: settings.busyTimeoutMs,
    retentionSweepIntervalMs: settings.retentionSweepIntervalMs,
    backgroundCheckpoints: settings.backgroundCheckpoints,
    logger,
  }),
  logger,
);
