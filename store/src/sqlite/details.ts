/**
 * The detail reads: a whole trace, one trigger event with its deliveries, and
 * which of some traces hold a tool call or trigger event. Each runs inside
 * the caller's read snapshot, so the parts agree.
 */
import { checkTraceLookup } from '../request-checks.ts';
import type { TraceDetail, TriggerEventDetail } from '../store.ts';
import { readTraceLogs } from './log-chunks.ts';
import {
  type DeliveryRow,
  deliveryFromRow,
  type ToolCallRow,
  type TriggerEventRow,
  toolCallFromRow,
  triggerEventFromRow,
} from './rows.ts';
import type { Statements } from './statements.ts';
import { DELIVERIES_OF_TRACE } from './trigger-batch.ts';

export function traceDetail(s: Statements, projectId: string, traceId: string): TraceDetail | null {
  const exists = s.one('SELECT 1 FROM traces WHERE project_id = ? AND trace_id = ?', projectId, traceId);
  if (!exists) return null;
  const toolCalls = s
    .all<ToolCallRow>(
      'SELECT * FROM tool_calls WHERE project_id = ? AND trace_id = ? ORDER BY started_at, span_id',
      projectId,
      traceId,
    )
    .map(toolCallFromRow);
  const triggerEvents = s
    .all<TriggerEventRow>('SELECT * FROM trigger_events WHERE project_id = ? AND trace_id = ?', projectId, traceId)
    .map(triggerEventFromRow);
  const logs = readTraceLogs(s, projectId, traceId);
  return { toolCalls, triggerEvents, logs };
}

export function triggerEventDetail(s: Statements, projectId: string, eventId: string): TriggerEventDetail | null {
  const row = s.one<TriggerEventRow>(
    'SELECT * FROM trigger_events WHERE project_id = ? AND event_id = ? ORDER BY received_at DESC LIMIT 1',
    projectId,
    eventId,
  );
  if (!row) return null;
  const deliveries = s.all<DeliveryRow>(DELIVERIES_OF_TRACE, projectId, projectId, row.trace_id).map(deliveryFromRow);
  return { event: triggerEventFromRow(row), deliveries, logs: readTraceLogs(s, projectId, row.trace_id) };
}

// tool_calls_by_trace (project_id, trace_id, span_id) and trigger_events' primary key (project_id, trace_id).
const HAS_TOOL_CALL = 'SELECT 1 FROM tool_calls WHERE project_id = ? AND trace_id = ? LIMIT 1';
const HAS_TRIGGER_EVENT = 'SELECT 1 FROM trigger_events WHERE project_id = ? AND trace_id = ?';

/** Two index lookups per trace. */
export function tracesWithRecords(s: Statements, projectId: string, traceIds: readonly string[]): Set<string> {
  return new Set(
    checkTraceLookup(traceIds).filter(
      (traceId) => s.one(HAS_TOOL_CALL, projectId, traceId) ?? s.one(HAS_TRIGGER_EVENT, projectId, traceId),
    ),
  );
}
