/**
 * Decoding in worker threads behind the real collector and SQLite store:
 * the official exporter's spans are stored through a worker, and a worker
 * that crashes on a batch answers that batch 500 (not a hang) while the
 * collector goes on with a replacement. The crashing worker is a test module
 * (testing/crashing-decode-worker.ts): a decoder bug cannot be produced on demand.
 */
import { silentLogger } from '@tooltrace/conventions';
import { CRASHING_SQLITE_WRITER } from '@tooltrace/store/conformance';
import { afterEach, describe, expect, it } from 'vitest';
import { workerDecodeMap } from '../pipeline/decode-map-stage.ts';
import { type Harness, startHarness } from '../testing/harness.ts';
import { newSpanId, newTraceId, officialExporters, readableSpan } from '../testing/telemetry.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function jsonRequest(traceId: string, name: string) {
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId, spanId: newSpanId(), name }] }] }] });
}

function post(harness: Harness, body: string) {
  return fetch(`${harness.collector.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${harness.ingestKey}` },
    body,
  });
}

describe('decode workers and the writer thread', () => {
  it('when spans arrive with decodeWorkers: 1, then they are decoded off the HTTP thread and stored', async () => {
    const harness = await startHarness({ decodeWorkers: 1 });
    h = harness;
    const exporters = officialExporters(harness.collector.url, harness.ingestKey);
    const traceId = newTraceId();
    expect((await exporters.sendProto([readableSpan({ traceId, name: 'through a worker' })])).code).toBe(0);
    await exporters.shutdown();
    expect((await harness.store.getTrace(harness.projectId, traceId))?.logs[0]?.name).toBe('through a worker');
    const health = (await (await fetch(`${harness.collector.url}/health`)).json()) as {
      decodeWorkers: { workers: number };
    };
    expect(health.decodeWorkers.workers).toBe(1);
  });

  it('when the worker crashes on a batch, then that batch gets a 500 and the next batch is stored by a new worker', async () => {
    const crashing = new URL('../testing/crashing-decode-worker.ts', import.meta.url);
    const harness = await startHarness({ decodeMap: workerDecodeMap({}, 1, crashing), logger: silentLogger });
    h = harness;
    const doomed = newTraceId();
    const response = await post(harness, jsonRequest(doomed, 'crash-this-worker'));
    expect(response.status).toBe(500);
    expect(((await response.json()) as { message: string }).message).toMatch(
      /^decoding the batch failed: a decode worker stopped while handling this batch: .*; nothing of it was stored$/,
    );
    expect(await harness.store.getTrace(harness.projectId, doomed)).toBeNull();

    const next = newTraceId();
    expect((await post(harness, jsonRequest(next, 'after the crash'))).status).toBe(200);
    expect(await harness.store.getTrace(harness.projectId, next)).not.toBeNull();
    const health = (await (await fetch(`${harness.collector.url}/health`)).json()) as {
      decodeWorkers: { crashed: number; workers: number };
    };
    expect(health.decodeWorkers).toMatchObject({ crashed: 1, workers: 1 });
  });

  it('when the SQLite writer thread crashes on a batch, then that batch gets a 500 and the next one is stored by a new writer', async () => {
    const harness = await startHarness({
      sqlite: { writer: 'worker', writerModule: CRASHING_SQLITE_WRITER },
      logger: silentLogger,
    });
    h = harness;
    const doomed = newTraceId();
    const response = await post(harness, jsonRequest(doomed, 'crash-the-writer'));
    expect(response.status).toBe(500);
    expect(((await response.json()) as { message: string }).message).toBe(
      'storing the batch failed; part of it may be stored (an Elasticsearch bulk is not atomic), and sending it again stores nothing twice',
    );
    expect(await harness.store.getTrace(harness.projectId, doomed)).toBeNull();

    const next = newTraceId();
    expect((await post(harness, jsonRequest(next, 'after the writer crash'))).status).toBe(200);
    expect((await harness.store.getTrace(harness.projectId, next))?.logs[0]?.name).toBe('after the writer crash');
  });
});
