/**
 * OTLP/gRPC against a real collector and SQLite store: the official JS gRPC
 * exporters (traces and logs, 0.223 line) and a raw grpc-js client where a
 * test needs the exact status (code, message, RetryInfo trailer).
 */
import * as grpc from '@grpc/grpc-js';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { createRecordingLogger } from '@tooltrace/conventions';
import type protobuf from 'protobufjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeRpcStatus } from '../otlp/rpc-status.ts';
import { type Harness, startHarness } from '../testing/harness.ts';
import { gatedWrites } from '../testing/store-wrappers.ts';
import { EXPORT_FAILED, EXPORT_SUCCESS, newTraceId, readableLog, readableSpan, send } from '../testing/telemetry.ts';
import { exportService, LOGS_SERVICE, METRICS_SERVICE, TRACE_SERVICE } from './services.ts';

const logger = createRecordingLogger();
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ grpcPort: 0, logger });
});
afterAll(() => h?.close());

function bearer(key: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${key}`);
  return metadata;
}

type Compression = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>['compression'];

function traceExporter(harness: Harness, metadata: grpc.Metadata, compression?: 'gzip') {
  return new OTLPTraceExporter({
    url: `http://${harness.collector.grpc!.address}`,
    metadata,
    ...(compression ? { compression: compression as Compression } : {}),
  });
}

interface RawAnswer {
  error: grpc.ServiceError | null;
  response: Buffer | null;
}

/** One Export call with a raw grpc-js client, to see the exact status. */
function rawExport(
  harness: Harness,
  service: protobuf.Service,
  body: Uint8Array,
  metadata: grpc.Metadata,
): Promise<RawAnswer> {
  const Client = grpc.makeGenericClientConstructor(exportService(service), 'Export');
  const client = new Client(
    harness.collector.grpc!.address,
    grpc.credentials.createInsecure(),
  ) as unknown as grpc.Client & {
    Export(
      body: Buffer,
      metadata: grpc.Metadata,
      done: (error: grpc.ServiceError | null, response: Buffer | null) => void,
    ): void;
  };
  return new Promise((resolve) => {
    client.Export(Buffer.from(body), metadata, (error, response) => {
      client.close();
      resolve({ error, response });
    });
  });
}

function spanBody(traceId: string): Uint8Array {
  return ProtobufTraceSerializer.serializeRequest([readableSpan({ traceId, name: `grpc span ${traceId}` })])!;
}

describe('the official gRPC exporters', () => {
  it('when spans are exported over gRPC with a Bearer key, then they are stored as over HTTP', async () => {
    const traceId = newTraceId();
    const exporter = traceExporter(h, bearer(h.ingestKey));
    const span = readableSpan({
      traceId,
      name: 'run_tool SLACK_SEND_MESSAGE',
      attributes: { 'tooltrace.kind': 'tool_call', 'gen_ai.tool.name': 'SLACK_SEND_MESSAGE' },
    });
    expect((await send(exporter, [span])).code).toBe(EXPORT_SUCCESS);
    await exporter.shutdown();
    const stored = await h.store.getTrace(h.projectId, traceId);
    expect(stored?.toolCalls.map((c) => c.toolName)).toEqual(['SLACK_SEND_MESSAGE']);
  });

  it('when the exporter compresses with gzip and sends x-api-key, then the spans are stored', async () => {
    const traceId = newTraceId();
    const metadata = new grpc.Metadata();
    metadata.set('x-api-key', h.ingestKey);
    const exporter = traceExporter(h, metadata, 'gzip');
    expect((await send(exporter, [readableSpan({ traceId, name: 'gzipped over grpc' })])).code).toBe(EXPORT_SUCCESS);
    await exporter.shutdown();
    expect((await h.store.getTrace(h.projectId, traceId))?.logs.map((l) => l.message)).toEqual([
      expect.stringContaining('gzipped over grpc'),
    ]);
  });

  it('when log records are exported over gRPC, then those of a trace are stored and the rest logged as rejected', async () => {
    logger.lines.length = 0;
    const traceId = newTraceId();
    const exporter = new OTLPLogExporter({ url: `http://${h.collector.grpc!.address}`, metadata: bearer(h.ingestKey) });
    const result = await send(exporter, [
      readableLog({ traceId, body: 'kept over grpc' }),
      readableLog({ body: 'orphan' }),
    ]);
    await exporter.shutdown();
    expect(result.code).toBe(EXPORT_SUCCESS);
    expect((await h.store.getTrace(h.projectId, traceId))?.logs.map((l) => l.message)).toEqual(['kept over grpc']);
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'OTLP/gRPC logs accepted with 1 item(s) rejected',
        fields: expect.objectContaining({
          protocol: 'grpc',
          projectId: h.projectId,
          status: 'OK',
          accepted: 1,
          rejected: 1,
          reasons: [expect.stringMatching(/logRecords\[1\]\.traceId: missing/)],
        }),
      }),
    ]);
  });

  it('when the key is unknown, then the export fails with UNAUTHENTICATED and nothing is stored', async () => {
    const traceId = newTraceId();
    const exporter = traceExporter(h, bearer('tt_ingest_unknown'));
    const result = await send(exporter, [readableSpan({ traceId, name: 'refused' })]);
    await exporter.shutdown();
    expect(result.code).toBe(EXPORT_FAILED);
    expect(String(result.error?.message)).toMatch(/UNAUTHENTICATED|unknown ingest key/);
    expect(await h.store.getTrace(h.projectId, traceId)).toBeNull();
  });
});

