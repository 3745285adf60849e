/**
 * Every non-200 answer of the collector, as one error type the route throws
 * and one middleware renders (./respond.ts). Each carries the HTTP status and
 * the matching google.rpc code, so the OTLP client sees the same cause over
 * HTTP and gRPC (./grpc/ maps the same outcomes).
 */
import { RPC_CODE, type RpcCode } from '../otlp/rpc-status.ts';
import type { Refusal } from '../pipeline/admission.ts';

export class CollectorHttpError extends Error {
  override readonly name = 'CollectorHttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly rpcCode: RpcCode,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const httpErrors = {
  badRequest: (message: string) => new CollectorHttpError(400, 'bad_request', message, RPC_CODE.invalidArgument),
  unauthorized: (message: string) => new CollectorHttpError(401, 'unauthorized', message, RPC_CODE.unauthenticated),
  notFound: (message: string) => new CollectorHttpError(404, 'not_found', message, RPC_CODE.notFound),
  methodNotAllowed: (message: string) =>
    new CollectorHttpError(405, 'method_not_allowed', message, RPC_CODE.unimplemented),
  tooLarge: (message: string) => new CollectorHttpError(413, 'payload_too_large', message, RPC_CODE.resourceExhausted),
  unsupportedMediaType: (message: string) =>
    new CollectorHttpError(415, 'unsupported_media_type', message, RPC_CODE.invalidArgument),
  overloaded: (message: string, retryAfterSeconds: number) =>
    new CollectorHttpError(429, 'too_many_requests', message, RPC_CODE.resourceExhausted, retryAfterSeconds),
  internal: (message: string) => new CollectorHttpError(500, 'internal', message, RPC_CODE.internal),
  notImplemented: (message: string) => new CollectorHttpError(501, 'not_implemented', message, RPC_CODE.unimplemented),
  unavailable: (message: string, retryAfterSeconds: number) =>
    new CollectorHttpError(503, 'unavailable', message, RPC_CODE.unavailable, retryAfterSeconds),
};

/** An admission or write-queue refusal as its answer: 429, or 503 when the store is unavailable. */
export function refusalError(refusal: Pick<Refusal, 'kind' | 'message' | 'retryAfterSeconds'>): CollectorHttpError {
  return refusal.kind === 'unavailable'
    ? httpErrors.unavailable(refusal.message, refusal.retryAfterSeconds)
    : httpErrors.overloaded(refusal.message, refusal.retryAfterSeconds);
}
