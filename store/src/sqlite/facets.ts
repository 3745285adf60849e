/**
 * The facet reads. A facet filtered by nothing but its own field (which a
 * facet ignores) and a time range reads kept counts (facet-ranges.ts): the
 * whole project's without a range; with one, the per-day counts plus the
 * partial edge days, so the answer always equals a scan. Any other filter
 * scans the filtered records. Each runs inside the caller's read snapshot, so
 * the facets of a view agree.
 */
import type { TimeRange, ToolCallFacets, ToolCallFilters, TriggerEventFacets, TriggerEventFilters } from '../store.ts';
import { TOOL_CALL_FACET_COLUMNS, TRIGGER_EVENT_FACET_COLUMNS } from './facet-counts.ts';
import { countRows, keptFacets } from './facet-ranges.ts';
import { toolCallWhere, triggerEventWhere } from './filters.ts';
import { facetValues } from './queries.ts';
import type { Statements } from './statements.ts';

export function toolCallFacets(s: Statements, projectId: string, filters: ToolCallFilters): ToolCallFacets {
  const kept = keptFacets(s, projectId, 'tool_calls', rangeOf(filters), (edge, into) =>
    countRows(
      into,
      TOOL_CALL_FACET_COLUMNS,
      edgeRows(s, 'tool_calls t', qualified(TOOL_CALL_FACET_COLUMNS), 't.started_at', projectId, edge),
    ),
  );
  const facet = (key: keyof ToolCallFilters, column: string) =>
    onlyRangeAnd(filters, key) ? kept(column) : facetValues(s, toolCallWhere(projectId, filters, key), `t.${column}`);
  return {
    integrations: facet('integration', 'integration'),
    toolNames: facet('toolName', 'tool_name'),
    userIds: facet('userId', 'user_id'),
    statuses: facet('status', 'status'),
    types: facet('type', 'type'),
  };
}

export function triggerEventFacets(s: Statements, projectId: string, filters: TriggerEventFilters): TriggerEventFacets {
  const kept = keptFacets(s, projectId, 'trigger_events', rangeOf(filters), (edge, into) => {
    const events = edgeRows(
      s,
      'trigger_events t',
      qualified(TRIGGER_EVENT_FACET_COLUMNS),
      't.received_at',
      projectId,
      edge,
    );
    countRows(into, TRIGGER_EVENT_FACET_COLUMNS, events);
    const users = edgeRows(s, `trigger_events t ${JOIN_USERS}`, ['fu.user_id'], 't.received_at', projectId, edge);
    countRows(into, ['user_id'], users);
  });
  const facet = (key: keyof TriggerEventFilters, column: string) =>
    onlyRangeAnd(filters, key)
      ? kept(column)
      : facetValues(s, triggerEventWhere(projectId, filters, key), `t.${column}`);
  // Users live in their own table (an event has several); join it to the events the other filters keep.
  const userWhere = triggerEventWhere(projectId, filters, 'userId');
  return {
    integrations: facet('integration', 'integration'),
    triggerNames: facet('triggerName', 'trigger_name'),
    userIds: onlyRangeAnd(filters, 'userId')
      ? kept('user_id')
      : facetValues(s, { ...userWhere, from: `${userWhere.from} ${JOIN_USERS}` }, 'fu.user_id'),
    statuses: facet('status', 'status'),
    types: facet('type', 'type'),
  };
}

const JOIN_USERS = 'JOIN trigger_event_users fu ON fu.project_id = t.project_id AND fu.trace_id = t.trace_id';

/** The given columns of the records in one edge range, in one pass over the time index. */
function edgeRows(
  s: Statements,
  from: string,
  columns: readonly string[],
  time: string,
  projectId: string,
  edge: TimeRange,
): Iterable<unknown[]> {
  const where = ['t.project_id = ?'];
  const params: unknown[] = [projectId];
  if (edge.from !== undefined) {
    where.push(`${time} >= ?`);
    params.push(edge.from);
  }
  if (edge.to !== undefined) {
    where.push(`${time} < ?`);
    params.push(edge.to);
  }
  const sql = `SELECT ${columns.join(', ')} FROM ${from} WHERE ${where.join(' AND ')}`;
  return s
    .get(sql)
    .raw()
    .iterate(...params) as Iterable<unknown[]>;
}

const qualified = (columns: readonly string[]) => columns.map((c) => `t.${c}`);

const rangeOf = (filters: TimeRange): TimeRange => ({ from: filters.from, to: filters.to });

/** True when no filter but (possibly) `own` and the time range is set. */
function onlyRangeAnd<F extends object>(filters: F, own: keyof F): boolean {
  return Object.entries(filters).every(
    ([key, value]) => key === own || key === 'from' || key === 'to' || value === undefined,
  );
}
