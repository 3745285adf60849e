/**
 * Every Content-Encoding the OpenTelemetry Collector can send, end to end
 * into a real SQLite store, and the one log line each OTLP/HTTP request
 * leaves (read from a recording logger: the interface the cli fills with pino).
 */
import zlib from 'node:zlib';
import { createRecordingLogger } from '@tooltrace/conventions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeRpcStatus } from '../otlp/rpc-status.ts';
import { type Harness, startHarness } from '../testing/harness.ts';
import { newTraceId } from '../testing/telemetry.ts';
import { zstdRawFrame, zstdRleBomb } from '../testing/zstd-frames.ts';

const logger = createRecordingLogger();
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ logger, maxBodyBytes: 1 << 20 });
});
afterAll(() => h?.close());
beforeEach(() => {
  logger.lines.length = 0;
});

function spansJson(traceId: string, name: string, extraSpans: object[] = []): Buffer {
  const now = BigInt(Date.now()) * 1_000_000n;
  const span = {
    traceId,
    spanId: '0102030405060708',
    name,
    startTimeUnixNano: String(now),
    endTimeUnixNano: String(now + 1_000_000n),
  };
  return Buffer.from(
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'encodings-test' } }] },
          scopeSpans: [{ spans: [span, ...extraSpans] }],
        },
      ],
    }),
  );
}

function post(body: Uint8Array, headers: Record<string, string>, path = '/v1/traces') {
  return fetch(`${h.collector.url}${path}`, {
    method: 'POST',
    headers: { 'x-api-key': h.ingestKey, 'content-type': 'application/json', ...headers },
    body,
  });
}

describe('content encodings', () => {
  it.each([
    ['gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['br', zlib.brotliCompressSync],
    ['zstd', zstdRawFrame],
  ] as const)('when a request arrives %s-compressed, then its span is stored', async (encoding, compress) => {
    const traceId = newTraceId();
    const response = await post(compress(spansJson(traceId, `sent with ${encoding}`)), {
      'content-encoding': encoding,
    });
    expect(response.status).toBe(200);
    const stored = await h.store.getTrace(h.projectId, traceId);
    expect(stored?.logs.map((l) => l.message)).toEqual([expect.stringContaining(`sent with ${encoding}`)]);
  });

  it('when a zstd bomb arrives in protobuf, then 413 RESOURCE_EXHAUSTED names the limit, as a protobuf Status', async () => {
    const response = await post(zstdRleBomb(1 << 30), {
      'content-encoding': 'zstd',
      'content-type': 'application/x-protobuf',
    });
    expect(response.status).toBe(413);
    expect(decodeRpcStatus(new Uint8Array(await response.arrayBuffer()))).toEqual({
      code: 8,
      message: 'request body exceeds the limit of 1048576 bytes (counted after decompression)',
    });
  });

  it('when a zstd body is corrupt, then 400 INVALID_ARGUMENT says so', async () => {
    const response = await post(Buffer.from('definitely not zstd'), { 'content-encoding': 'zstd' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 3, message: expect.stringMatching(/as zstd/) });
  });
});

describe('one log line per OTLP/HTTP request', () => {
  it('when a request is accepted, then one info line names project, protocol, encoding and counts, never the key', async () => {
    const response = await post(zlib.gzipSync(spansJson(newTraceId(), 'logged')), { 'content-encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(logger.lines).toHaveLength(1);
    const [line] = logger.lines;
    expect(line).toMatchObject({
      level: 'info',
      message: 'OTLP/HTTP traces accepted',
      fields: {
        protocol: 'http',
        signal: 'traces',
        projectId: h.projectId,
        encoding: 'json',
        compression: 'gzip',
        status: 200,
        accepted: 1,
        rejected: 0,
      },
    });
    expect(line!.fields.durationMs).toEqual(expect.any(Number));
    expect(JSON.stringify(logger.lines)).not.toContain(h.ingestKey);
    expect(JSON.stringify(logger.lines)).not.toContain('logged');
  });

  it('when some spans are rejected, then the line is a warning with the count and reasons', async () => {
    const bad = { traceId: '0'.repeat(32), spanId: '0102030405060709', name: 'bad' };
    const response = await post(spansJson(newTraceId(), 'partly', [bad]), {});
    expect(response.status).toBe(200);
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        fields: expect.objectContaining({
          accepted: 1,
          rejected: 1,
          reasons: [expect.stringMatching(/spans\[1\]\.traceId: invalid trace ID/)],
        }),
      }),
    ]);
  });

  it('when the key is unknown, then the refusal is logged as a warning with status 401 and its message', async () => {
    const response = await fetch(`${h.collector.url}/v1/logs`, {
      method: 'POST',
      headers: { 'x-api-key': 'tt_ingest_not_a_key', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'OTLP/HTTP logs refused',
        fields: expect.objectContaining({ signal: 'logs', projectId: null, status: 401, error: 'unknown ingest key' }),
      }),
    ]);
    expect(JSON.stringify(logger.lines)).not.toContain('tt_ingest_not_a_key');
  });
});
