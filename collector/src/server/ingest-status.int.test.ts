/**
 * The project's ingest status as the collector records it, read back from a
 * real SQLite store: accepted and rejected items per sender, rejection kinds
 * with their last message, and whole requests refused after the key check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness.ts';
import { EXPORT_SUCCESS, newSpanId, newTraceId, officialExporters, readableSpan } from '../testing/telemetry.ts';
import { waitUntil } from '../testing/wait.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ ingestStatusIntervalMs: 20 });
});
afterAll(() => h?.close());

function post(path: string, body: unknown, contentType = 'application/json') {
  return fetch(`${h.collector.url}${path}`, {
    method: 'POST',
    headers: { 'x-api-key': h.ingestKey, 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const resource = (service: string) => ({ attributes: [{ key: 'service.name', value: { stringValue: service } }] });

describe('ingest status', () => {
  it('when spans, orphan log records and a wrong media type arrive, then each is counted by sender and reason', async () => {
    const now = String(BigInt(Date.now()) * 1_000_000n);
    const span = { traceId: newTraceId(), spanId: '0102030405060708', name: 'plain', startTimeUnixNano: now };
    const bad = { traceId: '0'.repeat(32), spanId: '0102030405060709', name: 'bad', startTimeUnixNano: now };
    expect(
      (
        await post('/v1/traces', {
          resourceSpans: [{ resource: resource('checkout'), scopeSpans: [{ spans: [span, bad] }] }],
        })
      ).status,
    ).toBe(200);
    const orphan = { timeUnixNano: now, body: { stringValue: 'no trace' } };
    expect(
      (
        await post('/v1/logs', {
          resourceLogs: [{ resource: resource('worker'), scopeLogs: [{ logRecords: [orphan] }] }],
        })
      ).status,
    ).toBe(200);
    expect((await post('/v1/traces', 'hello', 'text/plain')).status).toBe(415);

    await waitUntil(async () => (await h.store.ingestStatus.summary(h.projectId)).last24h.byReason.length === 3);
    const summary = await h.store.ingestStatus.summary(h.projectId);
    expect(summary.last24h.totals).toEqual({ accepted: 1, rejected: 3, throttled: 0 });
    expect(summary.last24h.bySender).toEqual(
      expect.arrayContaining([
        {
          serviceName: 'checkout',
          accepted: 1,
          rejected: 1,
          throttled: 0,
          sampleTraces: [{ traceId: span.traceId, name: 'plain', at: expect.any(String) }],
        },
        { serviceName: 'worker', accepted: 0, rejected: 1, throttled: 0, sampleTraces: [] },
        { serviceName: '(refused before decoding)', accepted: 0, rejected: 1, throttled: 0, sampleTraces: [] },
      ]),
    );
    const messages = Object.fromEntries(summary.lastRejections.map((r) => [r.reason, r.message]));
    expect(messages.log_without_trace).toMatch(/logRecords\[0\]\.traceId: missing/);
    expect(messages.invalid_trace_id).toMatch(/spans\[1\]\.traceId: invalid trace ID/);
    expect(messages.unsupported_media_type).toMatch(/unsupported Content-Type "text\/plain"/);
  });

  it('when the official exporter sends plain and tool-call traces from two services, then each sender keeps its newest plain traces as samples', async () => {
    const exporters = officialExporters(h.collector.url, h.ingestKey);
    const plain = (serviceName: string, name: string) => {
      const traceId = newTraceId();
      const rootId = newSpanId();
      return {
        traceId,
        spans: [
          readableSpan({ traceId, spanId: rootId, name, serviceName }),
          readableSpan({ traceId, parentSpanId: rootId, name: 'SELECT orders', serviceName }),
        ],
      };
    };
    const billing = [1, 2, 3, 4].map((n) => plain('billing', `GET /invoices/${n}`));
    const agentPlain = plain('assistant', 'POST /chat');
    const toolCall = readableSpan({
      traceId: newTraceId(),
      name: 'tools/call search',
      serviceName: 'assistant',
      attributes: { 'tooltrace.kind': 'tool_call', 'gen_ai.tool.name': 'search' },
    });
    const first = await exporters.sendProto([...billing.slice(0, 2).flatMap((t) => t.spans), toolCall]);
    const second = await exporters.sendProto([...billing.slice(2).flatMap((t) => t.spans), ...agentPlain.spans]);
    await exporters.shutdown();
    expect([first.code, second.code]).toEqual([EXPORT_SUCCESS, EXPORT_SUCCESS]);

    const samplesOf = async (sender: string) =>
      (await h.store.ingestStatus.summary(h.projectId)).last24h.bySender.find((s) => s.serviceName === sender)
        ?.sampleTraces ?? [];
    await waitUntil(async () => (await samplesOf('assistant')).length > 0 && (await samplesOf('billing')).length === 3);
    // The second request is the newer: its two traces first, then the newest of the first.
    expect((await samplesOf('billing')).map((s) => s.traceId)).toEqual(
      [billing[2], billing[3], billing[0]].map((t) => t!.traceId),
    );
    expect((await samplesOf('billing')).map((s) => s.name)).toEqual([
      'GET /invoices/3',
      'GET /invoices/4',
      'GET /invoices/1',
    ]);
    // The tool call's trace is what the Tools tab lists, never a sample of what is not one.
    expect(await samplesOf('assistant')).toEqual([
      { traceId: agentPlain.traceId, name: 'POST /chat', at: expect.any(String) },
    ]);
  });
});
