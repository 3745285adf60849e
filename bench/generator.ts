/**
 * Deterministic-by-seed generator of realistic tooltrace traffic: tool calls
 * (3–8 child spans, span events, log records) and trigger events (1–4
 * deliveries, retries), as OTLP protobuf request bodies. Their store facts
 * come from the collector's own decode + map (`lib/collector-facts.ts`).
 */
import { encodeLogsRequest, encodeTraceRequest } from './lib/otlp.ts';
import type { ModelLogRecord, ModelSpan, ModelTrace } from './lib/trace-model.ts';
import { generateTraces } from './lib/traces.ts';

export { encodeLogsRequest, encodeTraceRequest } from './lib/otlp.ts';
export { Rng } from './lib/rng.ts';
export * from './lib/trace-model.ts';
export * from './lib/traces.ts';

/** The spans of one export request, and the log records that belong to those spans. */
export interface Chunk {
  spans: ModelSpan[];
  logRecords: ModelLogRecord[];
}

/**
 * Cuts traces into chunks of exactly `spansPerChunk` spans (the last may be
 * smaller), as a BatchSpanProcessor would: a trace may straddle two chunks,
 * so its spans reach the collector in different requests.
 */
export function* chunkBySpans(traces: Iterable<ModelTrace>, spansPerChunk: number): Generator<Chunk> {
  let chunk: Chunk = { spans: [], logRecords: [] };
  for (const trace of traces) {
    for (const span of trace.spans) {
      chunk.spans.push(span);
      for (const record of trace.logRecords) if (record.spanId === span.spanId) chunk.logRecords.push(record);
      if (chunk.spans.length === spansPerChunk) {
        yield chunk;
        chunk = { spans: [], logRecords: [] };
      }
    }
  }
  if (chunk.spans.length > 0) yield chunk;
}

/** Log entries a chunk becomes in the store: one per span, span event and log record (DESIGN §4). */
export function logCount(chunk: Chunk): number {
  let n = chunk.logRecords.length;
  for (const span of chunk.spans) n += 1 + span.events.length;
  return n;
}

/** Average log entries per trace for a seed, measured on a sample; used to space traces over a time window. */
export function estimateLogsPerTrace(seed: number, sample = 2000): number {
  let logs = 0;
  let taken = 0;
  for (const trace of generateTraces({ seed, fromMs: 0, toMs: sample, expectedTraces: sample })) {
    logs += logCount({ spans: trace.spans, logRecords: trace.logRecords });
    if (++taken === sample) break;
  }
  return logs / sample;
}

export interface TrafficOptions {
  seed: number;
  fromMs: number;
  toMs: number;
  /** Stop once this many log entries have been produced (the store's count, not spans). */
  targetLogs: number;
  spansPerChunk: number;
}

/** Chunks of traffic spread over [fromMs, toMs], in time order, until `targetLogs` log entries. */
export function* traffic(options: TrafficOptions): Generator<Chunk> {
  // 10 % more traces than the estimate asks for, so the target is reached inside the window, and
  // never a trace past `toMs`: at `toMs` = now it would be in the future, which the collector rejects.
  const expectedTraces = Math.ceil((1.1 * options.targetLogs) / estimateLogsPerTrace(options.seed));
  let logs = 0;
  const traces = generateTraces({ seed: options.seed, fromMs: options.fromMs, toMs: options.toMs, expectedTraces });
  for (const chunk of chunkBySpans(startingBefore(traces, options.toMs), options.spansPerChunk)) {
    yield chunk;
    logs += logCount(chunk);
    if (logs >= options.targetLogs) return;
  }
}

function* startingBefore(traces: Iterable<ModelTrace>, toMs: number): Generator<ModelTrace> {
  for (const trace of traces) {
    if (trace.startUs >= toMs * 1000) return;
    yield trace;
  }
}

/** A chunk as the collector receives it: one traces request and (when there are log records) one logs request. */
export interface EncodedChunk {
  traces: Uint8Array;
  logs: Uint8Array | null;
  spans: number;
  logEntries: number;
}

export function encodeChunk(chunk: Chunk): EncodedChunk {
  return {
    traces: encodeTraceRequest(chunk.spans),
    logs: chunk.logRecords.length > 0 ? encodeLogsRequest(chunk.logRecords) : null,
    spans: chunk.spans.length,
    logEntries: logCount(chunk),
  };
}
