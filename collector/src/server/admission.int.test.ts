/**
 * Back-pressure before the body is read (DESIGN §10), against a real
 * collector and SQLite store: requests are sent over node:http with their
 * headers first, so a test sees the answer arrive while the body is still
 * unsent. The writer is held at a gate or made to fail by a store wrapper,
 * since a slow or broken disk cannot be produced on demand here.
 */
import { silentLogger } from '@tooltrace/conventions';
import { StoreUnavailableError } from '@tooltrace/store';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRpcStatus } from '../otlp/rpc-status.ts';
import { type Harness, startHarness } from '../testing/harness.ts';
import { heldRequest } from '../testing/held-request.ts';
import { failingWrites, gatedWrites } from '../testing/store-wrappers.ts';
import { newSpanId, newTraceId } from '../testing/telemetry.ts';
import { waitUntil } from '../testing/wait.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** An OTLP/JSON request of one trace, padded with spans up to about `bytes`. */
function jsonBody(traceId: string, bytes = 200): Buffer {
  const pad = 'x'.repeat(1000);
  const spans = [];
  let size = 0;
  do {
    spans.push({
      traceId,
      spanId: newSpanId(),
      name: 'padded',
      attributes: [{ key: 'pad', value: { stringValue: pad } }],
    });
    size += pad.length + 120;
  } while (size < bytes);
  return Buffer.from(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }));
}

interface Health {
  inflight: { bytes: number; peakBytes: number; maxBytes: number };
  refused: { total: number; storeUnavailable: number; writeQueueFull: number; inflightBytes: number };
}

async function health(harness: Harness): Promise<Health> {
  return (await (await fetch(`${harness.collector.url}/health`)).json()) as Health;
}

function headersFor(harness: Harness, contentType: string, length?: number): Record<string, string> {
  return {
    'content-type': contentType,
    authorization: `Bearer ${harness.ingestKey}`,
    ...(length === undefined ? {} : { 'content-length': String(length) }),
  };
}

function send(harness: Harness, body: Buffer) {
  return fetch(`${harness.collector.url}/v1/traces`, {
    method: 'POST',
    headers: headersFor(harness, 'application/json'),
    body,
  });
}

describe('when the writer is held and the write queue is full', () => {
  it('then the next request is refused with 429 + Retry-After before its body is read, in its own encoding', async () => {
    const { gate, wrap } = gatedWrites();
    const harness = await startHarness({ wrapStore: wrap, writeQueue: { maxPendingBatches: 1 } });
    h = harness;
    const first = newTraceId();
    const held = send(harness, jsonBody(first));
    await gate.reached;

    const protobuf = heldRequest(
      `${harness.collector.url}/v1/traces`,
      headersFor(harness, 'application/x-protobuf', 500),
    );
    const refusedProto = await protobuf.answer;
    expect(refusedProto.status).toBe(429);
    expect(refusedProto.headers['retry-after']).toBe('1');
    expect(refusedProto.headers['content-type']).toMatch(/^application\/x-protobuf/);
    expect(decodeRpcStatus(refusedProto.body)).toEqual({
      code: 8,
      message: expect.stringMatching(/busy writing earlier batches/),
      retryDelaySeconds: 1,
    });
    protobuf.end(Buffer.alloc(500));

    const second = newTraceId();
    const body = jsonBody(second);
    const json = heldRequest(
      `${harness.collector.url}/v1/traces`,
      headersFor(harness, 'application/json', body.length),
    );
    const refusedJson = await json.answer;
    expect(refusedJson.status).toBe(429);
    expect(refusedJson.headers['retry-after']).toBe('1');
    expect(JSON.parse(refusedJson.body.toString())).toMatchObject({ code: 8, error: { code: 'too_many_requests' } });
    json.end(body);

    expect((await health(harness)).refused).toMatchObject({ total: 2, writeQueueFull: 2, inflightBytes: 0 });
    gate.open();
    expect((await held).status).toBe(200);
    expect(await harness.store.getTrace(harness.projectId, first)).not.toBeNull();
    expect(await harness.store.getTrace(harness.projectId, second)).toBeNull();
  });
});

