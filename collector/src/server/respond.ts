/**
 * Answers in the request's encoding: OTLP clients parse protobuf bodies as
 * google.rpc.Status and JSON bodies as its JSON form. JSON error bodies also
 * carry tooltrace's usual `{ error: { code, message } }` envelope.
 */
import type { Response } from 'express';
import { encodeExportResponse, type PartialSuccess } from '../otlp/encode-response.ts';
import { encodeRpcStatus, rpcStatusJson } from '../otlp/rpc-status.ts';
import type { OtlpEncoding, Signal } from '../otlp/types.ts';
import { CONTENT_TYPE_OF } from './content-type.ts';
import type { CollectorHttpError } from './http-error.ts';

export function sendExportResponse(
  res: Response,
  signal: Signal,
  encoding: OtlpEncoding,
  partial: PartialSuccess | null,
): void {
  res
    .status(200)
    .type(CONTENT_TYPE_OF[encoding])
    .send(encodeExportResponse(signal, encoding, partial));
}

export function sendError(res: Response, error: CollectorHttpError, encoding: OtlpEncoding | null): void {
  const { rpcCode, message, retryAfterSeconds } = error;
  if (retryAfterSeconds !== undefined) res.set('Retry-After', String(retryAfterSeconds));
  res.status(error.status);
  if (encoding === 'protobuf') {
    res.type(CONTENT_TYPE_OF.protobuf).send(encodeRpcStatus(rpcCode, message, retryAfterSeconds));
    return;
  }
  res.json({ ...rpcStatusJson(rpcCode, message, retryAfterSeconds), error: { code: error.code, message } });
}
