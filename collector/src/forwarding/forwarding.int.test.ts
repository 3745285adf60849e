/**
 * Forwarding end to end in one process: the official OTLP exporters send to
 * a real collector (real SQLite store, real outbox file), which forwards to a
 * real HTTP server standing in for the destination.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ForwardDestination } from '@tooltrace/conventions';
import { openSqliteStore, type Store } from '@tooltrace/store';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeLogsRequest, decodeTracesRequest } from '../otlp/decode.ts';
import type { TracesRequest } from '../otlp/types.ts';
import { type RunningCollector, startCollector } from '../server/start.ts';
import { type Received, type Receiver, startReceiver } from '../testing/receiver.ts';
import { newTraceId, officialExporters, readableLog, readableSpan } from '../testing/telemetry.ts';
import { waitUntil } from '../testing/wait.ts';
import { createForwarding, type Forwarding, type ForwardingOptions } from './forwarding.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  h: { store: Store; collector: RunningCollector; projectId: string; ingestKey: string };
  forwarding: Forwarding;
  receiver: Receiver;
  destination: ForwardDestination;
  outboxPath: string;
  exporters: ReturnType<typeof officialExporters>;
}

async function setup(
  destination: Record<string, unknown> = {},
  options: Partial<ForwardingOptions> = {},
  /** Decode (and cut + encode each destination's body) in this many worker threads; 0: inline. */
  decodeWorkers = 0,
): Promise<Setup> {
  const receiver = await startReceiver();
  cleanups.push(() => receiver.close());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-forwarding-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  const outboxPath = path.join(dir, 'outbox.db');
  const store = openSqliteStore({ path: path.join(dir, 'tooltrace.db') });
  cleanups.push(() => store.close());
  const { project, ingestKey } = await store.createProject({ name: 'forwarding-test', plan: 'pro' });
  const forwarding = createForwarding({
    destinations: store.destinations,
    outboxPath,
    allowPrivate: true,
    lingerMs: 0,
    backoff: { initialMs: 50, maxMs: 200 },
    ...options,
  });
  cleanups.push(() => forwarding.shutdown());
  const collector = await startCollector({ store, host: '127.0.0.1', port: 0, accepted: forwarding, decodeWorkers });
  cleanups.push(() => collector.close());
  const h = { store, collector, projectId: project.projectId, ingestKey };
  const created = await h.store.destinations.create(h.projectId, {
    name: 'receiver',
    endpoint: receiver.url,
    headers: { 'x-team-key': 'team-secret' },
    ...destination,
  });
  const exporters = officialExporters(h.collector.url, h.ingestKey);
  cleanups.push(() => exporters.shutdown());
  return { h, forwarding, receiver, destination: created, outboxPath, exporters };
}

function tracesOf(received: Received): TracesRequest {
  const body = received.headers['content-encoding'] === 'gzip' ? gunzipSync(received.body) : received.body;
  return decodeTracesRequest(body, String(received.headers['content-type']).includes('json') ? 'json' : 'protobuf');
}

function spanNames(received: Received[]): string[] {
  return received
    .filter((r) => r.path === '/v1/traces')
    .flatMap((r) =>
      tracesOf(r).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name))),
    );
}

