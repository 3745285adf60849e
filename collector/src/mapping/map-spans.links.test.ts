/** mapTracesRequest: span links and the counts of what was dropped before storage. */
import { StoredLogSchema } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import { logsOf, MAPPING_OPTIONS, makeLogRecord, makeSpan, START, tracesOf } from '../testing/otlp-builders.ts';
import { mapLogsRequest } from './map-logs.ts';
import { mapTracesRequest } from './map-spans.ts';

const LINKED_TRACE = '0af7651916cd43dd8448eb211c80319c';
const LINKED_SPAN = 'b7ad6b7169203331';

function link(traceId: string, spanId: string, attributes = {}) {
  return { traceId, spanId, traceState: '', attributes, flags: 0 };
}

describe('span links', () => {
  it('when a span links to other traces, then its log entry keeps each valid link with cut attributes', () => {
    const span = makeSpan({
      links: [link(LINKED_TRACE, LINKED_SPAN, { why: 'retry of', long: 'x'.repeat(20) })],
    });
    const result = mapTracesRequest(tracesOf([span]), { ...MAPPING_OPTIONS, maxAttributeValueLength: 10 });
    const entry = result.batch.logs.find((log) => log.source === 'span')!;
    expect(entry.links).toHaveLength(1);
    expect(entry.links![0]).toMatchObject({ traceId: LINKED_TRACE, spanId: LINKED_SPAN });
    expect(entry.links![0]!.attributes.why).toBe('retry of');
    expect(String(entry.links![0]!.attributes.long)).toMatch(/^x{10}…\[truncated/);
    expect(entry.attributes['otel.dropped_links_count']).toBeUndefined();
    expect(StoredLogSchema.safeParse({ ...entry, projectId: 'p' }).success).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it('when a span has no links, then its entry has no links field', () => {
    const entry = mapTracesRequest(tracesOf([makeSpan()]), MAPPING_OPTIONS).batch.logs[0]!;
    expect(entry).not.toHaveProperty('links');
  });

  it('when a link has an invalid ID, then the span is stored without it, the answer names it and the count says so', () => {
    const span = makeSpan({ links: [link('', LINKED_SPAN), link(LINKED_TRACE, LINKED_SPAN)], droppedLinksCount: 2 });
    const result = mapTracesRequest(tracesOf([span]), MAPPING_OPTIONS);
    const entry = result.batch.logs[0]!;
    expect(entry.links?.map((l) => l.traceId)).toEqual([LINKED_TRACE]);
    expect(entry.attributes['otel.dropped_links_count']).toBe(3);
    expect(result.rejected).toBe(0);
    expect(result.warnings).toEqual([
      `${span.ref}.links[0]: invalid trace or span ID ("", "${LINKED_SPAN}"); the link is not stored, the span is`,
    ]);
  });
});

describe('dropped counts', () => {
  it('when the sender dropped attributes, events and links, then the span entry carries otel.dropped_* counts', () => {
    const span = makeSpan({
      droppedAttributesCount: 2,
      droppedAttributes: 1,
      droppedEventsCount: 4,
      events: [{ timeUnixNano: START, name: 'e', attributes: {}, droppedAttributesCount: 5 }],
      status: { code: 2, message: 'failed' },
    });
    const [entry, event] = mapTracesRequest(tracesOf([span]), MAPPING_OPTIONS).batch.logs;
    expect(entry!.attributes).toMatchObject({
      'otel.status_code': 'ERROR',
      'otel.dropped_attributes_count': 3,
      'otel.dropped_events_count': 4,
    });
    expect(entry!.attributes).not.toHaveProperty('otel.dropped_links_count');
    expect(event!.attributes).toEqual({ 'otel.dropped_attributes_count': 5 });
  });

  it('when nothing was dropped, then no count attribute is added', () => {
    const entry = mapTracesRequest(tracesOf([makeSpan({ droppedEventsCount: 0 })]), MAPPING_OPTIONS).batch.logs[0]!;
    expect(Object.keys(entry.attributes).filter((k) => k.startsWith('otel.dropped'))).toEqual([]);
  });

  it('when a log record lost attributes, then its entry carries the count', () => {
    const record = makeLogRecord({ droppedAttributesCount: 7, attributes: { a: 1 } });
    const entry = mapLogsRequest(logsOf([record]), MAPPING_OPTIONS).logs[0]!;
    expect(entry.attributes).toMatchObject({ a: 1, 'otel.dropped_attributes_count': 7 });
  });
});
