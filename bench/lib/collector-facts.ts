/**
 * The facts the collector writes for an encoded chunk, from the collector's
 * own decode + map of the very protobuf bodies (no mapping of our own that
 * could drift from it). The fill and retention phases write these.
 */
import {
  DEFAULT_MAPPING_LIMITS,
  decodeLogsRequest,
  decodeTracesRequest,
  type MappingOptions,
  mapLogsRequest,
  mapTracesRequest,
} from '@tooltrace/collector';
import type { IngestBatch } from '@tooltrace/conventions';
import type { EncodedChunk } from '../generator.ts';

/** The collector receives Buffers (express.raw), and protobufjs reads strings from Buffers faster; so do we. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The collector's mapping options (its default limits) for a request received at `receivedAtMs`. */
export function mappingOptions(receivedAtMs: number): MappingOptions {
  return { ...DEFAULT_MAPPING_LIMITS, receivedAtMs };
}

/** A generated item the collector rejects is a generator bug: say which, rather than measure fewer rows. */
function assertNoneRejected(mapping: { rejected: number; reasons: string[] }, body: string): void {
  if (mapping.rejected > 0)
    throw new Error(
      `collector rejected ${mapping.rejected} item(s) of a generated ${body} body: ${mapping.reasons[0]}`,
    );
}

/** The traces request's facts and the logs request's log entries of one chunk, as one batch (one write). */
export function chunkFacts(chunk: EncodedChunk, receivedAtMs: number): IngestBatch {
  const options = mappingOptions(receivedAtMs);
  const traces = mapTracesRequest(decodeTracesRequest(asBuffer(chunk.traces), 'protobuf'), options);
  assertNoneRejected(traces, 'traces');
  const { batch } = traces;
  if (chunk.logs) {
    const logs = mapLogsRequest(decodeLogsRequest(asBuffer(chunk.logs), 'protobuf'), options);
    assertNoneRejected(logs, 'logs');
    batch.logs.push(...logs.logs);
  }
  return batch;
}
