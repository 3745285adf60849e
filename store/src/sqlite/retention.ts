/**
 * Retention (DESIGN §5): age and count limits, whichever is reached first;
 * the oldest traces go first, a whole trace at a time, with every record
 * derived from it. Runs inside the caller's transaction.
 */
import { DAY_MS, type RetentionLimits } from '@tooltrace/conventions';
import type { RetentionRun, RetentionStatus } from '../store.ts';
import { countEventUser, countRecord, FacetTally } from './facet-counts.ts';
import type { ProjectRow, ToolCallRow, TriggerEventRow } from './rows.ts';
import type { Statements } from './statements.ts';

const CHUNK = 500;

interface TraceRow {
  trace_id: string;
  started_at: number;
  log_count: number;
}

const OLDEST_TRACES =
  'SELECT trace_id, started_at, log_count FROM traces WHERE project_id = ? ORDER BY started_at, trace_id LIMIT ?';

/** The cheap post-write test: one primary-key read and one index seek, no counting. */
export function retentionDue(s: Statements, project: ProjectRow, now: number): boolean {
  if (project.max_logs !== null && project.log_count > project.max_logs) return true;
  if (project.max_age_days === null) return false;
  const oldest = oldestTraceStart(s, project.project_id);
  return oldest !== null && oldest < now - project.max_age_days * DAY_MS;
}

/** Epoch ms of the project's oldest trace (one index seek); null when it has none. */
export function oldestTraceStart(s: Statements, projectId: string): number | null {
  const oldest = s.one<{ started_at: number }>(
    'SELECT started_at FROM traces WHERE project_id = ? ORDER BY started_at LIMIT 1',
    projectId,
  );
  return oldest?.started_at ?? null;
}

/** The project's plan, limits and log figures, as `Store.retentionStatus` answers them. */
export function retentionStatusOf(s: Statements, row: ProjectRow): RetentionStatus {
  return {
    plan: row.plan,
    limits: { maxAgeDays: row.max_age_days, maxLogs: row.max_logs },
    logCount: row.log_count,
    logsDropped: row.logs_dropped,
    oldestLogAtMs: oldestTraceStart(s, row.project_id),
    ageRetention: 'sweep',
  };
}

export interface RetentionStep extends RetentionRun {
  /** The step stopped at `maxTraces`; more traces may be due. */
  more: boolean;
}

const TRACES_AFTER =
  'SELECT trace_id, started_at, log_count FROM traces WHERE project_id = ? AND (started_at > ? OR (started_at = ? AND trace_id > ?)) ORDER BY started_at, trace_id LIMIT ?';

/**
 * The traces the limits make due, oldest first, while the project holds
 * `logCount` logs: each is past the age cutoff or the project is still over
 * its count cap without the traces before it. Pages by (start, trace ID), one
 * query per page, so the caller may delete each trace as it comes.
 */
function* dueTraces(
  s: Statements,
  projectId: string,
  limits: RetentionLimits,
  logCount: number,
  now: number,
): Generator<TraceRow> {
  const cutoff = limits.maxAgeDays === null ? null : now - limits.maxAgeDays * DAY_MS;
  let left = logCount;
  let page = s.all<TraceRow>(OLDEST_TRACES, projectId, CHUNK);
  while (page.length > 0) {
    for (const trace of page) {
      const tooOld = cutoff !== null && trace.started_at < cutoff;
      const tooMany = limits.maxLogs !== null && left > limits.maxLogs;
      if (!tooOld && !tooMany) return;
      yield trace;
      left -= trace.log_count;
    }
    if (page.length < CHUNK) return;
    const last = page.at(-1)!;
    page = s.all<TraceRow>(TRACES_AFTER, projectId, last.started_at, last.started_at, last.trace_id, CHUNK);
  }
}

function limitsOf(project: ProjectRow): RetentionLimits {
  return { maxAgeDays: project.max_age_days, maxLogs: project.max_logs };
}

/** What enforcing `limits` would delete now, deleting nothing (the same walk as the enforcement). */
export function previewProjectRetention(
  s: Statements,
  project: ProjectRow,
  limits: RetentionLimits,
  now: number,
): RetentionRun {
  const run: RetentionRun = { tracesDeleted: 0, logsDeleted: 0 };
  for (const trace of dueTraces(s, project.project_id, limits, project.log_count, now)) {
    run.tracesDeleted += 1;
    run.logsDeleted += trace.log_count;
  }
  return run;
}

/**
 * Deletes due traces, at most `maxTraces` of them, so one transaction never
 * holds the write lock long enough to time out another writer (the collector,
 * another process). Callers loop, one transaction per step, while `more`.
 */
export function enforceProjectRetention(
  s: Statements,
  project: ProjectRow,
  now: number,
  maxTraces: number,
): RetentionStep {
  const run: RetentionStep = { tracesDeleted: 0, logsDeleted: 0, more: false };
  const tally = new FacetTally(project.project_id);
  for (const trace of dueTraces(s, project.project_id, limitsOf(project), project.log_count, now)) {
    if (run.tracesDeleted >= maxTraces) {
      run.more = true;
      break;
    }
    deleteTrace(s, tally, trace.trace_id);
    run.tracesDeleted += 1;
    run.logsDeleted += trace.log_count;
  }
  tally.flush(s);
  if (run.logsDeleted > 0 || run.tracesDeleted > 0) {
    s.run(
      'UPDATE projects SET log_count = log_count - ?, logs_dropped = logs_dropped + ? WHERE project_id = ?',
      run.logsDeleted,
      run.logsDeleted,
      project.project_id,
    );
  }
  return run;
}

const TRACE_TABLES = [
  'log_chunks',
  'tool_calls',
  'trigger_events',
  'trigger_event_users',
  'delivery_attempts',
  'deliveries',
  'traces',
] as const;

function deleteTrace(s: Statements, tally: FacetTally, traceId: string): void {
  const { projectId } = tally;
  const byTrace = 'WHERE project_id = ? AND trace_id = ?';
  for (const call of s.all<ToolCallRow>(`SELECT * FROM tool_calls ${byTrace}`, projectId, traceId)) {
    countRecord(tally, 'tool_calls', call, -1);
  }
  const event = s.one<TriggerEventRow>(`SELECT * FROM trigger_events ${byTrace}`, projectId, traceId);
  if (event) countRecord(tally, 'trigger_events', event, -1);
  for (const u of s.all<{ user_id: string; received_at: number }>(
    `SELECT user_id, received_at FROM trigger_event_users ${byTrace}`,
    projectId,
    traceId,
  )) {
    countEventUser(tally, u.user_id, u.received_at, -1);
  }
  for (const table of TRACE_TABLES)
    s.run(`DELETE FROM ${table} WHERE project_id = ? AND trace_id = ?`, projectId, traceId);
}
