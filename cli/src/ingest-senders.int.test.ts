/**
 * What `GET /api/v1/project/ingest` shows of senders, end to end: the official
 * SDK and OTLP/protobuf exporter → a real collector → a real SQLite store
 * (writes in the writer thread, as `tooltrace start` wires them) → the real
 * query API. `service.name` is the sender's to choose; a sample trace is one
 * whose spans are no tool call or trigger event, whichever request brings them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { context as otelContext, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startCollector } from '@tooltrace/collector';
import type { ProjectIngest } from '@tooltrace/conventions';
import { startQueryApi } from '@tooltrace/query-api';
import { openSqliteStore } from '@tooltrace/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFinished } from './testing/tool-calls.ts';
import { waitFor } from './testing/wait.ts';

let collectorUrl: string;
let apiUrl: string;
let ingestKey: string;
let readKey: string;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-ingest-senders-'));
  const store = openSqliteStore({ path: path.join(dir, 'tooltrace.db'), writer: 'worker' });
  closers.push(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  ({ ingestKey, readKey } = await store.createProject({ name: 'senders', plan: 'pro' }));
  const collector = await startCollector({ store, host: '127.0.0.1', port: 0, ingestStatusIntervalMs: 20 });
  closers.push(() => collector.close());
  const api = await startQueryApi({ store, host: '127.0.0.1', port: 0, rateLimit: false, logger: false });
  closers.push(() => api.close());
  collectorUrl = collector.url;
  apiUrl = api.url;
});
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

interface SpanSpec {
  name: string;
  /** Continue this trace, as a child of this span (another service's span in the same trace). */
  parent?: { traceId: string; spanId: string };
  attributes?: Record<string, string>;
}

/** Spans of one service from the official SDK, in one OTLP/protobuf request; resolves when stored. */
async function send(serviceName: string, specs: SpanSpec[]): Promise<Array<{ traceId: string; spanId: string }>> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('ingest-senders.int.test');
  const sent = specs.map(({ name, parent, attributes }) => {
    const context = parent
      ? { traceId: parent.traceId, spanId: parent.spanId, traceFlags: 1, isRemote: true }
      : undefined;
    const span = tracer.startSpan(name, { attributes }, context ? contextWith(context) : undefined);
    span.end();
    return { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
  });
  await exportFinished(provider, memory, collectorUrl, ingestKey);
  return sent;
}

function contextWith(parent: { traceId: string; spanId: string; traceFlags: number; isRemote: boolean }) {
  return trace.setSpanContext(otelContext.active(), parent);
}

async function ingest(): Promise<ProjectIngest> {
  const response = await fetch(`${apiUrl}/api/v1/project/ingest`, { headers: { authorization: `Bearer ${readKey}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as ProjectIngest;
}

const plain = (n: number, prefix: string): SpanSpec[] =>
  Array.from({ length: n }, (_, i) => ({ name: `${prefix} ${i + 1}` }));

describe('GET /api/v1/project/ingest, fed by the collector', () => {
  it('when services named `__proto__` and `constructor` send spans, then each is a sender with its exact counts and samples, and the other senders are intact', async () => {
    const proto = await send('__proto__', plain(2, 'GET /proto'));
    const ctor = await send('constructor', plain(3, 'GET /ctor'));
    const checkout = await send('checkout', plain(4, 'GET /checkout'));

    // Sent last: once its count is in, so are the others' (the collector records them in order).
    const status = await waitFor(
      ingest,
      (s) => s.last24h.bySender.some((row) => row.serviceName === 'checkout' && row.accepted === 4),
      30_000,
    );
    expect(status.last24h.totals).toEqual({ accepted: 9, rejected: 0, throttled: 0 });
    const rows = status.last24h.bySender.map(({ serviceName, accepted, rejected, throttled, sampleTraces }) => ({
      serviceName,
      accepted,
      rejected,
      throttled,
      samples: sampleTraces.map((t) => t.traceId).sort(),
    }));
    expect(rows).toEqual([
      { serviceName: 'checkout', accepted: 4, rejected: 0, throttled: 0, samples: expect.any(Array) },
      {
        serviceName: 'constructor',
        accepted: 3,
        rejected: 0,
        throttled: 0,
        samples: ctor.map((s) => s.traceId).sort(),
      },
      { serviceName: '__proto__', accepted: 2, rejected: 0, throttled: 0, samples: proto.map((s) => s.traceId).sort() },
    ]);
    // Three of checkout's four traces are kept, each one it sent.
    expect(rows[0]!.samples).toHaveLength(3);
    expect(checkout.map((s) => s.traceId)).toEqual(expect.arrayContaining(rows[0]!.samples));
  });

  it("when a trace sampled as plain gets its tool-call span later, in another service's request, then it is no longer a sample", async () => {
    const [root] = await send('web', [{ name: 'POST /chat' }]);
    const other = await send('web', [{ name: 'GET /health' }]);
    const samplesOfWeb = async () =>
      (await ingest()).last24h.bySender.find((s) => s.serviceName === 'web')?.sampleTraces.map((t) => t.traceId) ?? [];
    await waitFor(
      samplesOfWeb,
      (samples) => samples.includes(root!.traceId) && samples.includes(other[0]!.traceId),
      30_000,
    );

    await send('agent', [
      {
        name: 'run_tool SLACK_SEND_MESSAGE',
        parent: root,
        attributes: { 'tooltrace.kind': 'tool_call', 'gen_ai.tool.name': 'SLACK_SEND_MESSAGE' },
      },
    ]);
    // The export is acknowledged once stored: the tool call is listed now.
    const calls = await fetch(`${apiUrl}/api/v1/tool-calls?limit=10`, {
      headers: { authorization: `Bearer ${readKey}` },
    });
    const listed = ((await calls.json()) as { items: Array<{ traceId: string }> }).items.map((c) => c.traceId);
    expect(listed).toContain(root!.traceId);

    expect(await samplesOfWeb()).toEqual([other[0]!.traceId]);
  });
});
