/**
 * The forwarding outbox: a SQLite file local to the collector process (like
 * the official Collector's file-backed queue), so it behaves the same with
 * either store. A batch is committed here before the sender of it gets its
 * 2xx; WAL commits survive a crash of the process (kill -9). Each destination's
 * queue is bounded by bytes and by age; past either bound its oldest batches
 * are deleted and counted, never silently. Counters live in the same file, so
 * status survives restarts and another process (`tooltrace forward list`) can
 * read it.
 */
import type { ForwardState } from '@tooltrace/conventions';
import Database from 'better-sqlite3';
import type { OtlpEncoding, Signal } from '../otlp/types.ts';

export interface OutboxLimits {
  /** Queued bytes per destination. Default 256 MiB. */
  maxBytes: number;
  /** Oldest batch age per destination. Default 24 h. */
  maxAgeMs: number;
}

export const DEFAULT_OUTBOX_LIMITS: OutboxLimits = { maxBytes: 256 * 1024 * 1024, maxAgeMs: 24 * 60 * 60 * 1000 };

/** Consecutive failed attempts after which a destination shows `failing` rather than `retrying`. */
export const FAILING_AFTER = 5;

export interface QueuedBatch {
  seq: number;
  signal: Signal;
  encoding: OtlpEncoding;
  items: number;
  bytes: number;
  enqueuedAt: number;
  payload: Buffer;
}

export interface NewBatch {
  destinationId: string;
  projectId: string;
  signal: Signal;
  encoding: OtlpEncoding;
  items: number;
  /** The uncompressed OTLP body in `encoding`. */
  payload: Uint8Array;
}

export interface OutboxFigures {
  spansSent: number;
  logsSent: number;
  batchesQueued: number;
  batchesRetried: number;
  batchesRejected: number;
  batchesDropped: number;
  queueBytes: number;
  oldestEnqueuedAt: number | null;
  lastSuccessAt: number | null;
  lastError: { at: number; httpStatus: number | null; message: string } | null;
  consecutiveFailures: number;
}

export type AttemptResult =
  | { kind: 'sent' }
  | { kind: 'retry'; httpStatus: number | null; message: string }
  | { kind: 'reject'; httpStatus: number | null; message: string };

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS batches (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    destination_id TEXT NOT NULL,
    project_id     TEXT NOT NULL,
    signal         TEXT NOT NULL,
    encoding       TEXT NOT NULL,
    items          INTEGER NOT NULL,
    bytes          INTEGER NOT NULL,
    enqueued_at    INTEGER NOT NULL,
    payload        BLOB NOT NULL
  );
  CREATE INDEX IF NOT EXISTS batches_by_destination ON batches (destination_id, seq);
  CREATE TABLE IF NOT EXISTS counters (
    destination_id       TEXT PRIMARY KEY,
    spans_sent           INTEGER NOT NULL DEFAULT 0,
    logs_sent            INTEGER NOT NULL DEFAULT 0,
    batches_retried      INTEGER NOT NULL DEFAULT 0,
    batches_rejected     INTEGER NOT NULL DEFAULT 0,
    batches_dropped      INTEGER NOT NULL DEFAULT 0,
    last_success_at      INTEGER,
    last_error_at        INTEGER,
    last_error_status    INTEGER,
    last_error_message   TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0
  );
