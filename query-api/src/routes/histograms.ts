/** Counts per time bucket and status for the timeline charts; the bucket size follows the range. */
import { DAY_MS, type HistogramBucket, planBuckets } from '@tooltrace/conventions';
import type { HistogramRequest } from '@tooltrace/store';
import type { z } from 'zod';
import { BadRequestError } from '../errors.ts';
import { type ApiRoute, defineRoute } from '../route.ts';
import { Histogram, ToolCallHistogramQuery, TriggerEventHistogramQuery } from '../schemas.ts';
import { isoTime } from '../serialise.ts';
import type { RouteDeps } from './deps.ts';

const DESCRIPTION =
  'from/to default to the last 24 hours; the bucket size is the smallest of 1s, 5s, 10s, 15s, 30s, 1m, 5m, 10m, 15m, 30m, 1h, 3h, 6h, 12h, 1d, 7d, 30d (then whole days) giving at most `buckets` epoch-aligned buckets. Every bucket is listed, empty ones with no counts.';

interface HistogramQuery {
  from?: number;
  to?: number;
  buckets: number;
}

/** The filters a store reads a histogram with: the query's, with the range resolved. */
type HistogramFilters<Q extends HistogramQuery> = Omit<Q, 'buckets'> & { from: number; to: number };

/**
 * Resolves the range, plans the buckets and asks the store, which lists every planned bucket (empty ones
 * too, so charts need no gap filling); times become ISO strings here, at the edge.
 */
export async function histogram<Q extends HistogramQuery>(
  query: Q,
  now: number,
  read: (filters: HistogramFilters<Q>, request: HistogramRequest) => Promise<HistogramBucket[]>,
) {
  const { buckets: target, ...filters } = query;
  const to = filters.to ?? (filters.from !== undefined ? Math.max(now, filters.from + 1) : now);
  const from = filters.from ?? to - DAY_MS;
  if (from >= to) throw new BadRequestError('query parameter "from": must be earlier than "to"', 'invalid_parameter');
  const plan = planBuckets(from, to, target);
  const buckets = await read({ ...filters, from, to }, { from: plan.start, to: plan.end, bucketMs: plan.bucketMs });
  return {
    from: isoTime(plan.start),
    to: isoTime(to),
    bucketMs: plan.bucketMs,
    buckets: buckets.map((b) => ({ start: isoTime(b.start), counts: b.counts })),
  };
}

/** The histogram route of one record kind: `/api/v1/histogram/{noun}`. */
function histogramRoute<Q extends z.ZodType<HistogramQuery>>(
  noun: 'tool-calls' | 'trigger-events',
  summary: string,
  query: Q,
  now: () => number,
  read: (
    projectId: string,
    filters: HistogramFilters<z.output<Q>>,
    request: HistogramRequest,
  ) => Promise<HistogramBucket[]>,
): ApiRoute {
  return defineRoute({
    method: 'get',
    path: `/api/v1/histogram/${noun}`,
    summary,
    description: DESCRIPTION,
    auth: true,
    query,
    ok: { description: 'the histogram', schema: Histogram },
    handle: ({ query }, { project }) =>
      histogram(query, now(), (filters, request) => read(project.projectId, filters, request)),
  });
}

export function histogramRoutes({ store, now }: RouteDeps): ApiRoute[] {
  return [
    histogramRoute('tool-calls', 'Tool calls per time bucket and status', ToolCallHistogramQuery, now, (p, f, r) =>
      store.toolCallHistogram(p, f, r),
    ),
    histogramRoute(
      'trigger-events',
      'Trigger events per time bucket and status',
      TriggerEventHistogramQuery,
      now,
      (p, f, r) => store.triggerEventHistogram(p, f, r),
    ),
  ];
}
