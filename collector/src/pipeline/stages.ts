/**
 * The collector's pipeline, one small interface per stage (decode + map in
 * ./decode-map-stage.ts → write → accepted). Each stage can be wrapped or replaced on its own; results
 * at I/O edges are tagged unions, not exceptions, so the route only has to
 * translate them into HTTP answers.
 */
import type { WritableBatch, WriteResult } from '@tooltrace/store';
import type { ForwardBody, ForwardTarget } from '../forwarding/forward-bodies.ts';
import type { SenderCounts } from '../mapping/senders.ts';
import type { SenderSamples } from '../mapping/trace-samples.ts';
import type { OtlpEncoding, OtlpRequest, Signal } from '../otlp/types.ts';

/** One OTLP request body as received, already decompressed. */
export interface RawBatch {
  signal: Signal;
  encoding: OtlpEncoding;
  /** The media type to send it on with (`application/x-protobuf` or `application/json`). */
  contentType: string;
  body: Buffer;
}

export type DecodedRequest = OtlpRequest;

export interface MappedBatch {
  /** Plain from the inline stage; V8-serialized bytes from a decode worker (handed on to the store as they are). */
  batch: WritableBatch;
  /** Items (spans or log records) the request held. */
  received: number;
  /** Items accepted and rejected per sender (`service.name`). */
  senders: SenderCounts;
  /** Traces: per sender, a few with no tool call or trigger event (../mapping/trace-samples.ts); logs: none. */
  samples?: SenderSamples;
  /** Items the request held that could not be stored (bad IDs, times out of range…), with one reason each. */
  rejected: number;
  reasons: string[];
  /** Items stored only in part (attributes past the limit dropped), one line each. */
  warnings: string[];
}

/** What mapping one request needs to know besides the request. */
export interface MapContext {
  /** When the request arrived (epoch ms). */
  receivedAtMs: number;
  /** The project's age limit; older items are rejected. null: none. */
  maxAgeDays: number | null;
}

export type WriteOutcome =
  | { kind: 'written'; result: WriteResult }
  /** The write queue is full: the client should retry later (OTLP 429/503 + Retry-After). */
  | { kind: 'overloaded'; retryAfterSeconds: number }
  | { kind: 'failed'; retryable: boolean; message: string; error: unknown };

export interface WriteStage {
  write(projectId: string, batch: WritableBatch): Promise<WriteOutcome>;
}

/**
 * What happens to a request once it was accepted and stored (forwarding,
 * DESIGN §9), in two steps. Before decoding, `targets` says where the
 * project's requests go (plain data, read through a cache), and the decode
 * stage encodes a body for each from the request as stored: after redaction,
 * without the items the mapper rejected, values cut as the mapper cut them.
 * After the write, `onAccepted` takes those bodies and resolves once they are
 * durable (the sender's 2xx waits for it); a rejection of either makes the
 * request retryable (503), never half-acknowledged.
 */
export interface AcceptedStage {
  targets(projectId: string): Promise<ForwardTarget[]>;
  onAccepted(projectId: string, signal: Signal, bodies: ForwardBody[]): Promise<void>;
}