`;

interface CounterRow {
  spans_sent: number;
  logs_sent: number;
  batches_retried: number;
  batches_rejected: number;
  batches_dropped: number;
  last_success_at: number | null;
  last_error_at: number | null;
  last_error_status: number | null;
  last_error_message: string | null;
  consecutive_failures: number;
}

interface BatchRow {
  seq: number;
  signal: Signal;
  encoding: OtlpEncoding;
  items: number;
  bytes: number;
  enqueued_at: number;
}

export interface Outbox {
  /** Commits the batches (one per destination) in one transaction, then applies each destination's bound. */
  enqueue(batches: readonly NewBatch[], now: number): void;
  /** The oldest batches of a destination, of the head's signal and encoding, up to `maxBytes` (at least one). */
  head(destinationId: string, maxBytes: number, maxBatches: number): QueuedBatch[];
  /** Records one send attempt of `batches`: sent or rejected batches leave the queue. */
  settle(destinationId: string, batches: readonly QueuedBatch[], result: AttemptResult, now: number): void;
  /** Drops batches past the age bound; returns how many. */
  expire(destinationId: string, now: number): number;
  /** Removes a deleted destination's queue and counters. */
  forget(destinationId: string): void;
  /** Destinations with something queued, and their project. */
  queued(): { destinationId: string; projectId: string }[];
  figures(destinationId: string): OutboxFigures;
  close(): void;
}

export function openOutbox(
  file: string,
  limits: Partial<OutboxLimits> = {},
  options: { readonly?: boolean } = {},
): Outbox {
  const bound = { ...DEFAULT_OUTBOX_LIMITS, ...limits };
  const db = new Database(file, { timeout: 5000, readonly: options.readonly ?? false });
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    // WAL + NORMAL: a commit survives the process being killed; only an OS crash may lose the last ones.
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
  }
  // Each statement is compiled once, on first use: preparing costs more than most of these statements' runs.
  const compiled = new Map<string, Database.Statement>();
  const statement = (sql: string): Database.Statement => {
    let prepared = compiled.get(sql);
    if (!prepared) {
      prepared = db.prepare(sql);
      compiled.set(sql, prepared);
    }
    return prepared;
  };
  const insert = options.readonly
    ? null
    : statement(
        `INSERT INTO batches (destination_id, project_id, signal, encoding, items, bytes, enqueued_at, payload)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
  const ensureCounters = (id: string) =>
    statement('INSERT OR IGNORE INTO counters (destination_id) VALUES (?)').run(id);
  const queuedBytes = (id: string) =>
    (statement('SELECT COALESCE(SUM(bytes), 0) AS b FROM batches WHERE destination_id = ?').get(id) as { b: number }).b;
  const addDropped = (id: string, n: number) => {
    if (n > 0)
      statement('UPDATE counters SET batches_dropped = batches_dropped + ? WHERE destination_id = ?').run(n, id);
  };

  /** Deletes the oldest batches until the destination is within its byte bound; the newest is always kept. */
  const trimToBytes = (id: string) => {
    let excess = queuedBytes(id) - bound.maxBytes;
    if (excess <= 0) return;
    const oldest = statement('SELECT seq, bytes FROM batches WHERE destination_id = ? ORDER BY seq').iterate(
      id,
    ) as IterableIterator<{ seq: number; bytes: number }>;
    const doomed: number[] = [];
    for (const row of oldest) {
      if (excess <= 0) break;
      doomed.push(row.seq);
      excess -= row.bytes;
    }
    const remove = statement('DELETE FROM batches WHERE seq = ?');
    for (const seq of doomed) remove.run(seq);
    addDropped(id, doomed.length);
  };

  const expire = (id: string, now: number) => {
    const { changes } = statement('DELETE FROM batches WHERE destination_id = ? AND enqueued_at < ?').run(
      id,
      now - bound.maxAgeMs,
    );
    addDropped(id, changes);
    return changes;
  };

  const enqueue = db.transaction((batches: readonly NewBatch[], now: number) => {
    for (const b of batches) {
      ensureCounters(b.destinationId);
      insert?.run(b.destinationId, b.projectId, b.signal, b.encoding, b.items, b.payload.length, now, b.payload);
    }
    for (const id of new Set(batches.map((b) => b.destinationId))) {
      expire(id, now);
      trimToBytes(id);
    }
  });

  const settle = db.transaction((id: string, batches: readonly QueuedBatch[], result: AttemptResult, now: number) => {
    ensureCounters(id);
    if (result.kind === 'retry') {
      statement(
        `UPDATE counters SET batches_retried = batches_retried + ?, consecutive_failures = consecutive_failures + 1,
             last_error_at = ?, last_error_status = ?, last_error_message = ? WHERE destination_id = ?`,
      ).run(batches.length, now, result.httpStatus, result.message, id);
      return;
    }
    const remove = statement('DELETE FROM batches WHERE seq = ?');
    for (const b of batches) remove.run(b.seq);
    if (result.kind === 'reject') {
      statement(
        // A rejection is not retried, so the destination shows failing at once, not retrying.
        `UPDATE counters SET batches_rejected = batches_rejected + ?, consecutive_failures = MAX(consecutive_failures + 1, ${FAILING_AFTER}),
             last_error_at = ?, last_error_status = ?, last_error_message = ? WHERE destination_id = ?`,
      ).run(batches.length, now, result.httpStatus, result.message, id);
      return;
    }
    const spans = batches.filter((b) => b.signal === 'traces').reduce((n, b) => n + b.items, 0);
    const logs = batches.filter((b) => b.signal === 'logs').reduce((n, b) => n + b.items, 0);
    statement(
      `UPDATE counters SET spans_sent = spans_sent + ?, logs_sent = logs_sent + ?, consecutive_failures = 0,
           last_success_at = ? WHERE destination_id = ?`,
    ).run(spans, logs, now, id);
  });

  return {
    enqueue: (batches, now) => {
      if (batches.length > 0) enqueue.immediate(batches, now);
    },
    head(id, maxBytes, maxBatches) {
      // The rows first without their payloads: only the picked batches' bodies are read.
      const rows = statement(
        `SELECT seq, signal, encoding, items, bytes, enqueued_at FROM batches
         WHERE destination_id = ? ORDER BY seq LIMIT ?`,
      ).all(id, maxBatches) as BatchRow[];
      const first = rows[0];
      if (!first) return [];
      const payloadOf = statement('SELECT payload FROM batches WHERE seq = ?');
      const picked: QueuedBatch[] = [];
      let bytes = 0;
      for (const row of rows) {
        if (row.signal !== first.signal || row.encoding !== first.encoding) break;
        if (picked.length > 0 && bytes + row.bytes > maxBytes) break;
        bytes += row.bytes;
        picked.push({
          seq: row.seq,
          signal: row.signal,
          encoding: row.encoding,
          items: row.items,
          bytes: row.bytes,
          enqueuedAt: row.enqueued_at,
          payload: (payloadOf.get(row.seq) as { payload: Buffer }).payload,
        });
      }
      return picked;
    },
    settle: (id, batches, result, now) => settle.immediate(id, batches, result, now),
    expire: (id, now) => db.transaction(() => expire(id, now)).immediate(),
    forget: (id) =>
      db
        .transaction(() => {
          statement('DELETE FROM batches WHERE destination_id = ?').run(id);
          statement('DELETE FROM counters WHERE destination_id = ?').run(id);
        })
        .immediate(),
    queued: () =>
      (
        statement('SELECT DISTINCT destination_id, project_id FROM batches').all() as {
          destination_id: string;
          project_id: string;
        }[]
      ).map((r) => ({ destinationId: r.destination_id, projectId: r.project_id })),
    figures(id) {
      const queue = statement(
        'SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS bytes, MIN(enqueued_at) AS oldest FROM batches WHERE destination_id = ?',
      ).get(id) as { n: number; bytes: number; oldest: number | null };
      const c = statement('SELECT * FROM counters WHERE destination_id = ?').get(id) as CounterRow | undefined;
      return {
        spansSent: c?.spans_sent ?? 0,
        logsSent: c?.logs_sent ?? 0,
        batchesQueued: queue.n,
        batchesRetried: c?.batches_retried ?? 0,
        batchesRejected: c?.batches_rejected ?? 0,
        batchesDropped: c?.batches_dropped ?? 0,
        queueBytes: queue.bytes,
        oldestEnqueuedAt: queue.oldest,
        lastSuccessAt: c?.last_success_at ?? null,
        lastError:
          c?.last_error_at != null
            ? { at: c.last_error_at, httpStatus: c.last_error_status, message: c.last_error_message ?? '' }
            : null,
        consecutiveFailures: c?.consecutive_failures ?? 0,
      };
    },
    close: () => db.close(),
  };
}

/** The state a destination shows (DESIGN §9). */
export function stateOf(enabled: boolean, figures: OutboxFigures): ForwardState {
  if (!enabled) return 'disabled';
  if (figures.consecutiveFailures === 0) return 'ok';
  return figures.consecutiveFailures >= FAILING_AFTER ? 'failing' : 'retrying';
}
