/**
 * Opening the SQLite file with the settings every connection needs, and telling "this file cannot be
 * used" (StoreUnavailableError) from bugs and bad input.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../store.ts';
import { migrate } from './migrate.ts';

/**
 * WAL pages written before a commit checkpoints them into the database file
 * (SQLite's default is 1 000). Each checkpoint fsyncs (synchronous = NORMAL)
 * and copies back hot index pages that the next writes dirty again, so
 * checkpointing ten times less often made `store.write` about 1.7× faster in
 * the bench (bench/README.md, finding 3). The price is disk: the WAL grows to
 * about 40 MB (10 000 × 4 KB pages, plus the last transaction) before it is
 * reused from the start, and readers may have more WAL to search. Auto
 * checkpoints stay PASSIVE (they never wait for readers).
 */
const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * After a checkpoint resets the WAL, SQLite keeps the file at its high-water
 * mark for reuse; above this size it is cut back. Set above the auto-checkpoint
 * size, so ordinary ingest reuses the file rather than regrowing it, while one
 * huge transaction (or a checkpoint starved by a long reader) does not leave a
 * huge file behind for good.
 */
const JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/** SQLite result codes that mean "this file cannot be used", as opposed to a bug or bad input. */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|CORRUPT|NOTADB|CANTOPEN|IOERR|READONLY|FULL|PERM|AUTH)/;

/** The absolute path of a database file (or ':memory:'). */
export function databaseFile(file: string): string {
  return file === ':memory:' ? ':memory:' : path.resolve(file);
}

/** Opens (creating or migrating) the database in WAL mode; a file that cannot be used is a StoreUnavailableError. */
export function openDatabase(file: string, busyTimeoutMs: number): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (file !== ':memory:' && !fs.existsSync(path.dirname(file))) {
      throw new Error(`directory ${path.dirname(file)} does not exist`);
    }
    db = new Database(file, { timeout: busyTimeoutMs });
    db.pragma('journal_mode = WAL');
    // WAL makes NORMAL durable across application crashes; only an OS crash can lose the last commits.
    db.pragma('synchronous = NORMAL');
    // The trace-keyed indexes take writes at random places; at a million logs they outgrow the 2 MB default.
    db.pragma('cache_size = -65536');
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (error) {
    db?.close();
    throw new StoreUnavailableError(`cannot open SQLite database ${file}: ${messageOf(error)}`, { cause: error });
  }
  return db;
}

/** Turns SQLite's auto-checkpoint (in the committing connection) off, while a checkpoint thread does it, or back on. */
export function useAutoCheckpoint(db: Database.Database, on: boolean): void {
  db.pragma(`wal_autocheckpoint = ${on ? WAL_AUTOCHECKPOINT_PAGES : 0}`);
}

/**
 * Checkpoints the whole WAL into the database and cuts the file to zero, so it does not keep its
 * high-water mark between sweeps. Never waits: while another connection reads or writes, the checkpoint
 * reports "busy" and the next sweep tries again (auto-checkpoints keep running meanwhile).
 */
export function truncateWal(db: Database.Database, file: string, busyTimeoutMs: number): void {
  if (file === ':memory:') return;
  db.pragma('busy_timeout = 0');
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  }
}

/** A StoreUnavailableError naming the file when `error` means the file cannot be used, else `error` itself. */
export function asUnavailable(error: unknown, file: string): unknown {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && UNAVAILABLE.test(code)) {
    return new StoreUnavailableError(`SQLite database ${file} is unavailable: ${messageOf(error)}`, { cause: error });
  }
  return error;
}

function messageOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}
