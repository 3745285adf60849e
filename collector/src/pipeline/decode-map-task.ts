/**
 * One request's decode → redact → map as a plain function of serialisable
 * input (the project's redaction rules are plain data), so it
 * runs the same inline or in a worker thread (./decode-map-worker.ts, which
 * receives the body transferred, not copied). The decoded request comes back
 * too only when asked (`keepDecoded`: the accepted stage, forwarding, reads it),
 * since copying it out of a worker costs as much as the batch itself; it is the
 * request as stored (../mapping/stored-request.ts), not as received.
 */
import { emptyBatch, type RedactionRules } from '@tooltrace/conventions';
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
  keepDecoded: boolean;
}

export type DecodeMapResult =
  | { kind: 'mapped'; mapped: MappedBatch; decoded: DecodedRequest | null; redacted: number }
  /** The body is not a valid request (OtlpDecodeError's message, naming the field). */
  | { kind: 'invalid'; message: string };

function decode(task: DecodeMapTask): DecodedRequest {
  return task.signal === 'traces'
    ? { signal: 'traces', request: decodeTracesRequest(task.body, task.encoding) }
    : { signal: 'logs', request: decodeLogsRequest(task.body, task.encoding) };
}

/** The mapped batch, and the request as stored when the accepted stage asks for it. */
function map(decoded: DecodedRequest, task: DecodeMapTask): { mapped: MappedBatch; stored: DecodedRequest | null } {
  const limits = { ...DEFAULT_MAPPING_LIMITS, ...task.limits };
  const options = { ...limits, ...task.context };
  if (decoded.signal === 'traces') {
    const { rejectedRefs, ...mapped } = mapTracesRequest(decoded.request, options);
    return { mapped, stored: task.keepDecoded ? storedRequest(decoded, rejectedRefs, limits) : null };
  }
  const { logs, rejectedRefs, ...rest } = mapLogsRequest(decoded.request, options);
  return {
    mapped: { batch: { ...emptyBatch(), logs }, ...rest },
    stored: task.keepDecoded ? storedRequest(decoded, rejectedRefs, limits) : null,
  };
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
  const { mapped, stored } = map(decoded, task);
  return { kind: 'mapped', mapped, decoded: stored, redacted };
}
