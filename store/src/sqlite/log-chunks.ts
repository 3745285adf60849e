/**
 * The log entries of a trace, stored as chunks: one row per trace and write
 * holding that write's entries of the trace as one JSON array (migration 16).
 * Logs are only ever read a whole trace at a time (the trace view, user
 * attribution) and deleted a whole trace at a time (retention), so one row
 * and one index entry per trace and write do the work that one row and one
 * index entry per log did; `store.write` took 17 % less time (bench/README.md).
 *
 * A log ID lives in exactly one chunk of its trace: a write that brings IDs
 * already stored takes them out of their old chunks first, so the newest
 * version wins (as the upsert did) and counting what is new stays exact. A
 * trace written many times has its chunks merged into one every
 * MAX_CHUNKS_PER_TRACE writes.
 */
import { compareStoredLogs, type LogFact, type SpanLink, type StoredLog } from '@tooltrace/conventions';
import type { Statements } from './statements.ts';

/** One log entry, positionally (a chunk holds many; names would repeat in every one). */
type Entry = [
  id: string,
  spanId: string | null,
  parentSpanId: string | null,
  source: LogFact['source'],
  timeMs: number,
  subMsNanos: number,
  level: LogFact['level'],
  kind: LogFact['kind'],
  name: string | null,
  message: string,
  attributes: LogFact['attributes'],
  durationMs: number | null,
  body: string | null,
  serviceName: string | null,
  links: SpanLink[] | null,
];

function toEntry(log: LogFact): Entry {
  return [
    log.id,
    log.spanId,
    log.parentSpanId,
    log.source,
    log.timeMs,
    log.subMsNanos,
    log.level,
    log.kind,
    log.name,
    log.message,
    log.attributes,
    log.durationMs,
    log.body,
    log.serviceName,
    log.links ?? null,
  ];
}

function fromEntry(projectId: string, traceId: string, e: Entry): StoredLog {
  return {
    id: e[0],
    projectId,
    traceId,
    spanId: e[1],
    parentSpanId: e[2],
    source: e[3],
    timeMs: e[4],
    subMsNanos: e[5],
    level: e[6],
    kind: e[7],
    name: e[8],
    message: e[9],
    attributes: e[10],
    durationMs: e[11],
    body: e[12],
    serviceName: e[13],
    ...(e[14] === null ? {} : { links: e[14] }),
  };
}

const CHUNK_IDS = 'SELECT rowid, log_ids FROM log_chunks WHERE project_id = ? AND trace_id = ?';
const CHUNK_ENTRIES = 'SELECT entries FROM log_chunks WHERE rowid = ?';
const TRACE_ENTRIES = 'SELECT entries FROM log_chunks WHERE project_id = ? AND trace_id = ?';
const INSERT_CHUNK = 'INSERT INTO log_chunks (project_id, trace_id, log_ids, entries) VALUES (?, ?, ?, ?)';
const UPDATE_CHUNK = 'UPDATE log_chunks SET log_ids = ?, entries = ? WHERE rowid = ?';
const DELETE_CHUNK = 'DELETE FROM log_chunks WHERE rowid = ?';
const DELETE_TRACE_CHUNKS = 'DELETE FROM log_chunks WHERE project_id = ? AND trace_id = ?';

/**
 * Chunks a trace may have before a write merges them into one. Every write
 * reads the ID lists of its traces' chunks, so a long-lived trace (an agent
 * session exported every few seconds) would otherwise cost each write more
 * than the last; merging every so often bounds that at this many small reads.
 */
export const MAX_CHUNKS_PER_TRACE = 16;

function insertChunk(s: Statements, projectId: string, traceId: string, entries: readonly Entry[]): void {
  s.run(INSERT_CHUNK, projectId, traceId, JSON.stringify(entries.map((e) => e[0])), JSON.stringify(entries));
}

/**
 * Stores `logs` (all of one trace, IDs distinct) as a new chunk, after taking
 * the IDs they bring out of the trace's stored chunks (or, once the trace has
 * MAX_CHUNKS_PER_TRACE, as one chunk with all its other entries). Returns how
 * many of them were not stored before.
 */
export function writeTraceLogs(s: Statements, projectId: string, traceId: string, logs: readonly LogFact[]): number {
  const arriving = logs.map(toEntry);
  const stored = s.all<{ rowid: number; log_ids: string }>(CHUNK_IDS, projectId, traceId);
  if (stored.length === 0) {
    insertChunk(s, projectId, traceId, arriving);
    return logs.length;
  }
  const ids = new Set(logs.map((l) => l.id));
  const chunks = stored.map((chunk) => {
    const chunkIds = JSON.parse(chunk.log_ids) as string[];
    return { rowid: chunk.rowid, size: chunkIds.length, replaced: chunkIds.filter((id) => ids.has(id)).length };
  });
  const fresh = logs.length - chunks.reduce((n, chunk) => n + chunk.replaced, 0);
  if (chunks.length >= MAX_CHUNKS_PER_TRACE) {
    const kept = s
      .all<{ entries: string }>(TRACE_ENTRIES, projectId, traceId)
      .flatMap(({ entries }) => (JSON.parse(entries) as Entry[]).filter((e) => !ids.has(e[0])));
    s.run(DELETE_TRACE_CHUNKS, projectId, traceId);
    insertChunk(s, projectId, traceId, [...kept, ...arriving]);
    return fresh;
  }
  for (const chunk of chunks) {
    if (chunk.replaced === 0) continue;
    if (chunk.replaced === chunk.size) {
      s.run(DELETE_CHUNK, chunk.rowid);
      continue;
    }
    const { entries } = s.one<{ entries: string }>(CHUNK_ENTRIES, chunk.rowid)!;
    const kept = (JSON.parse(entries) as Entry[]).filter((e) => !ids.has(e[0]));
    s.run(UPDATE_CHUNK, JSON.stringify(kept.map((e) => e[0])), JSON.stringify(kept), chunk.rowid);
  }
  insertChunk(s, projectId, traceId, arriving);
  return fresh;
}

/** Every log of a trace, in time order (then ID). */
export function readTraceLogs(s: Statements, projectId: string, traceId: string): StoredLog[] {
  const logs: StoredLog[] = [];
  for (const { entries } of s.all<{ entries: string }>(TRACE_ENTRIES, projectId, traceId)) {
    for (const e of JSON.parse(entries) as Entry[]) logs.push(fromEntry(projectId, traceId, e));
  }
  return logs.sort(compareStoredLogs);
}

/** A batch's logs by trace, each ID once (a later entry of an ID replaces an earlier one, as a re-send does). */
export function logsByTrace(logs: readonly LogFact[]): Map<string, LogFact[]> {
  const byTrace = new Map<string, Map<string, LogFact>>();
  for (const log of logs) {
    let ofTrace = byTrace.get(log.traceId);
    if (!ofTrace) {
      ofTrace = new Map();
      byTrace.set(log.traceId, ofTrace);
    }
    ofTrace.set(log.id, log);
  }
  return new Map([...byTrace].map(([traceId, ofTrace]) => [traceId, [...ofTrace.values()]]));
}
