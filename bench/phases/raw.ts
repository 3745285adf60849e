/**
 * The ingest limit, measured on the same rows in the same run:
 *  - store-direct: the store's own `write` called in-process with the facts
 *    the collector would have produced (no HTTP, no protobuf decode, no mapping);
 *  - raw SQL: plain prepared INSERTs of the same facts into the same schema in
 *    one transaction per 500-span batch, with none of the store's merging
 *    (trigger/delivery derivation, upserts): the floor SQLite itself sets.
 */
import type { IngestBatch } from '@tooltrace/conventions';
import { openSqliteStore } from '@tooltrace/store';
import Database from 'better-sqlite3';
import { Progress } from '../lib/progress.ts';
import { type BenchConfig, fileSizeMb, freshStore } from './context.ts';

export interface RawResult {
  logs: number;
  spans: number;
  seconds: number;
  spansPerSec: number;
  logsPerSec: number;
  dbMb: number;
}

/** Times writing every batch with `write`, one call per batch, until `close` returns. */
async function timeWrites(
  label: string,
  file: string,
  batches: readonly IngestBatch[],
  spans: number,
  write: (batch: IngestBatch) => unknown,
  close: () => unknown,
): Promise<RawResult> {
  const logs = batches.reduce((n, b) => n + b.logs.length, 0);
  const progress = new Progress(label, logs, ' logs');
  const started = performance.now();
  try {
    for (const batch of batches) {
      await write(batch);
      progress.tick(batch.logs.length);
    }
  } finally {
    await close();
  }
  const seconds = (performance.now() - started) / 1000;
  progress.finish();
  return { logs, spans, seconds, spansPerSec: spans / seconds, logsPerSec: logs / seconds, dbMb: fileSizeMb(file) };
}

export async function runStoreDirect(
  config: BenchConfig,
  batches: readonly IngestBatch[],
  spans: number,
): Promise<RawResult> {
  const prepared = await freshStore(config, 'store-direct');
  // Checkpoints in a thread of their own, as the collector's store has them (`tooltrace start`): the limit is the
  // store as it runs there, minus HTTP, decoding and the hand-off to its writer thread. The clock starts once that
  // thread has had time to start (it takes ~50 ms), as it has in the collector after its start-up and warm-up.
  const store = openSqliteStore({ path: prepared.file, retentionSweepIntervalMs: 0, backgroundCheckpoints: true });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return timeWrites(
    'ingest (store.write)',
    prepared.file,
    batches,
    spans,
    (batch) => store.write(prepared.projectId, batch),
    () => store.close(),
  );
}

export async function runRawSql(
  config: BenchConfig,
  batches: readonly IngestBatch[],
  spans: number,
): Promise<RawResult> {
  const prepared = await freshStore(config, 'raw-sql');
  const db = new Database(prepared.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const p = prepared.projectId;
  // The store's layout of logs: one row per trace and write, its entries a JSON array (store/src/sqlite/log-chunks.ts).
  const insertLogChunk = db.prepare(
    'INSERT INTO log_chunks (project_id, trace_id, log_ids, entries) VALUES (?, ?, ?, ?)',
  );
  const insertToolCall = db.prepare(`INSERT OR IGNORE INTO tool_calls (project_id, trace_id, span_id, type, tool_name,
    integration, user_id, status, http_status, error_code, error_message, started_at, duration_ms, parameters)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertEvent =
    db.prepare(`INSERT OR IGNORE INTO trigger_events (project_id, trace_id, event_id, type, trigger_id,
    trigger_name, integration, subscription_model, root_user_id, user_ids, received_at, root_seen, processing_failed, status)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, 'queued')`);
  const insertAttempt = db.prepare(`INSERT OR IGNORE INTO delivery_attempts (project_id, trace_id, span_id, delivery_id,
    event_id, trigger_id, attempt, final, user_id, webhook_url, http_status, succeeded, started_at, duration_ms)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertDelivery = db.prepare(`INSERT OR REPLACE INTO deliveries (project_id, delivery_id, trace_id, event_id,
    trigger_id, user_id, webhook_url, status, attempts, created_at, last_attempt_at, duration_ms, last_http_status)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const upsertTrace = db.prepare(`INSERT INTO traces (project_id, trace_id, started_at, log_count) VALUES (?, ?, ?, ?)
    ON CONFLICT (project_id, trace_id) DO UPDATE SET log_count = log_count + excluded.log_count`);
  const writeBatch = db.transaction((batch: IngestBatch) => {
    const perTrace = new Map<string, { startedAt: number; logs: IngestBatch['logs'] }>();
    for (const l of batch.logs) {
      const t = perTrace.get(l.traceId);
      if (t) t.logs.push(l);
      else perTrace.set(l.traceId, { startedAt: l.timeMs, logs: [l] });
    }
    for (const [traceId, t] of perTrace) {
      const entries = t.logs.map((l) => [
        l.id,
        l.spanId,
        l.parentSpanId,
        l.source,
        l.timeMs,
        l.subMsNanos,
        l.level,
        l.kind,
        l.name,
        l.message,
        l.attributes,
        l.durationMs,
        l.body,
        l.serviceName,
        l.links ?? null,
      ]);
      insertLogChunk.run(p, traceId, JSON.stringify(t.logs.map((l) => l.id)), JSON.stringify(entries));
    }
    for (const c of batch.toolCalls) {
      insertToolCall.run(
        p,
        c.traceId,
        c.spanId,
        c.type,
        c.toolName,
        c.integration,
        c.userId,
        c.status,
        c.httpStatus,
        c.errorCode,
        c.errorMessage,
        c.startedAtMs,
        c.durationMs,
        c.parameters,
      );
    }
    for (const t of batch.triggers) {
      if (!t.root) continue;
      const r = t.root;
      insertEvent.run(
        p,
        t.traceId,
        r.eventId,
        t.type,
        r.triggerId,
        r.triggerName,
        r.integration,
        r.subscriptionModel,
        r.userId,
        JSON.stringify(r.userId ? [r.userId] : []),
        r.receivedAtMs,
        t.processingFailed ? 1 : 0,
      );
    }
    for (const a of batch.deliveryAttempts) {
      const startedAt = a.startedAtMs;
      insertAttempt.run(
        p,
        a.traceId,
        a.spanId,
        a.deliveryId,
        a.eventId,
        a.triggerId,
        a.attempt,
        a.final ? 1 : 0,
        a.userId,
        a.webhookUrl,
        a.httpStatus,
        a.succeeded ? 1 : 0,
        startedAt,
        a.durationMs,
      );
      insertDelivery.run(
        p,
        a.deliveryId,
        a.traceId,
        a.eventId,
        a.triggerId,
        a.userId,
        a.webhookUrl,
        a.succeeded ? 'succeeded' : a.final ? 'failed' : 'pending',
        a.attempt,
        startedAt,
        startedAt,
        a.durationMs,
        a.httpStatus,
      );
    }
    for (const [traceId, t] of perTrace) upsertTrace.run(p, traceId, t.startedAt, t.logs.length);
  });
  return timeWrites(
    'ingest (raw SQL)',
    prepared.file,
    batches,
    spans,
    (batch) => writeBatch.immediate(batch),
    () => db.close(),
  );
}
