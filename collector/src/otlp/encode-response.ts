/**
 * OTLP/HTTP response bodies, in the encoding of the request: the
 * Export…ServiceResponse (with `partial_success` when items were rejected).
 * Errors are google.rpc.Status (./rpc-status.ts).
 */
import { ExportLogsServiceResponse, ExportTraceServiceResponse } from './proto-schema.ts';
import type { OtlpEncoding, Signal } from './types.ts';

export interface PartialSuccess {
  rejected: number;
  errorMessage: string;
}

export function encodeExportResponse(signal: Signal, encoding: OtlpEncoding, partial: PartialSuccess | null): Buffer {
  const countField = signal === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords';
  const message = partial
    ? { partialSuccess: { [countField]: partial.rejected, errorMessage: partial.errorMessage } }
    : {};
  if (encoding === 'json') {
    // int64 as a decimal string, as the proto3 JSON mapping writes it.
    const json = partial
      ? { partialSuccess: { [countField]: String(partial.rejected), errorMessage: partial.errorMessage } }
      : {};
    return Buffer.from(JSON.stringify(json));
  }
  const type = signal === 'traces' ? ExportTraceServiceResponse : ExportLogsServiceResponse;
  return Buffer.from(type.encode(type.fromObject(message)).finish());
}
