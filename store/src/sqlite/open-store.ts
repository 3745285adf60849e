/**
 * Opening the SQLite backend: everything on the caller's thread, or writes in
 * a writer thread of their own (../writer-thread/writer-store.ts) with reads
 * kept here, and which of the options go to which side.
 */
import { type Logger, silentLogger } from '@tooltrace/conventions';
import type { Store } from '../store.ts';
import { siblingModule, withWriterWorker } from '../writer-thread/writer-store.ts';
import type { WalCheckpointerOptions } from './checkpoint/wal-checkpointer.ts';
import { databaseFile, openDatabase } from './connection.ts';
import { SqliteStore } from './sqlite-store.ts';
import type { SqliteWriterSettings } from './writer/writer-worker.ts';

export interface SqliteStoreOptions {
  /** Database file, or ':memory:'. The directory must exist. */
  path: string;
  /** Clock in epoch ms (tests move time); defaults to Date.now. */
  now?: () => number;
  /** Period of the background retention sweep; 0 turns it off. Default one minute. */
  retentionSweepIntervalMs?: number;
  /** How long a write waits for another connection's lock before failing. Default 5 s. */
  busyTimeoutMs?: number;
  /** Where background failures (retention runs, WAL tidy-ups) are reported. Default: silent. */
  logger?: Logger;
  /**
   * `inline` (default): one connection does everything on the caller's thread. `worker`: writes, retention
   * and ingest status go to a writer worker thread with its own connection (../writer-thread/writer-store.ts), reads
   * stay here; not with ':memory:' (the worker could not see the database) nor with `now` (it keeps the
   * system clock).
   */
  writer?: 'inline' | 'worker';
  /** The writer worker's module, for tests that make it crash. */
  writerModule?: URL;
  /**
   * Checkpoint the WAL from a thread of its own instead of inside the commit that fills it
   * (./checkpoint/wal-checkpointer.ts): `store.write` 1.2× faster in the bench. Default: on where writes have
   * a thread of their own (`writer: 'worker'`, what `tooltrace start` runs), off otherwise (tests, one-shot CLI
   * commands: a thread they have no use for). Not with ':memory:'.
   */
  backgroundCheckpoints?: boolean | WalCheckpointerOptions;
}

export function openSqliteStore(options: SqliteStoreOptions): Store {
  const file = databaseFile(options.path);
  if (options.writer !== 'worker')
    return new SqliteStore(openDatabase(file, options.busyTimeoutMs ?? 5000), file, options);
  if (file === ':memory:' || options.now) {
    throw new TypeError("a SQLite store with writer: 'worker' needs a database file and the system clock");
  }
  // Opened (and migrated) here first, so the worker finds the schema current and opens without a lock.
  const reader = new SqliteStore(openDatabase(file, options.busyTimeoutMs ?? 5000), file, {
    ...options,
    retentionSweepIntervalMs: 0,
    backgroundCheckpoints: false,
  });
  const { module: _module, ...checkpoints } =
    typeof options.backgroundCheckpoints === 'object' ? options.backgroundCheckpoints : {};
  const settings: SqliteWriterSettings = {
    file,
    busyTimeoutMs: options.busyTimeoutMs ?? 5000,
    retentionSweepIntervalMs: options.retentionSweepIntervalMs ?? 60_000,
    backgroundCheckpoints: options.backgroundCheckpoints === false ? false : checkpoints,
  };
  return withWriterWorker(reader, {
    module: options.writerModule ?? siblingModule('writer/writer-worker', import.meta.url),
    name: 'SQLite writer',
    settings,
    logger: options.logger ?? silentLogger,
  });
}
