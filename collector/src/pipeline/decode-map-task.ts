/**
 * One request's decode → redact → map as a plain function of serialisable
 * input (the project's redaction rules and forwarding targets are plain data),
 * so it runs the same inline or in a worker thread (./decode-map-worker.ts,
 * which receives the body transferred, not copied). For each forwarding
 * target it also cuts and encodes the request as stored
 * (../mapping/stored-request.ts) into a ready body, so the decoded request
 * never travels back: copying it out of a worker cost as much as the batch.
 */
import { emptyBatch, type RedactionRules } from '@tooltrace/conventions';
import { isSerializedBatch, serializeBatch } from '@tooltrace/store/serialized-batch';
import { type ForwardBody, type ForwardTarget, forwardBodies } from '../forwarding/forward-bodies.ts';
import { mapLogsRequest, mapTracesRequest } from '../mapping/index.ts';
import { DEFAULT_MAPPING_LIMITS, type MappingLimits } from '../mapping/options.ts';
import { storedRequest } from '../mapping/stored-request.ts';
import { decodeLogsRequest, decodeTracesRequest } from '../otlp/decode.ts';
import { OtlpDecodeError, type OtlpEncoding, type Signal } from '../otlp/types.ts';
import { createRedactionStage } from '../redaction/index.ts';
import type { DecodedRequest, MapContext, MappedBatch } from './stages.ts';

export interface DecodeMapTask {
  signal: Signal;
  encoding: OtlpEncoding;
  body: Uint8Array;
  context: MapContext;
  rules: RedactionRules;
  limits: Partial<MappingLimits>;
  /** The project's enabled forwarding destinations; [] when it forwards nowhere. */
  forward: ForwardTarget[];
}

export type DecodeMapResult =
  | { kind: 'mapped'; mapped: MappedBatch; forward: ForwardBody[]; redacted: number }
  /** The body is not a valid request (OtlpDecodeError's message, naming the field). */
  | { kind: 'invalid'; message: string };

function decode(task: DecodeMapTask): DecodedRequest {
  return task.signal === 'traces'
    ? { signal: 'traces', request: decodeTracesRequest(task.body, task.encoding) }
    : { signal: 'logs', request: decodeLogsRequest(task.body, task.encoding) };
}

/** The mapped batch, and each forwarding target's body of the request as stored. */
function map(decoded: DecodedRequest, task: DecodeMapTask): { mapped: MappedBatch; forward: ForwardBody[] } {
  const limits = { ...DEFAULT_MAPPING_LIMITS, ...task.limits };
  const options = { ...limits, ...task.context };
  const forward = (rejectedRefs: readonly string[]) =>
    task.forward.length === 0 ? [] : forwardBodies(storedRequest(decoded, rejectedRefs, limits), task.forward);
  if (decoded.signal === 'traces') {
    const { rejectedRefs, ...mapped } = mapTracesRequest(decoded.request, options);
    return { mapped, forward: forward(rejectedRefs) };
  }
  const { logs, rejectedRefs, ...rest } = mapLogsRequest(decoded.request, options);
  return { mapped: { batch: { ...emptyBatch(), logs }, ...rest }, forward: forward(rejectedRefs) };
}

/** One per thread: it keeps the compiled rule sets. */
const redactor = createRedactionStage();

export function decodeAndMap(task: DecodeMapTask): DecodeMapResult {
  let decoded: DecodedRequest;
  try {
    decoded = decode(task);
  } catch (error) {
    if (error instanceof OtlpDecodeError) return { kind: 'invalid', message: error.message };
    throw error;
  }
  const redacted = redactor.redact(decoded, task.rules);
  const { mapped, forward } = map(decoded, task);
  return { kind: 'mapped', mapped, forward, redacted };
}

/**
 * A worker's answer: the mapped batch as V8-serialized bytes (the HTTP thread hands them to the store's writer
 * without building the objects, @tooltrace/store's serialized-batch.ts), and the buffers to hand over rather than
 * copy: those bytes and the forward bodies.
 */
export function workerAnswer(result: DecodeMapResult): { result: DecodeMapResult; transfer: ArrayBuffer[] } {
  if (result.kind !== 'mapped' || isSerializedBatch(result.mapped.batch)) return { result, transfer: [] };
  const batch = serializeBatch(result.mapped.batch);
  return {
    result: { ...result, mapped: { ...result.mapped, batch } },
    transfer: [...batch.serialized, ...result.forward.map((body) => body.payload)].map(
      (bytes) => bytes.buffer as ArrayBuffer,
    ),
  };
}
