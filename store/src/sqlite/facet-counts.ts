/**
 * Per-project counts of every facet value per UTC day of the record's list
 * time (`facet_day_counts`), kept exact inside each write and retention
 * transaction: a record's old values are taken off before its new values are
 * added. They serve facets over a time range (facet-ranges.ts adds the partial
 * days at the edges by scanning them) and unfiltered facets (the sum over
 * every day). Other filters still scan.
 */
import { DAY_MS } from '@tooltrace/conventions';
import type { Statements } from './statements.ts';

export type FacetKind = 'tool_calls' | 'trigger_events';

export const TOOL_CALL_FACET_COLUMNS = ['integration', 'tool_name', 'user_id', 'status', 'type'] as const;
/** `user_id` of trigger events is counted from their user list, see {@link countEventUser}. */
export const TRIGGER_EVENT_FACET_COLUMNS = ['integration', 'trigger_name', 'status', 'type'] as const;

/** Start (epoch ms) of the UTC day holding `ms`; the same rule as migration 9's backfill. */
export const dayOf = (ms: number): number => ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);

/** A ToolCallRow (`started_at`) or TriggerEventRow (`received_at`): the time lists sort and filter by. */
type FacetRow = { started_at?: number; received_at?: number };

const columnsOf = (kind: FacetKind): readonly string[] =>
  kind === 'tool_calls' ? TOOL_CALL_FACET_COLUMNS : TRIGGER_EVENT_FACET_COLUMNS;

const timeOf = (kind: FacetKind, row: FacetRow): number => {
  const time = kind === 'tool_calls' ? row.started_at : row.received_at;
  if (typeof time !== 'number') throw new TypeError(`${kind} row without its list time`);
  return time;
};

const ADD = `INSERT INTO facet_day_counts (project_id, kind, facet, day, value, count) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (project_id, kind, facet, day, value) DO UPDATE SET count = count + excluded.count`;
const DROP_ZERO = `DELETE FROM facet_day_counts
  WHERE project_id = ? AND kind = ? AND facet = ? AND day = ? AND value = ? AND count <= 0`;

interface Change {
  kind: FacetKind;
  facet: string;
  value: string;
  day: number;
  delta: number;
}

/**
 * The facet count changes of one transaction, summed per value and day
 * and written once at its end: a batch of 500 spans moves the same few
 * values (a status, a tool name) hundreds of times, and a re-derived record
 * takes off and adds back the same ones.
 */
export class FacetTally {
  private readonly changes = new Map<string, Change>();
  constructor(readonly projectId: string) {}

  add(kind: FacetKind, facet: string, value: unknown, time: number, delta: 1 | -1): void {
    if (typeof value !== 'string') return;
    const day = dayOf(time);
    const key = `${kind}\u0000${facet}\u0000${day}\u0000${value}`;
    const change = this.changes.get(key);
    if (change) change.delta += delta;
    else this.changes.set(key, { kind, facet, value, day, delta });
  }

  /** Writes the summed changes; a count taken down to zero is deleted. */
  flush(s: Statements): void {
    const p = this.projectId;
    for (const { kind, facet, value, day, delta } of this.changes.values()) {
      if (delta === 0) continue;
      s.run(ADD, p, kind, facet, day, value, delta);
      if (delta < 0) s.run(DROP_ZERO, p, kind, facet, day, value);
    }
    this.changes.clear();
  }
}

/** Adds (+1) or removes (-1) one record's values; `row` has the snake_case facet columns. */
export function countRecord(tally: FacetTally, kind: FacetKind, row: FacetRow, delta: 1 | -1): void {
  const values = row as unknown as Record<string, unknown>;
  const time = timeOf(kind, row);
  for (const column of columnsOf(kind)) tally.add(kind, column, values[column], time, delta);
}

/** Moves a record's counts from its stored values (and day) to its new ones (either may be absent). */
export function recount(
  tally: FacetTally,
  kind: FacetKind,
  before: FacetRow | undefined,
  after: FacetRow | undefined,
): void {
  const a = before as unknown as Record<string, unknown> | undefined;
  const b = after as unknown as Record<string, unknown> | undefined;
  if (
    before &&
    after &&
    dayOf(timeOf(kind, before)) === dayOf(timeOf(kind, after)) &&
    columnsOf(kind).every((c) => a?.[c] === b?.[c])
  )
    return;
  if (before) countRecord(tally, kind, before, -1);
  if (after) countRecord(tally, kind, after, 1);
}

/** One user of a trigger event, counted on the day of the event's `received_at`. */
export function countEventUser(tally: FacetTally, userId: string, receivedAt: number, delta: 1 | -1): void {
  tally.add('trigger_events', 'user_id', userId, receivedAt, delta);
}
