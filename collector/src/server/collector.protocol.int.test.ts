/**
 * OTLP/HTTP as the wire sees it, against a real collector and store: partial
 * success answers, compressed and empty requests, health, a key of the wrong role.
 */
import zlib from 'node:zlib';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExporterHarness, startExporterHarness } from '../testing/harness.ts';
import {
  EXPORT_FAILED,
  EXPORT_SUCCESS,
  newTraceId,
  officialExporters,
  readableLog,
  readableSpan,
} from '../testing/telemetry.ts';

let h: ExporterHarness;
beforeAll(async () => {
  h = await startExporterHarness();
});
afterAll(() => h?.close());

describe('partial success', () => {
  it('when a protobuf request holds a span with an all-zero trace ID, then the rest is stored and the answer says so', async () => {
    const good = readableSpan({ traceId: newTraceId(), name: 'good one' });
    const bad = readableSpan({ traceId: '0'.repeat(32), name: 'bad one' });
    const response = await fetch(`${h.collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${h.ingestKey}` },
      body: ProtobufTraceSerializer.serializeRequest([good, bad]),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/x-protobuf/);
    const decoded = ProtobufTraceSerializer.deserializeResponse(new Uint8Array(await response.arrayBuffer()));
    expect(Number(decoded.partialSuccess?.rejectedSpans)).toBe(1);
    expect(decoded.partialSuccess?.errorMessage).toMatch(/1 span rejected: .*spans\[1\]\.traceId: invalid trace ID/);
    expect(await h.store.getTrace(h.projectId, good.spanContext().traceId)).not.toBeNull();
  });

  it('when a JSON request holds a span with a malformed span ID, then the JSON answer carries partialSuccess', async () => {
    const good = readableSpan({ traceId: newTraceId(), name: 'good json' });
    const body = JSON.parse(Buffer.from(JsonTraceSerializer.serializeRequest([good])!).toString());
    const badSpan = { ...body.resourceSpans[0].scopeSpans[0].spans[0], spanId: 'xyz', name: 'bad json' };
    body.resourceSpans[0].scopeSpans[0].spans.push(badSpan);
    const response = await fetch(`${h.collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': h.ingestKey },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '1',
        errorMessage: expect.stringMatching(/spans\[1\]\.spanId: invalid span ID "xyz"/),
      },
    });
    const { logs } = await h.trace(good.spanContext().traceId);
    expect(logs.map((l) => l.name)).toEqual(['good json']);
  });

  it('when log records lack a trace ID, then they are rejected and counted', async () => {
    const traceId = newTraceId();
    const result = await h.exporters.sendLogs([
      readableLog({ body: 'orphan' }),
      readableLog({ traceId, body: 'kept' }),
    ]);
    expect(result.code).toBe(EXPORT_SUCCESS);
    expect((await h.trace(traceId)).logs.map((l) => l.message)).toEqual(['kept']);
  });
});

describe('deflate', () => {
  it('when a JSON request arrives deflate-compressed, then it is inflated and stored', async () => {
    const traceId = newTraceId();
    const body = zlib.deflateSync(JsonTraceSerializer.serializeRequest([readableSpan({ traceId, name: 'deflated' })])!);
    const response = await fetch(`${h.collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'deflate', 'x-api-key': h.ingestKey },
      body,
    });
    expect(response.status).toBe(200);
    expect((await h.trace(traceId)).logs.map((l) => l.name)).toEqual(['deflated']);
  });
});

describe('small requests', () => {
  it.each([
    ['application/x-protobuf', ''],
    ['application/json', ''],
    ['application/json', '{}'],
    ['application/json', '{"resourceSpans":[]}'],
  ])('when an empty %s request (%j) arrives, then it is answered 200', async (contentType, body) => {
    const response = await fetch(`${h.collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${h.ingestKey}` },
      body,
    });
    expect(response.status).toBe(200);
  });

  it('when /health is asked, then it answers ok', async () => {
    const response = await fetch(`${h.collector.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('when the official exporter uses a read key, then the export fails', async () => {
    const withReadKey = officialExporters(h.collector.url, h.readKey);
    const result = await withReadKey.sendProto([readableSpan({ traceId: newTraceId(), name: 'x' })]);
    await withReadKey.shutdown();
    expect(result.code).toBe(EXPORT_FAILED);
  });
});
