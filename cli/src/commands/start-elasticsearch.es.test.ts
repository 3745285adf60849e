/**
 * The whole stack on a real Elasticsearch node (issue 13): `tooltrace start`
 * with TOOLTRACE_STORE=elasticsearch, the demo's SDK traffic through the
 * official OTLP exporters in, the query API out. Run by `npm run test:es` with
 * ELASTICSEARCH_URL (`.ci/es-node.sh start`); skipped with a notice without it.
 * The store writes with `refresh: false`, as in production, in its writer
 * thread (as `tooltrace start` opens it): reads poll (bounded) until the
 * demo's records are searchable.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { toRequestId } from '@tooltrace/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Started, startTooltrace, stopTooltrace } from '../testing/processes.ts';

const url = process.env.ELASTICSEARCH_URL;
if (!url) console.warn('cli: ELASTICSEARCH_URL is not set; the whole-stack Elasticsearch test is SKIPPED.');

interface Page<T> {
  items: T[];
}

describe.skipIf(!url)('tooltrace start on Elasticsearch', () => {
  let dataDir: string;
  let started: Started;
  const field = (name: string) => started.field(name);

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tooltrace-es-start-'));
    started = await startTooltrace(
      dataDir,
      {
        TOOLTRACE_STORE: 'elasticsearch',
        ELASTICSEARCH_URL: url as string,
        TOOLTRACE_DEMO: 'on',
        TOOLTRACE_LOG_LEVEL: 'info',
      },
      /^demo {7}(done|failed):/,
    );
  }, 240_000);

  afterAll(async () => {
    await stopTooltrace(started);
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const api = async <T>(pathAndQuery: string, key = field('read key'), init: RequestInit = {}): Promise<T> => {
    const origin = new URL(field('ui')).origin;
    const response = await fetch(new URL(pathAndQuery, origin), {
      ...init,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    });
    if (!response.ok) throw new Error(`${pathAndQuery}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  /** Polls until `ok` holds: records become searchable within the refresh interval. Bounded: 60 × 250 ms. */
  async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
    let value = await read();
    for (let i = 0; i < 60 && !ok(value); i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      value = await read();
    }
    return value;
  }

  it('when the demo has run, then its tool calls, traces, trigger events, facets and histogram come back', async () => {
    const [, toolCalls, triggerEvents] = /done: (\d+) tool calls, (\d+) trigger events/.exec(field('demo')) ?? [];
    expect(Number(toolCalls)).toBeGreaterThan(0);
    const calls = await eventually(
      () => api<Page<{ traceId: string; status: string }>>('/api/v1/tool-calls?limit=500'),
      (page) => page.items.length >= Number(toolCalls),
    );
    expect(calls.items).toHaveLength(Number(toolCalls));

    const failed = calls.items.find((c) => c.status === 'error') ?? calls.items[0];
    const byRequestId = await eventually(
      () =>
        api<{ toolCalls: { traceId: string }[]; logs: unknown[] }>(
          `/api/v1/tool-calls/${toRequestId(failed?.traceId as string)}`,
        ),
      (trace) => trace.logs.length > 0,
    );
    expect(byRequestId.toolCalls.map((c) => c.traceId)).toContain(failed?.traceId);
    expect(byRequestId.logs.length).toBeGreaterThan(0);

    const events = await eventually(
      () => api<Page<{ eventId: string | null }>>('/api/v1/trigger-events?limit=500'),
      (page) => page.items.length >= Number(triggerEvents),
    );
    expect(events.items).toHaveLength(Number(triggerEvents));
    let deliveries = 0;
    for (const event of events.items.filter((e) => e.eventId !== null)) {
      const detail = await api<{ deliveries: unknown[] }>(`/api/v1/trigger-events/${event.eventId}`);
      deliveries += detail.deliveries.length;
    }
    expect(deliveries).toBeGreaterThan(0);

    const facets = await api<Record<string, { value: string; count: number }[]>>('/api/v1/facets/tool-calls');
    const statusCounts = (facets.statuses ?? []).reduce((sum, v) => sum + v.count, 0);
    expect(statusCounts).toBe(Number(toolCalls));

    const to = Date.now() + 60_000;
    const from = to - 30 * 24 * 3_600_000;
    const histogram = await api<{ buckets: { counts?: Record<string, number> }[] }>(
      `/api/v1/histogram/tool-calls?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`,
    );
    const counted = histogram.buckets.flatMap((b) => Object.values(b.counts ?? {}));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(Number(toolCalls));
  });

  it('when the admin caps the project at a few logs, then retention cuts it to the cap, whole traces, and reports it', async () => {
    const admin = field('admin key');
    const before = await api<{ logCount: number; ageRetention: string }>('/api/v1/project/retention');
    expect(before.logCount).toBeGreaterThan(20);
    expect(['ilm', 'data_stream_lifecycle', 'sweep']).toContain(before.ageRetention);
    const cap = Math.floor(before.logCount / 2);
    const after = await api<{ logCount: number; logsDropped: number; plan: string }>(
      '/api/v1/project/retention',
      admin,
      { method: 'PUT', body: JSON.stringify({ plan: 'enterprise', limits: { maxLogs: cap, maxAgeDays: null } }) },
    );
    expect(after.plan).toBe('enterprise');
    expect(after.logCount).toBeLessThanOrEqual(cap);
    expect(after.logsDropped).toBe(before.logCount - after.logCount);
  });

  it('when started, then the log says which retention mechanisms the cluster gets and that writes run in the writer thread', () => {
    expect(started.stderr()).toMatch(/"ageRetention":"(ilm|data_stream_lifecycle|sweep)"/);
    const ready = started
      .stderr()
      .split('\n')
      .filter((line) => line.includes('store writer thread ready'));
    expect(ready.map((line) => JSON.parse(line) as { thread?: string })).toEqual([
      expect.objectContaining({ thread: 'elasticsearch-writer' }),
    ]);
  });
});
