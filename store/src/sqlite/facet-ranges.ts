/**
 * Facets over a time range from kept counts: the per-day counts of the whole
 * UTC days inside the range (every day, when the range is open on both
 * sides), plus the records of the partial days at its edges, read once per
 * request in one pass over the time index and counted for every facet at
 * once. The two parts are summed, ordered and cut in SQL (the edge counts
 * travel as one JSON parameter), so the order of values is SQLite's, exactly
 * as a scan would give it.
 */
import { DAY_MS } from '@tooltrace/conventions';
import { FACET_LIMIT } from '../request-checks.ts';
import type { FacetValue, TimeRange } from '../store.ts';
import { dayOf, type FacetKind } from './facet-counts.ts';
import type { Statements } from './statements.ts';

export interface DaySplit {
  /** Day starts `[from, to)` of the whole days inside the range (an open side is unbounded); null: none. */
  days: TimeRange | null;
  /** The partial days at the edges (or the whole range, when no whole day lies inside), counted exactly. */
  edges: TimeRange[];
}

/** Splits `[from, to)` into whole UTC days and the partial days at its edges. */
export function splitByDays(range: TimeRange): DaySplit {
  const from = range.from === undefined ? undefined : Math.trunc(range.from);
  const to = range.to === undefined ? undefined : Math.trunc(range.to);
  const firstDay = from === undefined ? undefined : dayOf(from) === from ? from : dayOf(from) + DAY_MS;
  const endDay = to === undefined ? undefined : dayOf(to);
  if (firstDay !== undefined && endDay !== undefined && firstDay >= endDay)
    return { days: null, edges: [{ from, to }] };
  const edges: TimeRange[] = [];
  if (from !== undefined && firstDay !== undefined && from < firstDay) edges.push({ from, to: firstDay });
  if (to !== undefined && endDay !== undefined && endDay < to) edges.push({ from: endDay, to });
  return { days: { from: firstDay, to: endDay }, edges };
}

/** Value → count per facet name, for the records of one range. */
export type EdgeCounts = Map<string, Map<string, number>>;

/** Counts the facet values of `rows` (arrays in `facets` order) into `into`. */
export function countRows(into: EdgeCounts, facets: readonly string[], rows: Iterable<unknown[]>): void {
  for (const row of rows) {
    facets.forEach((facet, i) => {
      const value = row[i];
      if (typeof value !== 'string') return;
      const counts = into.get(facet) ?? new Map<string, number>();
      into.set(facet, counts.set(value, (counts.get(value) ?? 0) + 1));
    });
  }
}

/**
 * A reader of kept facets for one request: `read(facet)` answers a facet over
 * `range`; the edges are read (by `readEdge`, once per edge) only when a facet
 * needs them.
 */
export function keptFacets(
  s: Statements,
  projectId: string,
  kind: FacetKind,
  range: TimeRange,
  readEdge: (edge: TimeRange, into: EdgeCounts) => void,
): (facet: string) => FacetValue[] {
  const split = splitByDays(range);
  let edges: EdgeCounts | undefined;
  return (facet) => {
    if (!edges) {
      edges = new Map();
      for (const edge of split.edges) readEdge(edge, edges);
    }
    const parts = ['SELECT key AS value, value AS n FROM json_each(?)'];
    const params: unknown[] = [JSON.stringify(Object.fromEntries(edges.get(facet) ?? []))];
    if (split.days) {
      const where = ['project_id = ?', 'kind = ?', 'facet = ?'];
      params.push(projectId, kind, facet);
      if (split.days.from !== undefined) {
        where.push('day >= ?');
        params.push(split.days.from);
      }
      if (split.days.to !== undefined) {
        where.push('day < ?');
        params.push(split.days.to);
      }
      parts.push(`SELECT value, count AS n FROM facet_day_counts WHERE ${where.join(' AND ')}`);
    }
    return s.all<FacetValue>(
      `SELECT value, SUM(n) AS count FROM (${parts.join(' UNION ALL ')})
       GROUP BY value ORDER BY count DESC, value ASC LIMIT ${FACET_LIMIT}`,
      ...params,
    );
  };
}
