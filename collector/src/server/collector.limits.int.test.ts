/**
 * Time sanity and attribute limits as a sender sees them, against a real
 * collector and SQLite store (project on the pro plan: 30 days): every rule
 * is reported per span in OTLP partial_success, never dropped silently.
 */
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { ATTR_OTEL_DROPPED_ATTRIBUTES_COUNT, DAY_MS } from '@tooltrace/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness.ts';
import { newSpanId, newTraceId, readableSpan } from '../testing/telemetry.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const nanosAt = (ms: number) => `${ms}000000`;

function jsonSpan(traceId: string, name: string, startMs: number, attributeCount = 1) {
  return {
    traceId,
    spanId: newSpanId(),
    name,
    startTimeUnixNano: nanosAt(startMs),
    endTimeUnixNano: nanosAt(startMs + 50),
    attributes: Array.from({ length: attributeCount }, (_, i) => ({ key: `a${i}`, value: { intValue: String(i) } })),
  };
}

describe('limits and time sanity in partial_success', () => {
  it('when a JSON request holds a future span, a span past the age limit and a span with 1500 attributes, then each is reported', async () => {
    const now = Date.now();
    const [future, old, wide, fine] = [newTraceId(), newTraceId(), newTraceId(), newTraceId()];
    const spans = [
      jsonSpan(future, 'from the future', now + 2 * DAY_MS),
      jsonSpan(old, 'too old', now - 31 * DAY_MS),
      jsonSpan(wide, 'wide', now - 1000, 1500),
      jsonSpan(fine, 'fine', now - 1000),
    ];
    const response = await fetch(`${h.collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.ingestKey}` },
      body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }),
    });
    expect(response.status).toBe(200);
    const { partialSuccess } = (await response.json()) as {
      partialSuccess: { rejectedSpans: string; errorMessage: string };
    };
    expect(partialSuccess.rejectedSpans).toBe('2');
    expect(partialSuccess.errorMessage).toMatch(
      /^2 spans rejected: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.startTimeUnixNano: .* is more than 1 day in the future .*; resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[1\]\.startTimeUnixNano: .* is older than the project's age limit of 30 days\. 1 span stored in part: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[2\]\.attributes: 1500 attributes, over the limit of 1000; 500 dropped/,
    );

    expect(await h.store.getTrace(h.projectId, future)).toBeNull();
    expect(await h.store.getTrace(h.projectId, old)).toBeNull();
    expect(await h.store.getTrace(h.projectId, fine)).not.toBeNull();
    const stored = await h.store.getTrace(h.projectId, wide);
    // The first 1000 are kept, and the 500 dropped stay visible as otel.dropped_attributes_count.
    const { [ATTR_OTEL_DROPPED_ATTRIBUTES_COUNT]: droppedCount, ...kept } = stored!.logs[0]!.attributes;
    expect(Object.keys(kept)).toHaveLength(1000);
    expect(droppedCount).toBe(500);
  });

  it('when a protobuf span carries the largest fixed64 time, then the protobuf answer reports it and nothing is stored', async () => {
    const traceId = newTraceId();
    const span = readableSpan({ traceId, name: 'year 2554' });
    const absurd = { ...span, startTime: [18_446_744_073, 709_551_615] as [number, number], endTime: span.endTime };
    const response = await fetch(`${h.collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${h.ingestKey}` },
      body: ProtobufTraceSerializer.serializeRequest([absurd]),
    });
    expect(response.status).toBe(200);
    const decoded = ProtobufTraceSerializer.deserializeResponse(new Uint8Array(await response.arrayBuffer()));
    expect(Number(decoded.partialSuccess?.rejectedSpans)).toBe(1);
    expect(decoded.partialSuccess?.errorMessage).toMatch(/startTimeUnixNano: 2554-.* is more than 1 day in the future/);
    expect(await h.store.getTrace(h.projectId, traceId)).toBeNull();
  });
});