describe('exact statuses (raw grpc-js client)', () => {
  it('when a span has an all-zero trace ID, then the answer carries partial_success', async () => {
    const good = readableSpan({ traceId: newTraceId(), name: 'good' });
    const bad = readableSpan({ traceId: '0'.repeat(32), name: 'bad' });
    const body = ProtobufTraceSerializer.serializeRequest([good, bad])!;
    const { error, response } = await rawExport(h, TRACE_SERVICE, body, bearer(h.ingestKey));
    expect(error).toBeNull();
    const decoded = ProtobufTraceSerializer.deserializeResponse(new Uint8Array(response!));
    expect(Number(decoded.partialSuccess?.rejectedSpans)).toBe(1);
    expect(decoded.partialSuccess?.errorMessage).toMatch(/spans\[1\]\.traceId: invalid trace ID/);
  });

  it('when no key is sent, then UNAUTHENTICATED says how to send one', async () => {
    const { error } = await rawExport(h, LOGS_SERVICE, new Uint8Array(0), new grpc.Metadata());
    expect(error?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(error?.details).toMatch(/missing ingest key: send "Authorization: Bearer <ingestKey>"/);
  });

  it('when the body is not a protobuf request, then INVALID_ARGUMENT', async () => {
    const { error } = await rawExport(h, TRACE_SERVICE, Buffer.from([0xff, 0xff, 0xff]), bearer(h.ingestKey));
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.details).toMatch(/not a valid ExportTraceServiceRequest/);
  });

  it('when metrics are exported, then UNIMPLEMENTED says tooltrace takes traces and logs', async () => {
    const { error } = await rawExport(h, METRICS_SERVICE, new Uint8Array(0), bearer(h.ingestKey));
    expect(error?.code).toBe(grpc.status.UNIMPLEMENTED);
    expect(error?.details).toMatch(/^tooltrace takes traces and logs, not metrics/);
  });
});

describe('limits and back-pressure', () => {
  let small: Harness | undefined;
  afterEach(async () => {
    await small?.close();
    small = undefined;
  });

  it('when a message is over the body limit, then RESOURCE_EXHAUSTED and nothing is stored', async () => {
    small = await startHarness({ grpcPort: 0, maxBodyBytes: 1024 });
    const traceId = newTraceId();
    const big = readableSpan({ traceId, name: 'x'.repeat(4096) });
    const { error } = await rawExport(
      small,
      TRACE_SERVICE,
      ProtobufTraceSerializer.serializeRequest([big])!,
      bearer(small.ingestKey),
    );
    expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(await small.store.getTrace(small.projectId, traceId)).toBeNull();
  });

  it('when the write queue is full, then RESOURCE_EXHAUSTED with RetryInfo, and the held export is stored once let go', async () => {
    const { gate, wrap } = gatedWrites();
    small = await startHarness({ grpcPort: 0, wrapStore: wrap, writeQueue: { maxPendingBatches: 1 } });
    const first = newTraceId();
    const held = rawExport(small, TRACE_SERVICE, spanBody(first), bearer(small.ingestKey));
    await gate.reached;

    const refused = await rawExport(small, TRACE_SERVICE, spanBody(newTraceId()), bearer(small.ingestKey));
    expect(refused.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    const [details] = refused.error!.metadata.get('grpc-status-details-bin');
    expect(decodeRpcStatus(details as Buffer)).toEqual({
      code: 8,
      message: 'the collector is busy writing earlier batches; retry later',
      retryDelaySeconds: 1,
    });

    gate.open();
    expect((await held).error).toBeNull();
    expect(await small.store.getTrace(small.projectId, first)).not.toBeNull();
  });
});
