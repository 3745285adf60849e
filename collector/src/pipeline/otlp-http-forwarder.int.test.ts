/**
 * The OTLP/HTTP forwarder against real HTTP destinations: alone, and behind a
 * real collector that the official exporter sends to.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeTracesRequest } from '../otlp/decode.ts';
import { type Harness, startHarness } from '../testing/harness.ts';
import { type Receiver, startReceiver } from '../testing/receiver.ts';
import { newTraceId, officialExporters, readableSpan } from '../testing/telemetry.ts';
import { waitUntil } from '../testing/wait.ts';
import { createOtlpHttpForwarder, type OtlpHttpForwarder } from './otlp-http-forwarder.ts';
import type { ForwardBatch } from './stages.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  open.push(r);
  return r;
}

function forwarderTo(dest: Receiver, options: Partial<Parameters<typeof createOtlpHttpForwarder>[0]> = {}) {
  const forwarder = createOtlpHttpForwarder({
    destinations: () => [{ endpoint: dest.url, headers: { 'x-forwarded-by': 'tooltrace' } }],
    initialBackoffMs: 5,
    maxBackoffMs: 20,
    ...options,
  });
  open.push({ close: () => forwarder.shutdown() });
  return forwarder;
}

const batch = (n: number): ForwardBatch => ({
  projectId: 'p1',
  signal: n % 2 === 0 ? 'traces' : 'logs',
  encoding: 'json',
  contentType: 'application/json',
  body: Buffer.from(`{"n":${n}}`),
});

const settled = (f: OtlpHttpForwarder) => waitUntil(() => f.stats().queued === 0 && f.stats().inFlight === 0);

describe('createOtlpHttpForwarder', () => {
  it('when a batch is forwarded, then it arrives unchanged at /v1/<signal> with the destination headers', async () => {
    const dest = await receiver();
    const forwarder = forwarderTo(dest);
    forwarder.forward(batch(0));
    forwarder.forward(batch(1));
    await settled(forwarder);
    expect(
      dest.received.map((r) => [r.path, r.body.toString(), r.headers['content-type'], r.headers['x-forwarded-by']]),
    ).toEqual([
      ['/v1/traces', '{"n":0}', 'application/json', 'tooltrace'],
      ['/v1/logs', '{"n":1}', 'application/json', 'tooltrace'],
    ]);
    expect(forwarder.stats()).toMatchObject({ sent: 2, failed: 0, dropped: 0 });
  });

  it('when the destination answers 503, 429 then 200, then the send is retried until it succeeds', async () => {
    const dest = await receiver();
    dest.script = [503, 429];
    const forwarder = forwarderTo(dest);
    forwarder.forward(batch(0));
    await waitUntil(() => forwarder.stats().sent === 1);
    expect(dest.received).toHaveLength(3);
    expect(forwarder.stats()).toMatchObject({ sent: 1, failed: 0 });
  });

  it('when the destination keeps failing, then the send gives up after maxAttempts and is counted', async () => {
    const dest = await receiver();
    dest.script = [502, 502, 502, 502];
    const reasons: string[] = [];
    const forwarder = forwarderTo(dest, { maxAttempts: 3, onGiveUp: (r) => reasons.push(r) });
    forwarder.forward(batch(0));
    await waitUntil(() => forwarder.stats().failed === 1);
    expect(dest.received).toHaveLength(3);
    expect(reasons[0]).toMatch(/gave up after 3 attempt\(s\): .* answered 502/);
  });

  it('when the destination answers 400, then the send fails at once without retrying', async () => {
    const dest = await receiver();
    dest.script = [400];
    const forwarder = forwarderTo(dest);
    forwarder.forward(batch(0));
    await waitUntil(() => forwarder.stats().failed === 1);
    expect(dest.received).toHaveLength(1);
  });

  it('when the destination is unreachable, then sends are retried and finally counted as failed', async () => {
    const dest = await receiver();
    const url = dest.url;
    await dest.close();
    const forwarder = createOtlpHttpForwarder({
      destinations: () => [{ endpoint: url }],
      maxAttempts: 2,
      initialBackoffMs: 5,
    });
    forwarder.forward(batch(0));
    await waitUntil(() => forwarder.stats().failed === 1);
    await forwarder.shutdown();
  });

  it('when the queue is full, then new sends are dropped and counted, not buffered', async () => {
    const dest = await receiver();
    dest.hold = true;
    const forwarder = forwarderTo(dest, { maxQueueSize: 1, concurrency: 1 });
    forwarder.forward(batch(0)); // in flight, held by the destination
    await waitUntil(() => dest.received.length === 1);
    forwarder.forward(batch(1)); // queued
    forwarder.forward(batch(2)); // dropped
    expect(forwarder.stats()).toMatchObject({ inFlight: 1, queued: 1, dropped: 1 });
    dest.release();
    await settled(forwarder);
    expect(forwarder.stats()).toMatchObject({ sent: 2, dropped: 1 });
  });

  it('when a project has no destinations, then nothing is sent', async () => {
    const dest = await receiver();
    const forwarder = createOtlpHttpForwarder({ destinations: (p) => (p === 'other' ? [{ endpoint: dest.url }] : []) });
    forwarder.forward(batch(0));
    await forwarder.shutdown();
    expect(dest.received).toEqual([]);
  });

  it('when shut down with sends waiting for a retry, then each gets a last attempt', async () => {
    const dest = await receiver();
    dest.script = [502]; // no Retry-After, so the 60 s backoff applies
    const forwarder = forwarderTo(dest, { initialBackoffMs: 60_000, maxBackoffMs: 60_000 });
    forwarder.forward(batch(0));
    await waitUntil(() => forwarder.stats().queued === 1 && forwarder.stats().inFlight === 0);
    await forwarder.shutdown();
    expect(dest.received).toHaveLength(2);
    expect(forwarder.stats()).toMatchObject({ sent: 1, queued: 0 });
  });
});

describe('forwarding behind the collector', () => {
  let h: Harness;

  it('when the official exporter sends gzip, then accepted batches reach the destination decompressed; refused ones do not', async () => {
    const dest = await receiver();
    const forwarder = createOtlpHttpForwarder({ destinations: () => [{ endpoint: dest.url }] });
    h = await startHarness({ forwarders: [forwarder] });
    open.push(h);
    const exporters = officialExporters(h.collector.url, h.ingestKey);
    const traceId = newTraceId();
    expect((await exporters.sendProtoGzip([readableSpan({ traceId, name: 'forwarded' })])).code).toBe(0);
    await waitUntil(() => forwarder.stats().sent === 1);

    const [received] = dest.received;
    expect(received!.path).toBe('/v1/traces');
    expect(received!.headers['content-type']).toBe('application/x-protobuf');
    const decoded = decodeTracesRequest(received!.body, 'protobuf');
    expect(decoded.resourceSpans[0]!.scopeSpans[0]!.spans[0]).toMatchObject({ traceId, name: 'forwarded' });

    const wrongKey = officialExporters(h.collector.url, 'tt_ingest_wrong');
    expect((await wrongKey.sendProto([readableSpan({ traceId: newTraceId(), name: 'refused' })])).code).toBe(1);
    await Promise.all([exporters.shutdown(), wrongKey.shutdown()]);
    expect(dest.received).toHaveLength(1);
  });
});
