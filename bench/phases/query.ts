/**
 * Query latency through the HTTP query API (child process) on the filled
 * store: every query of the UI's first screen and detail views, ≥ 200 timed
 * runs each after a warm-up, interleaved so no query runs only on a hot cache.
 */
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

const DAY_MS = 86_400_000;

function at<T>(list: readonly T[], run: number): T {
  if (list.length === 0) throw new Error('the fill produced no sample values to query for');
  return list[run % list.length]!;
}

function querySpecs(samples: Samples, nowMs: number): QuerySpec[] {
  const q = (params: Record<string, string | number>) =>
    `?${new URLSearchParams(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])))}`;
  const items = (json: unknown) => ((json as { items?: unknown[] }).items ?? []).length;
  const logs = (json: unknown) => ((json as { logs?: unknown[] }).logs ?? []).length;
  const month = { from: nowMs - 30 * DAY_MS, to: nowMs };
  return [
    {
      name: 'tool call by requestId',
      group: 'lookup',
      path: (r) => `/api/v1/tool-calls/${at(samples.requestIds, r)}`,
      size: logs,
    },
    {
      name: 'trace by requestId',
      group: 'lookup',
      path: (r) => `/api/v1/traces/${at(samples.requestIds, r)}`,
      size: logs,
    },
    {
      name: 'trigger event detail',
      group: 'lookup',
      path: (r) => `/api/v1/trigger-events/${encodeURIComponent(at(samples.eventIds, r))}`,
      size: logs,
    },
    { name: 'tool calls page', group: 'list', path: () => '/api/v1/tool-calls', size: items },
    {
      name: 'tool calls ?userId',
      group: 'list',
      path: (r) => `/api/v1/tool-calls${q({ userId: at(samples.userIds, r) })}`,
      size: items,
    },
    {
      name: 'tool calls ?integration',
      group: 'list',
      path: (r) => `/api/v1/tool-calls${q({ integration: at(samples.integrations, r) })}`,
      size: items,
    },
    {
      name: 'tool calls ?status=error',
      group: 'list',
      path: () => `/api/v1/tool-calls${q({ status: 'error' })}`,
      size: items,
    },
    {
      name: 'tool calls ?toolName',
      group: 'list',
      path: (r) => `/api/v1/tool-calls${q({ toolName: at(samples.toolNames, r) })}`,
      size: items,
    },
    {
      name: 'tool calls ?type=list_tools',
      group: 'list',
      path: () => `/api/v1/tool-calls${q({ type: 'list_tools' })}`,
      size: items,
    },
    {
      name: 'tool calls ?traceId',
      group: 'list',
      path: (r) => `/api/v1/tool-calls${q({ traceId: at(samples.requestIds, r) })}`,
      size: items,
    },
    {
      name: 'tool calls ?from&to (one day)',
      group: 'list',
      path: () => `/api/v1/tool-calls${q({ from: nowMs - 2 * DAY_MS, to: nowMs - DAY_MS })}`,
      size: items,
    },
    {
      name: 'tool calls ?user&status',
      group: 'list',
      path: (r) => `/api/v1/tool-calls${q({ userId: at(samples.userIds, r), status: 'error' })}`,
      size: items,
    },
    { name: 'trigger events page', group: 'list', path: () => '/api/v1/trigger-events', size: items },
    {
      name: 'trigger events ?userId',
      group: 'list',
      path: (r) => `/api/v1/trigger-events${q({ userId: at(samples.userIds, r) })}`,
      size: items,
    },
    {
      name: 'trigger events ?integration',
      group: 'list',
      path: (r) => `/api/v1/trigger-events${q({ integration: at(samples.integrations, r) })}`,
      size: items,
    },
    {
      name: 'trigger events ?status',
      group: 'list',
      path: () => `/api/v1/trigger-events${q({ status: 'delivery_failures' })}`,
      size: items,
    },
    {
      name: 'trigger events ?type',
      group: 'list',
      path: () => `/api/v1/trigger-events${q({ type: 'subscription' })}`,
      size: items,
    },
    {
      name: 'trigger events ?triggerName',
      group: 'list',
      path: (r) => `/api/v1/trigger-events${q({ triggerName: at(samples.triggerNames, r) })}`,
      size: items,
    },
    { name: 'facets tool calls', group: 'aggregate', path: () => '/api/v1/facets/tool-calls' },
    { name: 'facets trigger events', group: 'aggregate', path: () => '/api/v1/facets/trigger-events' },
    { name: 'histogram tool calls 30 d', group: 'aggregate', path: () => `/api/v1/histogram/tool-calls${q(month)}` },
    {
      name: 'histogram trigger events 30 d',
      group: 'aggregate',
      path: () => `/api/v1/histogram/trigger-events${q(month)}`,
    },
    {
      name: 'histogram tool calls 30 d ?status',
      group: 'aggregate',
      path: () => `/api/v1/histogram/tool-calls${q({ ...month, status: 'error' })}`,
    },
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