describe('when bodies in flight reach the byte bound', () => {
  it('then a request whose Content-Length does not fit is refused before its body is read; the held one completes', async () => {
    const harness = await startHarness({ maxInflightBytes: 1_000_000 });
    h = harness;
    const url = `${harness.collector.url}/v1/traces`;
    const traceId = newTraceId();
    const body = jsonBody(traceId, 600_000);
    const first = heldRequest(url, headersFor(harness, 'application/json', body.length));
    first.write(body.subarray(0, 1000));
    await waitUntil(async () => (await health(harness)).inflight.bytes >= body.length);

    const second = heldRequest(url, headersFor(harness, 'application/json', body.length));
    const refused = await second.answer;
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(JSON.parse(refused.body.toString()).message).toMatch(/holds 1000000 bytes of request bodies already/);
    second.end(body);

    first.end(body.subarray(1000));
    expect((await first.answer).status).toBe(200);
    expect(await harness.store.getTrace(harness.projectId, traceId)).not.toBeNull();
    await waitUntil(async () => (await health(harness)).inflight.bytes === 0);
    expect((await health(harness)).refused).toMatchObject({ total: 1, inflightBytes: 1 });
  });

  it('then a chunked body (no Content-Length) is counted as it streams and refused once it outgrows the bound', async () => {
    const harness = await startHarness({ maxInflightBytes: 1_000_000 });
    h = harness;
    const url = `${harness.collector.url}/v1/traces`;
    const traceId = newTraceId();
    const body = jsonBody(traceId, 600_000);
    const first = heldRequest(url, headersFor(harness, 'application/json'));
    first.write(body.subarray(0, 600_000));
    await waitUntil(async () => (await health(harness)).inflight.bytes >= 600_000);

    const second = heldRequest(url, headersFor(harness, 'application/json'));
    second.write(body.subarray(0, 600_000));
    const refused = await second.answer;
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    second.end();

    first.end(body.subarray(600_000));
    expect((await first.answer).status).toBe(200);
    expect(await harness.store.getTrace(harness.projectId, traceId)).not.toBeNull();
    expect((await health(harness)).refused.inflightBytes).toBe(1);
  });

  it('then concurrent large bodies never hold more than the bound, and each is stored or refused with Retry-After', async () => {
    const maxInflightBytes = 2 * 1024 * 1024;
    const harness = await startHarness({ maxInflightBytes });
    h = harness;
    const traceIds = Array.from({ length: 8 }, () => newTraceId());
    const answers = await Promise.all(traceIds.map((id) => send(harness, jsonBody(id, 900_000))));

    for (const [i, answer] of answers.entries()) {
      expect([200, 429]).toContain(answer.status);
      const stored = await harness.store.getTrace(harness.projectId, traceIds[i]!);
      if (answer.status === 200) expect(stored).not.toBeNull();
      else {
        expect(answer.headers.get('retry-after')).toBe('1');
        expect(stored).toBeNull();
      }
    }
    const { inflight, refused } = await health(harness);
    expect(inflight.peakBytes).toBeGreaterThan(0);
    expect(inflight.peakBytes).toBeLessThanOrEqual(maxInflightBytes);
    expect(refused.inflightBytes).toBe(answers.filter((a) => a.status === 429).length);
  });
});

describe('when the store is unavailable', () => {
  it('then after the failed write, new requests get 503 + Retry-After before their body is read', async () => {
    h = await startHarness({
      wrapStore: failingWrites(() => new StoreUnavailableError('SQLite database x is unavailable: SQLITE_FULL')),
      logger: silentLogger,
    });
    expect((await send(h, jsonBody(newTraceId()))).status).toBe(503);

    const body = jsonBody(newTraceId());
    const next = heldRequest(`${h.collector.url}/v1/traces`, headersFor(h, 'application/json', body.length));
    const refused = await next.answer;
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(JSON.parse(refused.body.toString())).toMatchObject({
      code: 14,
      message: expect.stringMatching(/store is unavailable: .*SQLITE_FULL/),
    });
    next.end(body);
    expect((await health(h)).refused).toMatchObject({ total: 1, storeUnavailable: 1 });
  });
});
