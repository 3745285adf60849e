import { isValidSpanId, isValidTraceId, StoredLogSchema, StoredToolCallSchema } from '@tooltrace/conventions';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import {
  type Chunk,
  chunkBySpans,
  encodeChunk,
  generateTraces,
  logCount,
  type ModelTrace,
  traffic,
} from './generator.ts';
import { chunkFacts } from './lib/collector-facts.ts';

const WINDOW = { fromMs: Date.UTC(2026, 10, 1), toMs: Date.UTC(2026, 10, 2) };

function take(seed: number, n: number): ModelTrace[] {
  const out: ModelTrace[] = [];
  for (const trace of generateTraces({ seed, ...WINDOW, expectedTraces: n })) {
    out.push(trace);
    if (out.length === n) break;
  }
  return out;
}

/** Counts spans in an ExportTraceServiceRequest by walking the wire format (field numbers from the OTLP proto). */
function countEncodedSpans(body: Uint8Array): number {
  const nested = (bytes: Uint8Array, field: number, visit: (inner: Uint8Array) => void) => {
    const reader = protobuf.Reader.create(bytes);
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag >>> 3 === field && (tag & 7) === 2) visit(reader.bytes());
      else reader.skipType(tag & 7);
    }
  };
  let spans = 0;
  // ExportTraceServiceRequest.resource_spans = 1 → ResourceSpans.scope_spans = 2 → ScopeSpans.spans = 2
  nested(body, 1, (resourceSpans) =>
    nested(resourceSpans, 2, (scopeSpans) =>
      nested(scopeSpans, 2, () => {
        spans++;
      }),
    ),
  );
  return spans;
}

describe('generateTraces', () => {
  it('gives the same traces and the same protobuf bytes for the same seed', () => {
    const a = take(42, 300);
    const b = take(42, 300);
    expect(b).toEqual(a);
    const spansA = a.flatMap((t) => t.spans);
    const spansB = b.flatMap((t) => t.spans);
    expect(Buffer.from(encodeChunk({ spans: spansB, logRecords: [] }).traces)).toEqual(
      Buffer.from(encodeChunk({ spans: spansA, logRecords: [] }).traces),
    );
  });

  it('gives different traces for different seeds', () => {
    expect(take(1, 5).map((t) => t.traceId)).not.toEqual(take(2, 5).map((t) => t.traceId));
  });

  it('orders traces by start time inside the window and uses valid, unique IDs', () => {
    const traces = take(7, 1000);
    const starts = traces.map((t) => t.startUs);
    expect(starts).toEqual([...starts].sort((x, y) => x - y));
    expect(starts[0]!).toBeGreaterThanOrEqual(WINDOW.fromMs * 1000);
    expect(starts.at(-1)!).toBeLessThan(WINDOW.toMs * 1000);
    const spanIds = new Set<string>();
    for (const trace of traces) {
      expect(isValidTraceId(trace.traceId)).toBe(true);
      for (const span of trace.spans) {
        expect(isValidSpanId(span.spanId)).toBe(true);
        expect(span.traceId).toBe(trace.traceId);
        spanIds.add(span.spanId);
      }
    }
    expect(spanIds.size).toBe(traces.reduce((n, t) => n + t.spans.length, 0));
    expect(new Set(traces.map((t) => t.traceId)).size).toBe(traces.length);
  });

  it('makes tool calls with 3–8 child spans, and trigger events with 1–4 deliveries unless processing failed', () => {
    const traces = take(3, 2000);
    const kinds = new Set(traces.map((t) => t.kind));
    expect(kinds).toEqual(new Set(['tool_call', 'trigger_event', 'trigger_subscription']));
    for (const trace of traces) {
      const [root, ...children] = trace.spans;
      expect(root!.parentSpanId).toBeNull();
      for (const child of children) expect(child.parentSpanId).toBe(root!.spanId);
      if (trace.kind === 'tool_call') {
        expect(root!.kind).toBe('tool_call');
        expect(children.length).toBeGreaterThanOrEqual(3);
        expect(children.length).toBeLessThanOrEqual(8);
        expect(children.some((c) => c.kind === 'provider_request')).toBe(true);
      }
      if (trace.kind === 'trigger_event') {
        expect(root!.kind).toBe('trigger_event');
        const deliveries = new Set(
          children.filter((c) => c.kind === 'trigger_delivery').map((c) => c.attributes['tooltrace.delivery.id']),
        );
        const processingFailed = children.some((c) => c.kind === 'internal' && c.error);
        if (processingFailed) expect(deliveries.size).toBe(0);
        else {
          expect(deliveries.size).toBeGreaterThanOrEqual(1);
          expect(deliveries.size).toBeLessThanOrEqual(4);
        }
      }
    }
    const toolCalls = traces.filter((t) => t.kind === 'tool_call');
    const failed = toolCalls.filter((t) => t.spans[0]!.error).length / toolCalls.length;
    expect(failed).toBeGreaterThan(0.03);
    expect(failed).toBeLessThan(0.15);
  });
});

describe('chunks', () => {
  it('cuts traffic into 500-span chunks whose log records belong to their spans', () => {
    const chunks: Chunk[] = [...chunkBySpans(take(5, 400), 500)];
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.spans).toHaveLength(500);
    for (const chunk of chunks) {
      const spanIds = new Set(chunk.spans.map((s) => s.spanId));
      for (const record of chunk.logRecords) expect(spanIds.has(record.spanId)).toBe(true);
    }
  });

  it('encodes every span of a chunk into the OTLP protobuf body', () => {
    const [chunk] = chunkBySpans(take(9, 200), 500);
    const encoded = encodeChunk(chunk!);
    expect(countEncodedSpans(encoded.traces)).toBe(500);
    expect(encoded.spans).toBe(500);
    expect(encoded.logs).not.toBeNull();
  });

  it("decodes and maps a chunk's bodies with the collector to facts that match the domain schemas, one log entry per span, event and log record", () => {
    const [chunk] = chunkBySpans(take(11, 200), 500);
    const facts = chunkFacts(encodeChunk(chunk!), WINDOW.toMs);
    expect(facts.logs).toHaveLength(logCount(chunk!));
    const log = StoredLogSchema.omit({ projectId: true });
    for (const entry of facts.logs) log.parse(entry);
    for (const call of facts.toolCalls) StoredToolCallSchema.parse({ ...call, projectId: 'p1' });
    expect(facts.toolCalls.length).toBeGreaterThan(0);
    expect(facts.triggers.length).toBeGreaterThan(0);
    expect(facts.deliveryAttempts.length).toBeGreaterThan(0);
    // Response bodies stay only on error-level entries (DESIGN §3).
    for (const entry of facts.logs) {
      expect('tooltrace.http.response.body' in entry.attributes).toBe(false);
      if (entry.body !== null) expect(entry.level).toBe('error');
    }
  });

  it('stops traffic once the target number of log entries is reached', () => {
    let logs = 0;
    let lastChunkLogs = 0;
    for (const chunk of traffic({ seed: 1, ...WINDOW, targetLogs: 5000, spansPerChunk: 500 })) {
      lastChunkLogs = logCount(chunk);
      logs += lastChunkLogs;
    }
    expect(logs).toBeGreaterThanOrEqual(5000);
    expect(logs - lastChunkLogs).toBeLessThan(5000);
  });
});
