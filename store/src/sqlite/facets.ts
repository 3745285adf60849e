/**
 * The facet reads: a facet filtered by nothing but its own field reads the
 * kept counts (facet-counts.ts); any other filter scans the filtered records.
 * Each runs inside the caller's read snapshot, so the facets of a view agree.
 */
import type { ToolCallFacets, ToolCallFilters, TriggerEventFacets, TriggerEventFilters } from '../store.ts';
import { countedFacet } from './facet-counts.ts';
import { toolCallWhere, triggerEventWhere } from './filters.ts';
import { facetValues } from './queries.ts';
import type { Statements } from './statements.ts';

export function toolCallFacets(s: Statements, projectId: string, filters: ToolCallFilters): ToolCallFacets {
  const facet = (key: keyof ToolCallFilters, column: string) =>
    onlyFilter(filters, key)
      ? countedFacet(s, projectId, 'tool_calls', column.slice(2))
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
    onlyFilter(filters, key)
      ? countedFacet(s, projectId, 'trigger_events', column.slice(2))
      : facetValues(s, triggerEventWhere(projectId, filters, key), column);
  const userWhere = triggerEventWhere(projectId, filters, 'userId');
  return {
    integrations: facet('integration', 't.integration'),
    triggerNames: facet('triggerName', 't.trigger_name'),
    // Users live in their own table (an event has several); join it to the events the other filters keep.
    userIds: onlyFilter(filters, 'userId')
      ? countedFacet(s, projectId, 'trigger_events', 'user_id')
      : facetValues(
          s,
          {
            ...userWhere,
            from: `${userWhere.from} JOIN trigger_event_users fu ON fu.project_id = t.project_id AND fu.trace_id = t.trace_id`,
          },
          'fu.user_id',
        ),
    statuses: facet('status', 't.status'),
    types: facet('type', 't.type'),
  };
}

/** True when no filter but (possibly) `own` is set: the facet of `own` then counts the whole project. */
function onlyFilter<F extends object>(filters: F, own: keyof F): boolean {
  return Object.entries(filters).every(([key, value]) => key === own || value === undefined);
}