describe('forwarding to an OTLP/HTTP destination', () => {
  it.each([
    ['protobuf', 'gzip'],
    ['json', 'none'],
  ] as const)(
    'when spans and logs are accepted, then they arrive once as stored (%s, %s)',
    async (encoding, compression) => {
      const s = await setup({ encoding, compression });
      const traceId = newTraceId();
      const ok = readableSpan({
        traceId,
        name: 'provider ok',
        attributes: {
          'tooltrace.kind': 'provider_request',
          'http.response.status_code': 200,
          'tooltrace.http.response.body': 'ok-body',
          password: 'hunter2',
        },
      });
      const failed = readableSpan({
        traceId,
        name: 'provider failed',
        attributes: {
          'tooltrace.kind': 'provider_request',
          'http.response.status_code': 403,
          'tooltrace.http.response.body': 'err-body',
        },
      });
      expect((await s.exporters.sendProtoGzip([ok, failed])).code).toBe(0);
      expect(
        (await s.exporters.sendLogs([readableLog({ traceId, body: 'a log line', severityText: 'INFO' })])).code,
      ).toBe(0);

      await waitUntil(
        () => s.forwarding.status(s.destination).logsSent === 1 && s.forwarding.status(s.destination).spansSent === 2,
      );
      const traces = s.receiver.received.filter((r) => r.path === '/v1/traces');
      expect(traces).toHaveLength(1);
      const first = traces[0] as Received;
      expect(first.headers['x-team-key']).toBe('team-secret');
      expect(first.headers['content-type']).toBe(encoding === 'json' ? 'application/json' : 'application/x-protobuf');
      expect(first.headers['content-encoding']).toBe(compression === 'gzip' ? 'gzip' : undefined);
      const request = tracesOf(first);
      expect(request.resourceSpans[0]?.resource['service.name']).toBe('test-service');
      const spans = request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
      const byName = Object.fromEntries(spans.map((span) => [span.name, span]));
      expect(JSON.stringify(request)).not.toContain('hunter2');
      expect(byName['provider ok']?.attributes).toEqual({
        'tooltrace.kind': 'provider_request',
        'http.response.status_code': 200,
        password: '[REDACTED]',
      });
      expect(byName['provider failed']?.attributes['tooltrace.http.response.body']).toBe('err-body');
      expect(byName['provider failed']?.traceId).toBe(traceId);

      const logs = s.receiver.received.filter((r) => r.path === '/v1/logs');
      expect(logs).toHaveLength(1);
      const logBody =
        logs[0]?.headers['content-encoding'] === 'gzip' ? gunzipSync(logs[0].body) : (logs[0] as Received).body;
      const logRequest = decodeLogsRequest(logBody, encoding);
      expect(logRequest.resourceLogs[0]?.scopeLogs[0]?.logRecords[0]?.body).toBe('a log line');

      const status = s.forwarding.status(s.destination);
      expect(status).toMatchObject({ state: 'ok', batchesQueued: 0, queueBytes: 0, lagMs: 0, lastError: null });
      expect(status.lastSuccessAt).not.toBeNull();
    },
  );

  it('when the collector rejects a span or cuts a value, then only what it stored goes out', async () => {
    const s = await setup();
    const traceId = newTraceId();
    const long = 'v'.repeat(20_000);
    const result = await s.exporters.sendProto([
      readableSpan({ traceId, name: 'kept', attributes: { 'tool.output': long } }),
      // Two days after now: past the one-day time sanity bound, so the collector rejects it.
      readableSpan({ traceId, name: 'from the future', atMs: 3_600_000 + 2 * 86_400_000 }),
      readableSpan({ traceId, name: 'also kept' }),
    ]);
    expect(result.code).toBe(0);
    await waitUntil(() => s.forwarding.status(s.destination).spansSent === 2);
    const traces = s.receiver.received.filter((r) => r.path === '/v1/traces');
    expect(spanNames(traces)).toEqual(['kept', 'also kept']);
    const spans = tracesOf(traces[0] as Received).resourceSpans.flatMap((rs) =>
      rs.scopeSpans.flatMap((ss) => ss.spans),
    );
    const forwarded = String(spans.find((span) => span.name === 'kept')?.attributes['tool.output']);
    const stored = await s.h.store.getTrace(s.h.projectId, traceId);
    const storedValue = stored?.logs.find((entry) => entry.name === 'kept')?.attributes['tool.output'];
    expect(forwarded).toBe(storedValue);
    expect(forwarded.startsWith('v'.repeat(8 * 1024))).toBe(true);
    expect(forwarded).toContain('[truncated: 11808 of 20000 characters omitted]');
  });

  it('when spans were forwarded, then the status is reported to the store for an API elsewhere', async () => {
    const s = await setup({}, { statusReportIntervalMs: 50 });
    await s.exporters.sendProto([readableSpan({ traceId: newTraceId(), name: 'reported' })]);
    await waitUntil(() => s.forwarding.status(s.destination).spansSent === 1);
    const reported = async () => (await s.h.store.destinations.reportedStatus(s.h.projectId))[s.destination.id];
    await waitUntil(async () => (await reported())?.status.spansSent === 1, 50);
    expect((await reported())?.status).toEqual(s.forwarding.status(s.destination));
  });

  it('when the filter is errors_only, then only failing spans go out', async () => {
    const s = await setup({ filter: 'errors_only' });
    const traceId = newTraceId();
    await s.exporters.sendProto([
      readableSpan({ traceId, name: 'fine' }),
      readableSpan({ traceId, name: 'broken', status: { code: 2, message: 'boom' } }),
    ]);
    await waitUntil(() => s.forwarding.status(s.destination).spansSent === 1);
    expect(spanNames(s.receiver.received)).toEqual(['broken']);
  });

  it('when the filter is errors_only and the encoding json, then a decode worker sends only failing spans as JSON', async () => {
    const s = await setup({ filter: 'errors_only', encoding: 'json', compression: 'none' }, {}, 1);
    const traceId = newTraceId();
    await s.exporters.sendProto([
      readableSpan({ traceId, name: 'fine' }),
      readableSpan({ traceId, name: 'broken', status: { code: 2, message: 'boom' } }),
    ]);
    await waitUntil(() => s.forwarding.status(s.destination).spansSent === 1);
    expect(s.receiver.received.map((r) => r.headers['content-type'])).toEqual(['application/json']);
    expect(spanNames(s.receiver.received)).toEqual(['broken']);
  });

  it('when the same requests are ingested with decode workers and inline, then the destination gets the same bytes', async () => {
    const traceId = newTraceId();
    const spans = [
      readableSpan({
        traceId,
        name: 'provider failed',
        attributes: { password: 'hunter2', 'http.response.status_code': 500, 'tooltrace.http.response.body': 'err' },
      }),
      readableSpan({ traceId, name: 'long', attributes: { 'tool.output': 'v'.repeat(20_000) } }),
      readableSpan({ traceId, name: 'from the future', atMs: 3_600_000 + 2 * 86_400_000 }),
    ];
    const logs = [readableLog({ traceId, body: 'a log line', severityText: 'ERROR' })];
    const forwarded = async (decodeWorkers: number) => {
      const s = await setup({ compression: 'none' }, {}, decodeWorkers);
      expect((await s.exporters.sendProto(spans)).code).toBe(0);
      expect((await s.exporters.sendLogs(logs)).code).toBe(0);
      await waitUntil(() => s.forwarding.status(s.destination).logsSent === 1);
      await waitUntil(() => s.forwarding.status(s.destination).spansSent === 2);
      return s.receiver.received.map((r) => ({ path: r.path, hex: r.body.toString('hex') }));
    };
    const inline = await forwarded(0);
    expect(inline.map((r) => r.path).sort()).toEqual(['/v1/logs', '/v1/traces']);
    expect(await forwarded(2)).toEqual(inline);
  });

  it('when the destinations cannot be read, then the request is refused with 503 and nothing is stored', async () => {
    const unreadable = {
      list: async () => {
        throw new Error('settings unreadable');
      },
      reportStatus: async () => undefined,
    };
    const s = await setup({}, { destinations: unreadable });
    const traceId = newTraceId();
    const nanos = `${BigInt(Date.now()) * 1_000_000n}`;
    const span = { traceId, spanId: '0102030405060708', name: 'held back', kind: 1 };
    const body = JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, startTimeUnixNano: nanos, endTimeUnixNano: nanos }] }] }],
    });
    const response = await fetch(`${s.h.collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.h.ingestKey}` },
      body,
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).not.toBeNull();
    expect(await response.text()).toMatch(/forwarding destinations unavailable: settings unreadable/);
    expect(await s.h.store.getTrace(s.h.projectId, traceId)).toBeNull();
  });

  it('when the destination answers 400, then the batch is rejected and counted, not retried', async () => {
    const s = await setup();
    s.receiver.script = [400];
    s.receiver.errorBody = JSON.stringify({ code: 3, message: 'bad payload from you' });
    await s.exporters.sendProto([readableSpan({ traceId: newTraceId(), name: 'refused' })]);
    await waitUntil(() => s.forwarding.status(s.destination).batchesRejected === 1);
    await s.exporters.sendProto([readableSpan({ traceId: newTraceId(), name: 'taken' })]);
    await waitUntil(() => s.forwarding.status(s.destination).spansSent === 1);
    expect(spanNames(s.receiver.received)).toEqual(['refused', 'taken']);
    const status = s.forwarding.status(s.destination);
    expect(status).toMatchObject({ state: 'ok', batchesRejected: 1, batchesRetried: 0, batchesQueued: 0 });
    expect(status.lastError).toMatchObject({ httpStatus: 400, message: 'HTTP 400: bad payload from you' });
  });

  it('when the destination answers 429 with Retry-After: 2, then the retry comes no sooner', async () => {
    const s = await setup();
    s.receiver.script = [429];
    s.receiver.retryAfter = '2';
    await s.exporters.sendProto([readableSpan({ traceId: newTraceId(), name: 'later' })]);
    await waitUntil(() => s.receiver.arrivals.length === 1);
    await waitUntil(() => s.forwarding.status(s.destination).state === 'retrying');
    expect(s.forwarding.status(s.destination)).toMatchObject({ batchesQueued: 1, batchesRetried: 1 });
    expect(s.forwarding.status(s.destination).lastError?.httpStatus).toBe(429);
    await waitUntil(() => s.forwarding.status(s.destination).spansSent === 1, 50);
    const [first = 0, second = 0] = s.receiver.arrivals;
    expect(second - first).toBeGreaterThanOrEqual(2000);
    expect(spanNames(s.receiver.received)).toEqual(['later', 'later']);
  });

  it('when forwarding restarts with batches queued, then they are sent from the outbox file', async () => {
    const s = await setup();
    s.receiver.hold = true;
    await s.exporters.sendProto([readableSpan({ traceId: newTraceId(), name: 'survivor' })]);
    expect(s.forwarding.status(s.destination).batchesQueued).toBe(1);
    await s.h.collector.close();
    // Shutting down while the request hangs leaves the batch queued, as a crash would.
    const stopping = s.forwarding.shutdown();
    s.receiver.script = [503];
    s.receiver.release();
    await stopping;
    s.receiver.received.length = 0;
    const again = createForwarding({
      destinations: s.h.store.destinations,
      outboxPath: s.outboxPath,
      allowPrivate: true,
      lingerMs: 0,
      backoff: { initialMs: 50, maxMs: 200 },
    });
    cleanups.push(() => again.shutdown());
    await waitUntil(() => again.status(s.destination).spansSent === 1);
    expect(spanNames(s.receiver.received)).toEqual(['survivor']);
  });

  it('when the destination stays down past the bound, then the oldest batches are dropped and counted', async () => {
    const s = await setup({}, { limits: { maxBytes: 4000, maxAgeMs: 60_000 } });
    s.receiver.hold = true;
    for (let i = 0; i < 30; i++) {
      await s.exporters.sendProto([
        readableSpan({ traceId: newTraceId(), name: `s${i}`, attributes: { pad: 'x'.repeat(300) } }),
      ]);
    }
    const status = s.forwarding.status(s.destination);
    expect(status.batchesDropped).toBeGreaterThan(0);
    expect(status.queueBytes).toBeLessThanOrEqual(4000);
    expect(status.batchesQueued + status.batchesDropped).toBe(30);
    s.receiver.release();
    await waitUntil(() => s.forwarding.status(s.destination).batchesQueued === 0, 20);
    const names = spanNames(s.receiver.received);
    expect(names).toContain('s29');
    expect(names).not.toContain('s5');
  });

  it('when private addresses are not allowed, then a loopback destination is refused with the reason', async () => {
    const s = await setup({}, { allowPrivate: false });
    const answer = await s.forwarding.test(s.destination);
    expect(answer).toMatchObject({ ok: false, httpStatus: null });
    expect(answer.message).toMatch(/TOOLTRACE_FORWARD_ALLOW_PRIVATE=on/);
    expect(s.receiver.received).toHaveLength(0);
  });

  it('when a destination is tested, then it gets one marked span and its answer is reported', async () => {
    const s = await setup({ encoding: 'json' });
    s.receiver.script = [401];
    s.receiver.errorBody = '{"message":"invalid API key"}';
    expect(await s.forwarding.test(s.destination)).toMatchObject({
      ok: false,
      httpStatus: 401,
      message: 'HTTP 401: invalid API key',
    });
    expect(await s.forwarding.test(s.destination)).toMatchObject({ ok: true, httpStatus: 200 });
    expect(spanNames(s.receiver.received)).toEqual(['tooltrace forwarding test', 'tooltrace forwarding test']);
  });
});
