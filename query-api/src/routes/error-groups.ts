/** Failed tool calls grouped by what went wrong (DESIGN §6): the Tools tab's Errors view. */
import { DAY_MS } from '@tooltrace/conventions';
import { type ApiRoute, defineRoute } from '../route.ts';
import { ErrorGroups, ErrorGroupsQuery } from '../schemas.ts';
import { isoTime } from '../serialise.ts';
import type { RouteDeps } from './deps.ts';

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
          from: isoTime(from),
          to: isoTime(to),
          items: groups.map((g) => ({ ...g, firstSeen: isoTime(g.firstSeen), lastSeen: isoTime(g.lastSeen) })),
        };
      },
    }),
  ];
}
