/**
 * The SQLite side of user attribution across requests (../user-inheritance.ts):
 * the stored inherited-user calls of the batch's traces (a partial index, empty
 * for traffic that names the user on every span) and the stored span users of
 * the traces that need them. Runs inside the write's transaction.
 */
import type { IngestBatch, ToolCallFact } from '@tooltrace/conventions';
import {
  ownUserOf,
  type SpanUser,
  tracesNeedingAncestors,
  tracesWithSpans,
  withInheritedUsers,
} from '../user-inheritance.ts';
import { readTraceLogs } from './log-chunks.ts';
import { type ToolCallRow, toolCallFromRow } from './rows.ts';
import type { Statements } from './statements.ts';

const INHERITING_CALLS = 'SELECT * FROM tool_calls WHERE project_id = ? AND trace_id = ? AND user_inherited = 1';

export function inheritUsers(s: Statements, projectId: string, batch: IngestBatch): IngestBatch {
  const stored = tracesWithSpans(batch).flatMap((traceId) =>
    s.all<ToolCallRow>(INHERITING_CALLS, projectId, traceId).map(factOfRow),
  );
  const traces = tracesNeedingAncestors(batch, stored);
  if (traces.length === 0) return batch;
  const spans = traces.flatMap((traceId) =>
    readTraceLogs(s, projectId, traceId).flatMap((log): SpanUser[] =>
      log.source === 'span' && log.spanId !== null
        ? [{ traceId, spanId: log.spanId, parentSpanId: log.parentSpanId, userId: ownUserOf(log.attributes) }]
        : [],
    ),
  );
  return withInheritedUsers(batch, stored, spans);
}

function factOfRow(row: ToolCallRow): ToolCallFact {
  const { projectId: _projectId, ...call } = toolCallFromRow(row);
  return { ...call, userInherited: true };
}
