/**
 * Hostile and broken input against a real collector and SQLite store: each
 * request gets its 4xx with a message saying what is wrong, the process keeps
 * serving, and the rows stored before stay exactly as they were.
 */
import { once } from 'node:events';
import zlib from 'node:zlib';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { TraceDetail } from '@tooltrace/store';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeRpcStatus } from '../otlp/rpc-status.ts';
import { type Harness, startHarness } from '../testing/harness.ts';
import { newTraceId, officialExporters, readableSpan } from '../testing/telemetry.ts';

let h: Harness;
const seededTraceId = newTraceId();
let seeded: TraceDetail;

beforeAll(async () => {
  h = await startHarness();
  const exporters = officialExporters(h.collector.url, h.ingestKey);
  const span = readableSpan({
    traceId: seededTraceId,
    name: 'run_tool GMAIL_SEND',
    attributes: { 'tooltrace.kind': 'tool_call', 'gen_ai.tool.name': 'GMAIL_SEND', 'user.id': 'u1' },
  });
  expect((await exporters.sendProto([span])).code).toBe(0);
  await exporters.shutdown();
  seeded = (await h.store.getTrace(h.projectId, seededTraceId))!;
  expect(seeded.toolCalls).toHaveLength(1);
});
afterAll(async () => {
  await h?.close();
});

afterEach(async () => {
  const health = await fetch(`${h.collector.url}/health`);
  expect(health.status).toBe(200);
  expect(await h.store.getTrace(h.projectId, seededTraceId)).toEqual(seeded);
  const { items } = await h.store.listToolCalls(h.projectId, {}, { limit: 50 });
  expect(items).toHaveLength(1);
});

function post(path: string, body: RequestInit['body'] | Uint8Array, headers: Record<string, string>) {
  return fetch(`${h.collector.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.ingestKey}`, ...headers },
    body: body as RequestInit['body'],
  });
}

interface JsonError {
  code: number;
  message: string;
  error: { code: string; message: string };
}

async function jsonError(response: Response): Promise<JsonError> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as JsonError;
}

async function rpcStatusOf(response: Response): Promise<{ code: number; message: string; retryDelaySeconds?: number }> {
  expect(response.headers.get('content-type')).toMatch(/^application\/x-protobuf/);
  return decodeRpcStatus(new Uint8Array(await response.arrayBuffer()));
}

/** Deterministic pseudo-random bytes (mulberry32), so a failure can be reproduced. */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let a = seed;
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

/** 1 GiB of zeros, gzip-compressed, produced in 1 MiB steps so the zeros never sit in memory at once. */
async function gzipBomb(): Promise<Buffer> {
  const gzip = zlib.createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < 1024; i++) {
    if (!gzip.write(zeros)) await once(gzip, 'drain');
  }
  gzip.end();
  await once(gzip, 'end');
  return Buffer.concat(chunks);
}

