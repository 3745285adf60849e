/**
 * Span links, flags and dropped counts, end to end: spans made with the
 * OpenTelemetry API (links to other traces, past the SDK's limits) and sent by
 * the official exporters, protobuf and JSON, to a real collector; the test
 * reads the real SQLite store behind it.
 */
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExporterHarness, startExporterHarness } from '../testing/harness.ts';
import { EXPORT_SUCCESS, newSpanId, newTraceId } from '../testing/telemetry.ts';

let h: ExporterHarness;
beforeAll(async () => {
  h = await startExporterHarness();
});
afterAll(() => h?.close());

/** A batch job's span that links the two traces it consumed; the SDK keeps 2 attributes and 1 event. */
function batchJobSpan() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'batch-worker' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    spanLimits: { attributeCountLimit: 2, eventCountLimit: 1 },
  });
  const consumed = [
    { traceId: newTraceId(), spanId: newSpanId(), traceFlags: 1, isRemote: true },
    { traceId: newTraceId(), spanId: newSpanId(), traceFlags: 1, isRemote: true },
  ];
  const span = provider.getTracer('batch').startSpan('process batch', {
    attributes: { 'tooltrace.kind': 'internal', 'batch.size': 2, 'batch.queue': 'q' },
    links: consumed.map((context, i) => ({ context, attributes: { 'messaging.message.id': `m-${i}` } })),
  });
  span.addEvent('started');
  span.addEvent('done');
  span.end();
  return { spans: exporter.getFinishedSpans(), consumed, traceId: span.spanContext().traceId };
}

describe.each([
  ['protobuf', (spans: ReturnType<typeof batchJobSpan>['spans']) => h.exporters.sendProto(spans)],
  ['JSON', (spans: ReturnType<typeof batchJobSpan>['spans']) => h.exporters.sendJson(spans)],
])('when the official %s exporter sends a span with links', (_encoding, send) => {
  it('then its log entry keeps each link and the counts of what the SDK dropped', async () => {
    const job = batchJobSpan();
    expect((await send(job.spans)).code).toBe(EXPORT_SUCCESS);
    const detail = await h.trace(job.traceId);
    const entry = detail.logs.find((log) => log.source === 'span')!;
    expect(entry.links).toEqual(
      job.consumed.map((c, i) => ({
        traceId: c.traceId,
        spanId: c.spanId,
        attributes: { 'messaging.message.id': `m-${i}` },
      })),
    );
    expect(entry.attributes).toMatchObject({ 'otel.dropped_attributes_count': 1, 'otel.dropped_events_count': 1 });
    expect(entry.attributes).not.toHaveProperty('otel.dropped_links_count');
    // The events the SDK kept are logs of the trace without links of their own.
    expect(detail.logs.filter((log) => log.source === 'span_event').map((log) => log.links)).toEqual([undefined]);
  });
});
