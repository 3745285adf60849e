/**
 * The facet reads. A facet filtered by nothing but its own field and a time
 * range reads kept counts (facet-counts.ts): the whole project's without a
 * range; with one, the per-day counts of the whole UTC days inside it plus an
 * exact scan of the partial days at its edges, so the answer always equals a
 * scan. Any other filter scans the filtered records. Each runs inside the
 * caller's read snapshot, so the facets of a view agree.
 */
import { FACET_LIMIT } from '../request-checks.ts';
import type {
  FacetValue,
  TimeRange,
  ToolCallFacets,
  ToolCallFilters,
  TriggerEventFacets,
  TriggerEventFilters,
} from '../store.ts';
import { countedFacet, DAY_MS, dayOf, type FacetKind } from './facet-counts.ts';
import { toolCallWhere, triggerEventWhere, type Where } from './filters.ts';
import { facetValues } from './queries.ts';
import type { Statements } from './statements.ts';

export function toolCallFacets(s: Statements, projectId: string, filters: ToolCallFilters): ToolCallFacets {
  const facet = (key: keyof ToolCallFilters, column: string) =>
    onlyRangeAnd(filters, key)
      ? keptFacet(s, projectId, 'tool_calls', column, filters, (range) => toolCallWhere(projectId, range))
      : facetValues(s, toolCallWhere(projectId, filters, key), column);
  return {
    integrations: facet('integration', 't.integration'),
    toolNames: facet('toolName', 't.tool_name'),
    userIds: facet('userId', 't.user_id'),
    statuses: facet('status', 't.status'),
    types: facet('type', 't.type'),
  };
}

export function triggerEventFacets(s: Statements, projectId: string, filters: TriggerEventFilters): TriggerEventFacets {
  const facet = (key: keyof TriggerEventFilters, column: string) =>
    onlyRangeAnd(filters, key)
      ? keptFacet(s, projectId, 'trigger_events', column, filters, (range) => triggerEventWhere(projectId, range))
      : facetValues(s, triggerEventWhere(projectId, filters, key), column);
  // Users live in their own table (an event has several); join it to the events the other filters keep.
  const withUsers = (w: Where): Where => ({
    ...w,
    from: `${w.from} JOIN trigger_event_users fu ON fu.project_id = t.project_id AND fu.trace_id = t.trace_id`,
  });
  return {
    integrations: facet('integration', 't.integration'),
    triggerNames: facet('triggerName', 't.trigger_name'),
    userIds: onlyRangeAnd(filters, 'userId')
      ? keptFacet(s, projectId, 'trigger_events', 'fu.user_id', filters, (range) =>
          withUsers(triggerEventWhere(projectId, range)),
        )
      : facetValues(s, withUsers(triggerEventWhere(projectId, filters, 'userId')), 'fu.user_id'),
    statuses: facet('status', 't.status'),
    types: facet('type', 't.type'),
  };
}

/** True when no filter but (possibly) `own` and the time range is set. */
function onlyRangeAnd<F extends object>(filters: F, own: keyof F): boolean {
  return Object.entries(filters).every(
    ([key, value]) => key === own || key === 'from' || key === 'to' || value === undefined,
  );
}

/**
 * A facet from kept counts. `column` is the qualified column of `scan`'s
 * tables; its name without the alias is the counted facet's name.
 */
function keptFacet(
  s: Statements,
  projectId: string,
  kind: FacetKind,
  column: string,
  filters: TimeRange,
  scan: (range: TimeRange) => Where,
): FacetValue[] {
  const facet = column.slice(column.indexOf('.') + 1);
  // The facet's own filter is ignored: only the range is passed on to `scan`.
  const range: TimeRange = { from: filters.from, to: filters.to };
  if (range.from === undefined && range.to === undefined) return countedFacet(s, projectId, kind, facet);
  const split = splitByDays(range);
  if (!split) return facetValues(s, scan(range), column);
  const dayWhere = ['project_id = ?', 'kind = ?', 'facet = ?'];
  const params: unknown[] = [projectId, kind, facet];
  if (split.days.from !== undefined) {
    dayWhere.push('day >= ?');
    params.push(split.days.from);
  }
  if (split.days.to !== undefined) {
    dayWhere.push('day < ?');
    params.push(split.days.to);
  }
  const parts = [`SELECT value, count AS n FROM facet_day_counts WHERE ${dayWhere.join(' AND ')}`];
  for (const edge of split.edges) {
    const w = scan(edge);
    parts.push(`SELECT ${column} AS value, COUNT(*) AS n FROM ${w.from}
      WHERE ${[...w.where, `${column} IS NOT NULL`].join(' AND ')} GROUP BY ${column}`);
    params.push(...w.params);
  }
  return s.all<FacetValue>(
    `SELECT value, SUM(n) AS count FROM (${parts.join(' UNION ALL ')})
     GROUP BY value HAVING count > 0 ORDER BY count DESC, value ASC LIMIT ${FACET_LIMIT}`,
    ...params,
  );
}

export interface DaySplit {
  /** Day starts `[from, to)` whose whole days lie inside the range; an open side is unbounded. */
  days: TimeRange;
  /** The partial days at the edges, to be counted exactly. */
  edges: TimeRange[];
}

/**
 * Splits `[from, to)` into whole UTC days and the partial days at its edges;
 * null when no whole day lies inside (then the range is scanned as it is).
 */
export function splitByDays(range: TimeRange): DaySplit | null {
  const from = range.from === undefined ? undefined : Math.trunc(range.from);
  const to = range.to === undefined ? undefined : Math.trunc(range.to);
  const firstDay = from === undefined ? undefined : dayOf(from) === from ? from : dayOf(from) + DAY_MS;
  const endDay = to === undefined ? undefined : dayOf(to);
  if (firstDay !== undefined && endDay !== undefined && firstDay >= endDay) return null;
  const edges: TimeRange[] = [];
  if (from !== undefined && firstDay !== undefined && from < firstDay) edges.push({ from, to: firstDay });
  if (to !== undefined && endDay !== undefined && endDay < to) edges.push({ from: endDay, to });
  return { days: { from: firstDay, to: endDay }, edges };
}
