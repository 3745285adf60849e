/** Counts per time bucket and status for the timeline charts; the bucket size follows the range. */
import type { HistogramBucket, HistogramRequest } from '@tooltrace/store';
import { bucketStarts, planBuckets } from '../buckets.ts';
import { BadRequestError } from '../errors.ts';
import { type ApiRoute, defineRoute } from '../route.ts';
import { Histogram, ToolCallHistogramQuery, TriggerEventHistogramQuery } from '../schemas.ts';
import type { RouteDeps } from './deps.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const DESCRIPTION =
  'from/to default to the last 24 hours; the bucket size is the smallest of 1s, 5s, 10s, 15s, 30s, 1m, 5m, 10m, 15m, 30m, 1h, 3h, 6h, 12h, 1d, 7d, 30d (then whole days) giving at most `buckets` epoch-aligned buckets. Every bucket is listed, empty ones with no counts.';

interface HistogramQuery {
  from?: number;
  to?: number;
  buckets: number;
}

/** Resolves the range, asks the store, and lists every bucket (empty ones too) so charts need no gap filling. */
export async function histogram<Q extends HistogramQuery>(
  query: Q,
  now: number,
  read: (
    filters: Omit<Q, 'buckets'> & { from: number; to: number },
    request: HistogramRequest,
  ) => Promise<HistogramBucket[]>,
) {
  const { buckets: target, ...filters } = query;
  const to = filters.to ?? (filters.from !== undefined ? Math.max(now, filters.from + 1) : now);
  const from = filters.from ?? to - DAY_MS;
  if (from >= to) throw new BadRequestError('query parameter "from": must be earlier than "to"', 'invalid_parameter');
  const plan = planBuckets(from, to, target);
  const rows = await read({ ...filters, from, to }, { from: plan.start, to: plan.end, bucketMs: plan.bucketMs });
  const counts = bucketStarts(plan).map(() => ({}) as Record<string, number>);
  for (const row of rows) {
    const index = Math.floor((row.start - plan.start) / plan.bucketMs);
    const bucket = counts[index];
    if (!bucket) continue;
    for (const [status, count] of Object.entries(row.counts)) bucket[status] = (bucket[status] ?? 0) + count;
  }
  return {
    from: new Date(plan.start).toISOString(),
    to: new Date(to).toISOString(),
    bucketMs: plan.bucketMs,
    buckets: bucketStarts(plan).map((start, i) => ({ start: new Date(start).toISOString(), counts: counts[i] ?? {} })),
  };
}

export function histogramRoutes({ store, now }: RouteDeps): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/histogram/tool-calls',
      summary: 'Tool calls per time bucket and status',
      description: DESCRIPTION,
      auth: true,
      query: ToolCallHistogramQuery,
      ok: { description: 'the histogram', schema: Histogram },
      handle: ({ query }, { project }) =>
        histogram(query, now(), (filters, request) => store.toolCallHistogram(project.projectId, filters, request)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/histogram/trigger-events',
      summary: 'Trigger events per time bucket and status',
      description: DESCRIPTION,
      auth: true,
      query: TriggerEventHistogramQuery,
      ok: { description: 'the histogram', schema: Histogram },
      handle: ({ query }, { project }) =>
        histogram(query, now(), (filters, request) => store.triggerEventHistogram(project.projectId, filters, request)),
    }),
  ];
}