describe('undecodable bodies → 400', () => {
  it('when random bytes arrive as protobuf, then 400 says the body is not a valid request', async () => {
    const response = await post('/v1/traces', pseudoRandomBytes(4096, 42), {
      'content-type': 'application/x-protobuf',
    });
    expect(response.status).toBe(400);
    const status = await rpcStatusOf(response);
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/not a valid ExportTraceServiceRequest protobuf message/);
  });

  it('when a protobuf request is cut short, then 400', async () => {
    const full = ProtobufTraceSerializer.serializeRequest([
      readableSpan({ traceId: newTraceId(), name: 'cut', attributes: { a: 'x'.repeat(200) } }),
    ])!;
    const response = await post('/v1/traces', full.subarray(0, full.length - 50), {
      'content-type': 'application/x-protobuf',
    });
    expect(response.status).toBe(400);
    expect((await rpcStatusOf(response)).message).toMatch(/not a valid ExportTraceServiceRequest/);
  });

  it.each([
    ['malformed JSON', '{"resourceSpans":[{', /not valid JSON/],
    [
      'spans as an object',
      '{"resourceSpans":[{"scopeSpans":[{"spans":{}}]}]}',
      /resourceSpans\[0\]\.scopeSpans\[0\]\.spans: expected an array/,
    ],
    [
      'a numeric span name',
      '{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":7}]}]}]}',
      /spans\[0\]\.name: expected a string, got number 7/,
    ],
    [
      'a timestamp as text',
      '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"soon"}]}]}]}',
      /logRecords\[0\]\.timeUnixNano: expected a non-negative integer/,
    ],
    ['deep nesting', '['.repeat(200_000), /nests JSON deeper than 144 levels/],
  ])('when JSON has %s, then 400 names the problem', async (_, body, message) => {
    const path = body.includes('resourceLogs') ? '/v1/logs' : '/v1/traces';
    const response = await post(path, body, { 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    const json = await jsonError(response);
    expect(json.error.code).toBe('bad_request');
    expect(json.message).toMatch(message);
  });

  it('when a JSON body is not UTF-8, then 400', async () => {
    const response = await post('/v1/logs', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), {
      'content-type': 'application/json',
    });
    expect(response.status).toBe(400);
    expect((await jsonError(response)).message).toMatch(/not valid UTF-8/);
  });

  it('when a gzip body is corrupt, then 400', async () => {
    const gz = zlib.gzipSync(Buffer.from('{"resourceSpans":[]}'));
    gz[gz.length - 12]! ^= 0xff;
    const response = await post('/v1/traces', gz.subarray(0, gz.length - 4), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(response.status).toBe(400);
    expect((await jsonError(response)).message).toMatch(/could not be decompressed|could not be read|aborted/);
  });
});

describe('too large → 413', () => {
  it('when a 100 MB body arrives, then 413 names the limit', async () => {
    const response = await post('/v1/traces', Buffer.alloc(100 * 1024 * 1024, 0x20), {
      'content-type': 'application/json',
    });
    expect(response.status).toBe(413);
    expect((await jsonError(response)).message).toBe(
      'request body exceeds the limit of 67108864 bytes (counted after decompression)',
    );
  });

  it('when a gzip bomb (1 GiB of zeros, about 1 MB compressed) arrives, then 413 after inflating only up to the limit', async () => {
    const bomb = await gzipBomb();
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const response = await post('/v1/traces', bomb, {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
    });
    expect(response.status).toBe(413);
    expect((await rpcStatusOf(response)).message).toMatch(/exceeds the limit of 67108864 bytes/);
  }, 60_000);
});

describe('a configured body limit', () => {
  it('when a gzip body is small on the wire but over the limit once inflated, then 413; under it, 200', async () => {
    const small = await startHarness({ maxBodyBytes: 2048 });
    try {
      const json = (padding: number) =>
        zlib.gzipSync(Buffer.from(JSON.stringify({ resourceSpans: [], padding: ' '.repeat(padding) })));
      const send = (body: Buffer) =>
        fetch(`${small.collector.url}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-api-key': small.ingestKey },
          body,
        });
      const over = json(10_000);
      expect(over.length).toBeLessThan(2048);
      const refused = await send(over);
      expect(refused.status).toBe(413);
      expect((await jsonError(refused)).message).toMatch(/limit of 2048 bytes \(counted after decompression\)/);
      expect((await send(json(1000))).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});

describe('wrong media type or encoding → 415', () => {
  it.each([
    ['text/plain', 'hello'],
    ['application/x-www-form-urlencoded', 'a=b'],
    // Names of Object.prototype's members are media types like any other unknown one.
    ['constructor', '{}'],
    ['__proto__', '{}'],
  ])('when Content-Type is %s, then 415 lists what is accepted', async (contentType, body) => {
    const response = await post('/v1/traces', body, { 'content-type': contentType });
    expect(response.status).toBe(415);
    expect((await jsonError(response)).message).toBe(
      `unsupported Content-Type "${contentType}": OTLP/HTTP takes application/x-protobuf or application/json`,
    );
  });

  it.each(['compress', 'constructor', '__proto__', 'hasOwnProperty'])(
    'when Content-Encoding is %s, then 415 lists exactly the accepted encodings',
    async (encoding) => {
      const response = await post('/v1/traces', 'xxxx', {
        'content-type': 'application/json',
        'content-encoding': encoding,
      });
      expect(response.status).toBe(415);
      const json = await jsonError(response);
      expect(json.code).toBe(3);
      expect(json.message).toBe(
        `unsupported Content-Encoding "${encoding}": the collector accepts gzip, deflate, br, zstd or identity (none)`,
      );
    },
  );
});

describe('wrong key → 401', () => {
  const spanBody = () =>
    ProtobufTraceSerializer.serializeRequest([readableSpan({ traceId: newTraceId(), name: 'x' })])!;

  it.each([
    ['no key', {}, /missing ingest key/],
    ['an unknown key', { authorization: 'Bearer tt_ingest_nope' }, /unknown ingest key/],
    ['garbage in x-api-key', { 'x-api-key': "' OR 1=1 --" }, /unknown ingest key/],
  ])('when the request has %s, then 401', async (_, headers, message) => {
    const response = await fetch(`${h.collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', ...headers },
      body: spanBody(),
    });
    expect(response.status).toBe(401);
    const status = await rpcStatusOf(response);
    expect(status.code).toBe(16);
    expect(status.message).toMatch(message);
  });

  it('when the project read key is used to ingest, then 401 says a read key cannot ingest', async () => {
    const response = await fetch(`${h.collector.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': h.readKey },
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect((await jsonError(response)).message).toMatch(/this is a read key/);
  });
});

describe('guessing keys → 429 per client address', () => {
  it('when one address sends many wrong keys, then it gets 429 with Retry-After, and a valid key from it still ingests', async () => {
    const limited = await startHarness({ authThrottle: { limit: 5, windowMs: 60_000 } });
    try {
      const post = (key: string) =>
        fetch(`${limited.collector.url}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: '{}',
        });
      const statuses: number[] = [];
      let throttled: Response | undefined;
      for (let i = 0; i < 8; i += 1) {
        const response = await post(`tt_ingest_guess${i}`);
        statuses.push(response.status);
        if (response.status === 429) throttled = response;
        else await response.arrayBuffer();
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
      expect(Number(throttled?.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await jsonError(throttled!)).message).toMatch(/too many failed authentications/);
      expect((await post(limited.ingestKey)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('wrong routes', () => {
  it('when /v1/traces is asked with GET, then 405 with Allow: POST', async () => {
    const response = await fetch(`${h.collector.url}/v1/traces`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('when an unknown path is asked, then a JSON 404 with NOT_FOUND', async () => {
    const response = await fetch(`${h.collector.url}/v1/profiles`, { method: 'POST' });
    expect(response.status).toBe(404);
    const json = await jsonError(response);
    expect(json.error.code).toBe('not_found');
    expect(json.code).toBe(5);
  });

  it('when an unknown path is asked in protobuf, then the 404 is a protobuf google.rpc.Status', async () => {
    const response = await post('/v1/profiles', new Uint8Array(0), { 'content-type': 'application/x-protobuf' });
    expect(response.status).toBe(404);
    expect(await rpcStatusOf(response)).toMatchObject({ code: 5, message: expect.stringMatching(/no route POST/) });
  });

  it.each([
    ['application/json', 'json'],
    ['application/x-protobuf', 'protobuf'],
  ])('when metrics are sent as %s, then 501 UNIMPLEMENTED says tooltrace takes traces and logs', async (type, kind) => {
    const response = await post('/v1/metrics', new Uint8Array(0), { 'content-type': type });
    expect(response.status).toBe(501);
    const status = kind === 'json' ? await jsonError(response) : await rpcStatusOf(response);
    expect(status.code).toBe(12);
    expect(status.message).toMatch(/^tooltrace takes traces and logs, not metrics/);
  });
});
