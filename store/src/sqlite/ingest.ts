/**
 * Applies one IngestBatch inside the caller's transaction: upserts the facts
 * keyed by their IDs, then re-derives the TriggerEvent and Delivery records
 * (and their statuses, §4) of every trigger trace the batch touched. Merges
 * are commutative (min of times, sticky OR of failure flags, root fields win)
 * so arrival order does not matter and re-sending a batch changes nothing.
 */
import type { IngestBatch } from '@tooltrace/conventions';
import { FacetTally, recount } from './facet-counts.ts';
import { logsByTrace, writeTraceLogs } from './log-chunks.ts';
import { sameValues, type ToolCallRow, toolCallToRow } from './rows.ts';
import type { Statements } from './statements.ts';
import { applyTriggerFacts } from './trigger-batch.ts';
import { inheritUsers } from './user-inheritance.ts';

/** Per trace: earliest time seen and number of logs newly inserted. */
type TraceTouches = Map<string, { startedAt: number; newLogs: number }>;

/** `arriving` has passed checkedBatch (../validate-batch.ts). */
export function applyBatch(s: Statements, projectId: string, arriving: IngestBatch): void {
  const batch = inheritUsers(s, projectId, arriving);
  const tally = new FacetTally(projectId);
  const touches: TraceTouches = new Map();
  const touch = (traceId: string, time: number, newLogs = 0) => {
    const t = touches.get(traceId);
    if (!t) touches.set(traceId, { startedAt: time, newLogs });
    else {
      t.startedAt = Math.min(t.startedAt, time);
      t.newLogs += newLogs;
    }
  };

  for (const [traceId, logs] of logsByTrace(batch.logs)) {
    const fresh = writeTraceLogs(s, projectId, traceId, logs);
    touch(
      traceId,
      logs.reduce((min, l) => Math.min(min, l.timeMs), Number.POSITIVE_INFINITY),
      fresh,
    );
  }

  for (const fact of batch.toolCalls) {
    const row = toolCallToRow(projectId, fact);
    if (s.run(INSERT_TOOL_CALL, row).changes === 1) recount(tally, 'tool_calls', undefined, row);
    else {
      // Re-read only what was there before, for its facet counts; an identical re-send writes nothing.
      const stored = s.one<ToolCallRow>(SELECT_TOOL_CALL, projectId, row.trace_id, row.span_id);
      if (!stored || !sameValues(stored, row)) {
        s.run(UPSERT_TOOL_CALL, row);
        recount(tally, 'tool_calls', stored, row);
      }
    }
    touch(row.trace_id, row.started_at);
  }

  applyTriggerFacts(s, tally, batch.triggers, batch.deliveryAttempts, touch);
  tally.flush(s);

  let newLogs = 0;
  for (const [traceId, t] of touches) {
    s.run(UPSERT_TRACE, projectId, traceId, t.startedAt, t.newLogs);
    newLogs += t.newLogs;
  }
  if (newLogs > 0) s.run('UPDATE projects SET log_count = log_count + ? WHERE project_id = ?', newLogs, projectId);
}

const INSERT_TOOL_CALL_ROW = `INSERT INTO tool_calls
  (project_id, trace_id, span_id, type, tool_name, integration, user_id, status, http_status, error_code,
   error_message, error_category, error_group, tool_call_id, started_at, duration_ms, parameters, user_inherited)
  VALUES (@project_id, @trace_id, @span_id, @type, @tool_name, @integration, @user_id, @status, @http_status,
   @error_code, @error_message, @error_category, @error_group, @tool_call_id, @started_at, @duration_ms, @parameters,
   @user_inherited)`;

/** Key conflicts only: a missing NOT NULL value still throws. */
const INSERT_TOOL_CALL = `${INSERT_TOOL_CALL_ROW} ON CONFLICT (project_id, trace_id, span_id) DO NOTHING`;

const UPSERT_TOOL_CALL = `${INSERT_TOOL_CALL_ROW}
  ON CONFLICT (project_id, trace_id, span_id) DO UPDATE SET type = excluded.type, tool_name = excluded.tool_name,
   integration = excluded.integration, user_id = excluded.user_id, status = excluded.status,
   http_status = excluded.http_status, error_code = excluded.error_code, error_message = excluded.error_message,
   error_category = excluded.error_category, error_group = excluded.error_group,
   tool_call_id = excluded.tool_call_id, started_at = excluded.started_at, duration_ms = excluded.duration_ms,
   parameters = excluded.parameters, user_inherited = excluded.user_inherited`;

const UPSERT_TRACE = `INSERT INTO traces (project_id, trace_id, started_at, log_count) VALUES (?, ?, ?, ?)
  ON CONFLICT (project_id, trace_id) DO UPDATE SET started_at = MIN(started_at, excluded.started_at),
   log_count = log_count + excluded.log_count`;

const SELECT_TOOL_CALL = 'SELECT * FROM tool_calls WHERE project_id = ? AND trace_id = ? AND span_id = ?';
