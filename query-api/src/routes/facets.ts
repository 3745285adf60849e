import { type ApiRoute, defineRoute } from '../route.ts';
import { ToolCallFacets, ToolCallFiltersQuery, TriggerEventFacets, TriggerEventFiltersQuery } from '../schemas.ts';
import type { RouteDeps } from './deps.ts';

const FACET_RULE = 'each facet respects every filter except its own, so a picker still lists the alternatives';

export function facetRoutes({ store }: RouteDeps): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/facets/tool-calls',
      summary: 'Distinct values with counts for the Tools filter pickers',
      description: FACET_RULE,
      auth: true,
      query: ToolCallFiltersQuery,
      ok: { description: 'facets of tool calls', schema: ToolCallFacets },
      handle: ({ query }, { project }) => store.toolCallFacets(project.projectId, query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/facets/trigger-events',
      summary: 'Distinct values with counts for the Triggers filter pickers',
      description: FACET_RULE,
      auth: true,
      query: TriggerEventFiltersQuery,
      ok: { description: 'facets of trigger events', schema: TriggerEventFacets },
      handle: ({ query }, { project }) => store.triggerEventFacets(project.projectId, query),
    }),
  ];
}
