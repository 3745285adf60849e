/**
 * Per-project counts of every facet value, kept exact inside each write and
 * retention transaction: a record's old values are taken off before its new
 * values are added. Unfiltered facets read these instead of scanning an index
 * per facet; filtered facets still scan (their counts depend on the filter).
 */
import { FACET_LIMIT } from '../request-checks.ts';
import type { FacetValue } from '../store.ts';
import type { Statements } from './statements.ts';

export type FacetKind = 'tool_calls' | 'trigger_events';

export const TOOL_CALL_FACET_COLUMNS = ['integration', 'tool_name', 'user_id', 'status', 'type'] as const;
/** `user_id` of trigger events is counted from their user list, see {@link countEventUser}. */
export const TRIGGER_EVENT_FACET_COLUMNS = ['integration', 'trigger_name', 'status', 'type'] as const;

/** A ToolCallRow or TriggerEventRow. */
type FacetRow = { project_id: string };

const columnsOf = (kind: FacetKind): readonly string[] =>
  kind === 'tool_calls' ? TOOL_CALL_FACET_COLUMNS : TRIGGER_EVENT_FACET_COLUMNS;

const ADD = `INSERT INTO facet_counts (project_id, kind, facet, value, count) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (project_id, kind, facet, value) DO UPDATE SET count = count + excluded.count`;
const DROP_ZERO =
  'DELETE FROM facet_counts WHERE project_id = ? AND kind = ? AND facet = ? AND value = ? AND count <= 0';

function add(s: Statements, projectId: string, kind: FacetKind, facet: string, value: unknown, delta: 1 | -1): void {
  if (typeof value !== 'string') return;
  s.run(ADD, projectId, kind, facet, value, delta);
  if (delta < 0) s.run(DROP_ZERO, projectId, kind, facet, value);
}

/** Adds (+1) or removes (-1) one record's values; `row` has the snake_case facet columns. */
export function countRecord(s: Statements, kind: FacetKind, row: FacetRow, delta: 1 | -1): void {
  const values = row as unknown as Record<string, unknown>;
  for (const column of columnsOf(kind)) add(s, row.project_id, kind, column, values[column], delta);
}

/** Moves a record's counts from its stored values to its new ones (either may be absent). */
export function recount(
  s: Statements,
  kind: FacetKind,
  before: FacetRow | undefined,
  after: FacetRow | undefined,
): void {
  const a = before as unknown as Record<string, unknown> | undefined;
  const b = after as unknown as Record<string, unknown> | undefined;
  if (a && b && columnsOf(kind).every((c) => a[c] === b[c])) return;
  if (before) countRecord(s, kind, before, -1);
  if (after) countRecord(s, kind, after, 1);
}

export function countEventUser(s: Statements, projectId: string, userId: string, delta: 1 | -1): void {
  add(s, projectId, 'trigger_events', 'user_id', userId, delta);
}

export function countedFacet(s: Statements, projectId: string, kind: FacetKind, facet: string): FacetValue[] {
  return s.all<FacetValue>(
    `SELECT value, count FROM facet_counts WHERE project_id = ? AND kind = ? AND facet = ? AND count > 0
     ORDER BY count DESC, value ASC LIMIT ${FACET_LIMIT}`,
    projectId,
    kind,
    facet,
  );
}
