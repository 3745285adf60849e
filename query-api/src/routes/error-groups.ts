/** Failed tool calls grouped by what went wrong (DESIGN §6): the Tools tab's Errors view. */
import { type ApiRoute, defineRoute } from '../route.ts';
import { ErrorGroups, ErrorGroupsQuery } from '../schemas.ts';
import type { RouteDeps } from './deps.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export function errorGroupRoutes({ store, now }: RouteDeps): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/error-groups/tool-calls',
      summary: 'Failed tool calls grouped by errorGroup, largest first',
      description:
        "The same filters as /tool-calls (status is always error). from/to default to the last 24 hours and set the range of each group's trend, cut into `buckets` equal slices.",
      auth: true,
      query: ErrorGroupsQuery,
      ok: { description: 'the error groups', schema: ErrorGroups },
      async handle({ query }, { project }) {
        const { limit, buckets, ...filters } = query;
        const to = filters.to ?? (filters.from !== undefined ? Math.max(now(), filters.from + 1) : now());
        const from = filters.from ?? to - DAY_MS;
        const groups = await store.errorGroups(
          project.projectId,
          { ...filters, from, to },
          { from, to, buckets, limit },
        );
        return {
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
          items: groups.map((g) => ({
            ...g,
            firstSeen: new Date(g.firstSeen).toISOString(),
            lastSeen: new Date(g.lastSeen).toISOString(),
          })),
        };
      },
    }),
  ];
}
