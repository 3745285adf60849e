import type { z } from 'zod';
import { type ApiRoute, defineRoute } from '../route.ts';
import { ToolCallFacets, ToolCallFiltersQuery, TriggerEventFacets, TriggerEventFiltersQuery } from '../schemas.ts';
import type { RouteDeps } from './deps.ts';

const FACET_RULE = 'each facet respects every filter except its own, so a picker still lists the alternatives';

/** The facets route of one record kind: `/api/v1/facets/{noun}`. */
function facetRoute<Q extends z.ZodType, R extends z.ZodType>(
  noun: 'tool-calls' | 'trigger-events',
  tab: string,
  schemas: { query: Q; answer: R },
  read: (projectId: string, filters: z.output<Q>) => Promise<z.input<R>>,
): ApiRoute {
  return defineRoute({
    method: 'get',
    path: `/api/v1/facets/${noun}`,
    summary: `Distinct values with counts for the ${tab} filter pickers`,
    description: FACET_RULE,
    auth: true,
    query: schemas.query,
    ok: { description: `facets of ${noun.replace('-', ' ')}`, schema: schemas.answer },
    handle: ({ query }, { project }) => read(project.projectId, query),
  });
}

export function facetRoutes({ store }: RouteDeps): ApiRoute[] {
  return [
    facetRoute('tool-calls', 'Tools', { query: ToolCallFiltersQuery, answer: ToolCallFacets }, (p, f) =>
      store.toolCallFacets(p, f),
    ),
    facetRoute('trigger-events', 'Triggers', { query: TriggerEventFiltersQuery, answer: TriggerEventFacets }, (p, f) =>
      store.triggerEventFacets(p, f),
    ),
  ];
}
