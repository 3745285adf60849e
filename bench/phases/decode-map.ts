/**
 * The collector's own pure stages, in-process: protobuf decode, redaction
 * (the default rules) and span/log mapping of the very bodies the clients post. Gives the facts the "limit"
 * paths write (so they write exactly the collector's rows) and the CPU cost
 * of decode and map per span, apart from HTTP and the store.
 */
import {
  createRedactionStage,
  decodeLogsRequest,
  decodeTracesRequest,
  mapLogsRequest,
  mapTracesRequest,
} from '@tooltrace/collector';
import { emptyBatch, type IngestBatch, NO_REDACTION_RULES } from '@tooltrace/conventions';
import type { EncodedChunk } from '../generator.ts';
import { asBuffer, mappingOptions } from '../lib/collector-facts.ts';

export interface DecodeMapResult {
  /** One batch per request, as the collector writes them (traces, then logs). */
  batches: IngestBatch[];
  spans: number;
  logs: number;
  rejected: number;
  decodeMs: number;
  redactMs: number;
  mapMs: number;
  decodeUsPerSpan: number;
  redactUsPerSpan: number;
  mapUsPerSpan: number;
}

export function decodeAndMap(chunks: readonly EncodedChunk[], receivedAtMs: number): DecodeMapResult {
  const batches: IngestBatch[] = [];
  let decodeMs = 0;
  let redactMs = 0;
  let mapMs = 0;
  const redaction = createRedactionStage();
  let rejected = 0;
  let logs = 0;
  const options = mappingOptions(receivedAtMs);
  for (const chunk of chunks) {
    let t = performance.now();
    const traces = decodeTracesRequest(asBuffer(chunk.traces), 'protobuf');
    decodeMs += performance.now() - t;
    t = performance.now();
    redaction.redact({ signal: 'traces', request: traces }, NO_REDACTION_RULES);
    redactMs += performance.now() - t;
    t = performance.now();
    const mapped = mapTracesRequest(traces, options);
    mapMs += performance.now() - t;
    rejected += mapped.rejected;
    batches.push(mapped.batch);
    logs += mapped.batch.logs.length;
    if (chunk.logs) {
      t = performance.now();
      const records = decodeLogsRequest(asBuffer(chunk.logs), 'protobuf');
      decodeMs += performance.now() - t;
      t = performance.now();
      redaction.redact({ signal: 'logs', request: records }, NO_REDACTION_RULES);
      redactMs += performance.now() - t;
      t = performance.now();
      const mappedLogs = mapLogsRequest(records, options);
      mapMs += performance.now() - t;
      rejected += mappedLogs.rejected;
      batches.push({ ...emptyBatch(), logs: mappedLogs.logs });
      logs += mappedLogs.logs.length;
    }
  }
  const spans = chunks.reduce((n, c) => n + c.spans, 0);
  return {
    batches,
    spans,
    logs,
    rejected,
    decodeMs,
    redactMs,
    mapMs,
    decodeUsPerSpan: (decodeMs * 1000) / spans,
    redactUsPerSpan: (redactMs * 1000) / spans,
    mapUsPerSpan: (mapMs * 1000) / spans,
  };
}
