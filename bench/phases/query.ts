/**
 * Query latency through the HTTP query API (child process) on the filled
 * store: every query of the UI's first screen and detail views, ≥ 200 timed
 * runs each after a warm-up, interleaved so no query runs only on a hot cache.
 */
import { DAY_MS } from '@tooltrace/conventions';
import { startServerChild } from '../lib/child.ts';
import { HttpClient } from '../lib/http.ts';
import { Progress } from '../lib/progress.ts';
import { type LatencySummary, summarize } from '../lib/stats.ts';
import type { BenchConfig } from './context.ts';
import type { FillResult, Samples } from './fill.ts';

export type QueryGroup = 'lookup' | 'list' | 'aggregate';

/** Goals of issue 8: p99 in ms. Facets have no stated goal; they are held to the aggregate (histogram) goal. */
export const GOAL_P99_MS: Record<QueryGroup, number> = { lookup: 5, list: 25, aggregate: 100 };

export interface QueryResult extends LatencySummary {
  name: string;
  group: QueryGroup;
  goalP99Ms: number;
  failures: number;
  firstFailure: string | null;
  /** Items on the page (lists) or logs (lookups), from the first answer, to show the query returned data. */
  resultSize: number | null;
}

interface QuerySpec {
  name: string;
  group: QueryGroup;
  path: (run: number) => string;
  size?: (json: unknown) => number | null;
}

function at<T>(list: readonly T[], run: number): T {
  if (list.length === 0) throw new Error('the fill produced no sample values to query for');
  return list[run % list.length]!;
}

function querySpecs(samples: Samples, nowMs: number): QuerySpec[] {
  const q = (params: Record<string, string | number>) =>
    `?${new URLSearchParams(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])))}`;
  const logs = (json: unknown) => ((json as { logs?: unknown[] }).logs ?? []).length;
  const items = (json: unknown) => ((json as { items?: unknown[] }).items ?? []).length;
  const lookup = (name: string, path: (run: number) => string): QuerySpec => ({
    name,
    group: 'lookup',
    path,
    size: logs,
  });
  /** A list page of `resource`, filtered by the params a run gives (none: the unfiltered first page). */
  const list = (
    name: string,
    resource: 'tool-calls' | 'trigger-events',
    params: (run: number) => Record<string, string | number> = () => ({}),
  ): QuerySpec => ({
    name,
    group: 'list',
    path: (r) => {
      const filter = params(r);
      return `/api/v1/${resource}${Object.keys(filter).length > 0 ? q(filter) : ''}`;
    },
    size: items,
  });
  const aggregate = (name: string, path: string): QuerySpec => ({ name, group: 'aggregate', path: () => path });
  const month = { from: nowMs - 30 * DAY_MS, to: nowMs };
  return [
    lookup('tool call by requestId', (r) => `/api/v1/tool-calls/${at(samples.requestIds, r)}`),
    lookup('trace by requestId', (r) => `/api/v1/traces/${at(samples.requestIds, r)}`),
    lookup('trigger event detail', (r) => `/api/v1/trigger-events/${encodeURIComponent(at(samples.eventIds, r))}`),
    list('tool calls page', 'tool-calls'),
    list('tool calls ?userId', 'tool-calls', (r) => ({ userId: at(samples.userIds, r) })),
    list('tool calls ?integration', 'tool-calls', (r) => ({ integration: at(samples.integrations, r) })),
    list('tool calls ?status=error', 'tool-calls', () => ({ status: 'error' })),
    list('tool calls ?toolName', 'tool-calls', (r) => ({ toolName: at(samples.toolNames, r) })),
    list('tool calls ?type=list_tools', 'tool-calls', () => ({ type: 'list_tools' })),
    list('tool calls ?traceId', 'tool-calls', (r) => ({ traceId: at(samples.requestIds, r) })),
    list('tool calls ?from&to (one day)', 'tool-calls', () => ({ from: nowMs - 2 * DAY_MS, to: nowMs - DAY_MS })),
    list('tool calls ?user&status', 'tool-calls', (r) => ({ userId: at(samples.userIds, r), status: 'error' })),
    list('trigger events page', 'trigger-events'),
    list('trigger events ?userId', 'trigger-events', (r) => ({ userId: at(samples.userIds, r) })),
    list('trigger events ?integration', 'trigger-events', (r) => ({ integration: at(samples.integrations, r) })),
    list('trigger events ?status', 'trigger-events', () => ({ status: 'delivery_failures' })),
    list('trigger events ?type', 'trigger-events', () => ({ type: 'subscription' })),
    list('trigger events ?triggerName', 'trigger-events', (r) => ({ triggerName: at(samples.triggerNames, r) })),
    aggregate('facets tool calls', '/api/v1/facets/tool-calls'),
    aggregate('facets trigger events', '/api/v1/facets/trigger-events'),
    // What the UI sends: facets always come with the list's 30-day range.
    aggregate('facets tool calls 30 d', `/api/v1/facets/tool-calls${q(month)}`),
    aggregate('facets trigger events 30 d', `/api/v1/facets/trigger-events${q(month)}`),
    aggregate('histogram tool calls 30 d', `/api/v1/histogram/tool-calls${q(month)}`),
    aggregate('histogram trigger events 30 d', `/api/v1/histogram/trigger-events${q(month)}`),
    aggregate('histogram tool calls 30 d ?status', `/api/v1/histogram/tool-calls${q({ ...month, status: 'error' })}`),
  ];
}

export async function runQueries(config: BenchConfig, fill: FillResult, nowMs: number): Promise<QueryResult[]> {
  const specs = querySpecs(fill.samples, nowMs);
  const child = await startServerChild('query-api', fill.store.file);
  const client = new HttpClient(child.url, { authorization: `Bearer ${fill.store.readKey}` }, 1);
  const samples = specs.map(() => [] as number[]);
  const failures = specs.map(() => ({ count: 0, first: null as string | null }));
  const sizes: (number | null)[] = specs.map(() => null);
  const progress = new Progress('queries (HTTP)', (config.warmup + config.runs) * specs.length, ' req');
  try {
    for (let run = 0; run < config.warmup + config.runs; run++) {
      for (const [i, spec] of specs.entries()) {
        const path = spec.path(run);
        const started = performance.now();
        const res = await client.request('GET', path);
        const elapsed = performance.now() - started;
        progress.tick();
        if (res.status !== 200) {
          failures[i]!.count++;
          failures[i]!.first ??= `${path} → ${res.status} ${res.body.toString('utf8').slice(0, 200)}`;
          continue;
        }
        if (sizes[i] === null && spec.size) sizes[i] = spec.size(JSON.parse(res.body.toString('utf8')));
        if (run >= config.warmup) samples[i]!.push(elapsed);
      }
    }
    progress.finish();
  } finally {
    client.close();
    await child.stop();
  }
  return specs.map((spec, i) => ({
    name: spec.name,
    group: spec.group,
    goalP99Ms: GOAL_P99_MS[spec.group],
    failures: failures[i]!.count,
    firstFailure: failures[i]!.first,
    resultSize: sizes[i] ?? null,
    ...summarize(samples[i]!),
  }));
}
