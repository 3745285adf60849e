/**
 * Turns §6 filters into a WHERE clause of fixed SQL fragments plus bound
 * parameters. Values are compared with `=` (never LIKE), so `%`, `_` and
 * quotes match literally.
 */
import type { ToolCallFilters, TriggerEventFilters } from '../store.ts';

export interface Where {
  /** FROM clause with the table aliases the sort columns use. */
  from: string;
  where: string[];
  params: unknown[];
  /** Column holding the sort time (ms), qualified. */
  time: string;
}

type Omit1<F> = keyof F | undefined;

/** `column = ?` for each filter that is set, except the one a facet counts without. */
function addEquals<F>(w: Where, f: F, omit: Omit1<F>, columns: readonly (readonly [keyof F, string])[]): void {
  for (const [key, column] of columns) {
    const value = f[key];
    if (value === undefined || key === omit) continue;
    w.where.push(`${column} = ?`);
    w.params.push(value);
  }
}

export function toolCallWhere(projectId: string, f: ToolCallFilters, omit?: Omit1<ToolCallFilters>): Where {
  const w: Where = { from: 'tool_calls t', where: ['t.project_id = ?'], params: [projectId], time: 't.started_at' };
  addEquals(w, f, omit, [
    ['userId', 't.user_id'],
    ['integration', 't.integration'],
    ['status', 't.status'],
    ['toolName', 't.tool_name'],
    ['type', 't.type'],
    ['traceId', 't.trace_id'],
    ['errorCategory', 't.error_category'],
    ['errorGroup', 't.error_group'],
    ['errorCode', 't.error_code'],
    ['httpStatus', 't.http_status'],
    ['toolCallId', 't.tool_call_id'],
  ]);
  addTimeRange(w, f);
  return w;
}

export function triggerEventWhere(projectId: string, f: TriggerEventFilters, omit?: Omit1<TriggerEventFilters>): Where {
  const byUser = f.userId !== undefined && omit !== 'userId';
  // A user filter walks the per-user table in time order and joins the event, so it is one index range too.
  const w: Where = byUser
    ? {
        from: 'trigger_event_users u JOIN trigger_events t ON t.project_id = u.project_id AND t.trace_id = u.trace_id',
        where: ['u.project_id = ?', 'u.user_id = ?'],
        params: [projectId, f.userId],
        time: 'u.received_at',
      }
    : { from: 'trigger_events t', where: ['t.project_id = ?'], params: [projectId], time: 't.received_at' };
  addEquals(w, f, omit, [
    ['integration', 't.integration'],
    ['status', 't.status'],
    ['type', 't.type'],
    ['triggerName', 't.trigger_name'],
  ]);
  if (f.deliveryId !== undefined && omit !== 'deliveryId') {
    w.where.push(
      't.trace_id IN (SELECT a.trace_id FROM delivery_attempts a WHERE a.project_id = ? AND a.delivery_id = ?)',
    );
    w.params.push(projectId, f.deliveryId);
  }
  addTimeRange(w, f);
  return w;
}

function addTimeRange(w: Where, f: { from?: number; to?: number }): void {
  if (f.from !== undefined) {
    w.where.push(`${w.time} >= ?`);
    w.params.push(Math.trunc(f.from));
  }
  if (f.to !== undefined) {
    w.where.push(`${w.time} < ?`);
    w.params.push(Math.trunc(f.to));
  }
}

/** The trace column matching `time` (same table alias), for the sort key. */
export function traceColumn(w: Where): string {
  return w.time.startsWith('u.') ? 'u.trace_id' : 't.trace_id';
}
