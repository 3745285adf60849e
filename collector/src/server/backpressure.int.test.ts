/**
 * Back-pressure and store failures, against a real collector and SQLite
 * store whose `write` is held at a gate or made to fail (a wrapper, since a
 * slow or broken disk cannot be produced on demand here).
 */
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { createRecordingLogger } from '@tooltrace/conventions';
import { StoreUnavailableError } from '@tooltrace/store';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRpcStatus } from '../otlp/rpc-status.ts';
import { type Harness, startHarness } from '../testing/harness.ts';
import { failingWrites, gatedWrites } from '../testing/store-wrappers.ts';
import { newTraceId, officialExporters, readableSpan } from '../testing/telemetry.ts';
import { waitUntil } from '../testing/wait.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function spanRequest(traceId: string) {
  return ProtobufTraceSerializer.serializeRequest([readableSpan({ traceId, name: `span of ${traceId}` })])!;
}

function post(harness: Harness, body: Uint8Array) {
  return fetch(`${harness.collector.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${harness.ingestKey}` },
    body,
  });
}

async function refusedCount(harness: Harness): Promise<number> {
  const health = (await (await fetch(`${harness.collector.url}/health`)).json()) as { refused: { total: number } };
  return health.refused.total;
}

describe('when the write queue is full', () => {
  it('then a further request gets 429 with Retry-After, and the held one is answered only after its write', async () => {
    const { gate, wrap } = gatedWrites();
    const harness = await startHarness({ wrapStore: wrap, writeQueue: { maxPendingBatches: 1 } });
    h = harness;
    const first = newTraceId();
    const second = newTraceId();

    let firstAnswered = false;
    const firstResponse = post(harness, spanRequest(first)).then((r) => {
      firstAnswered = true;
      return r;
    });
    await gate.reached;

    const refused = await post(harness, spanRequest(second));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(decodeRpcStatus(new Uint8Array(await refused.arrayBuffer()))).toMatchObject({
      code: 8,
      retryDelaySeconds: 1,
    });
    expect(firstAnswered).toBe(false);
    expect(await harness.store.getTrace(harness.projectId, first)).toBeNull();

    gate.open();
    expect((await firstResponse).status).toBe(200);
    expect(await harness.store.getTrace(harness.projectId, first)).not.toBeNull();
    expect(await harness.store.getTrace(harness.projectId, second)).toBeNull();

    expect((await post(harness, spanRequest(second))).status).toBe(200);
    expect(await harness.store.getTrace(harness.projectId, second)).not.toBeNull();
  });

  it('then, while it stays full second after second, Retry-After doubles up to its cap; once it drains, all is stored', async () => {
    const { gate, wrap } = gatedWrites();
    const clock = { ms: Date.now() };
    const harness = await startHarness({
      wrapStore: wrap,
      writeQueue: { maxPendingBatches: 1 },
      maxRetryAfterSeconds: 4,
      now: () => clock.ms,
    });
    h = harness;
    const held = post(harness, spanRequest(newTraceId()));
    await gate.reached;

    const heard: string[] = [];
    for (let second = 0; second < 4; second++) {
      clock.ms += 1000;
      const refused = await post(harness, spanRequest(newTraceId()));
      expect(refused.status).toBe(429);
      heard.push(refused.headers.get('retry-after') ?? 'none');
      const status = decodeRpcStatus(new Uint8Array(await refused.arrayBuffer()));
      expect(status.retryDelaySeconds).toBe(Number(heard.at(-1)));
    }
    expect(heard).toEqual(['1', '2', '4', '4']);
    const health = (await (await fetch(`${harness.collector.url}/health`)).json()) as {
      refused: { writeQueueFull: number; lastOverloadRetryAfterSeconds: number | null };
    };
    expect(health.refused).toMatchObject({ writeQueueFull: 4, lastOverloadRetryAfterSeconds: 4 });

    gate.open();
    expect((await held).status).toBe(200);
    const later = newTraceId();
    expect((await post(harness, spanRequest(later))).status).toBe(200);
    expect(await harness.store.getTrace(harness.projectId, later)).not.toBeNull();
  });

  it('then the official exporter, refused with 429, retries after Retry-After and its spans are stored', async () => {
    const { gate, wrap } = gatedWrites();
    const harness = await startHarness({ wrapStore: wrap, writeQueue: { maxPendingBatches: 1 } });
    h = harness;
    const held = post(harness, spanRequest(newTraceId()));
    await gate.reached;

    const exporters = officialExporters(harness.collector.url, harness.ingestKey);
    const traceId = newTraceId();
    const exported = exporters.sendProto([readableSpan({ traceId, name: 'retried' })]);
    await waitUntil(async () => (await refusedCount(harness)) >= 1);
    gate.open();

    expect((await exported).code).toBe(0);
    expect((await held).status).toBe(200);
    expect(await harness.store.getTrace(harness.projectId, traceId)).not.toBeNull();
    await exporters.shutdown();
  });
});

describe('when the store fails', () => {
  it('when it is unavailable, then 503 with Retry-After (retryable) and the collector stays up', async () => {
    h = await startHarness({
      wrapStore: failingWrites(() => new StoreUnavailableError('SQLite database x is unavailable: SQLITE_FULL')),
      logger: createRecordingLogger(),
    });
    const response = await post(h, spanRequest(newTraceId()));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect((await fetch(`${h.collector.url}/health`)).status).toBe(200);
  });

  it('when a write throws anything else, then 500 (not retryable) saying nothing was stored', async () => {
    const logger = createRecordingLogger();
    h = await startHarness({ wrapStore: failingWrites(() => new Error('constraint failed')), logger });
    const response = await fetch(`${h.collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': h.ingestKey },
      body: Buffer.from(
        JSON.stringify({
          resourceSpans: [
            { scopeSpans: [{ spans: [{ traceId: newTraceId(), spanId: '0102030405060708', name: 'x' }] }] },
          ],
        }),
      ),
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      error: {
        code: 'internal',
        message:
          'storing the batch failed; part of it may be stored (an Elasticsearch bulk is not atomic), and sending it again stores nothing twice',
      },
    });
    const failure = logger.lines.find((line) => line.message === 'storing a batch failed');
    expect(failure?.level).toBe('error');
    expect(failure?.fields).toMatchObject({ projectId: h.projectId, err: { message: 'constraint failed' } });
    expect((await fetch(`${h.collector.url}/health`)).status).toBe(200);
  });
});
