/**
 * google.rpc.Status, the error answer of OTLP over both transports: the body
 * of an OTLP/HTTP error (protobuf, or its JSON form) and the
 * `grpc-status-details-bin` trailer of an OTLP/gRPC one. A retryable refusal
 * carries google.rpc.RetryInfo, which the OTLP specification asks for and
 * without which the Go exporters do not retry RESOURCE_EXHAUSTED.
 */
import protobuf from 'protobufjs';

const RPC_PROTO = `
syntax = "proto3";
package google.rpc;
message Any { string type_url = 1; bytes value = 2; }
message Duration { int64 seconds = 1; int32 nanos = 2; }
message Status { int32 code = 1; string message = 2; repeated Any details = 3; }
message RetryInfo { Duration retry_delay = 1; }
`;

const root = protobuf.parse(RPC_PROTO).root;
const Status = root.lookupType('google.rpc.Status');
const RetryInfo = root.lookupType('google.rpc.RetryInfo');

export const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

/** The gRPC status codes tooltrace answers with (google.rpc.Code). */
export const RPC_CODE = {
  invalidArgument: 3,
  notFound: 5,
  permissionDenied: 7,
  resourceExhausted: 8,
  unimplemented: 12,
  internal: 13,
  unavailable: 14,
  unauthenticated: 16,
} as const;
export type RpcCode = (typeof RPC_CODE)[keyof typeof RPC_CODE];

export function encodeRpcStatus(code: RpcCode, message: string, retryAfterSeconds?: number): Buffer {
  const details =
    retryAfterSeconds === undefined
      ? []
      : [
          {
            typeUrl: RETRY_INFO_TYPE_URL,
            value: RetryInfo.encode(RetryInfo.fromObject({ retryDelay: { seconds: retryAfterSeconds } })).finish(),
          },
        ];
  return Buffer.from(Status.encode(Status.fromObject({ code, message, details })).finish());
}

export interface RpcStatusJson {
  code: number;
  message: string;
  details?: Array<{ '@type': string; retryDelay: string }>;
}

/** The proto3 JSON form: `Any` carries `@type`, a Duration is written `"5s"`. */
export function rpcStatusJson(code: RpcCode, message: string, retryAfterSeconds?: number): RpcStatusJson {
  if (retryAfterSeconds === undefined) return { code, message };
  return { code, message, details: [{ '@type': RETRY_INFO_TYPE_URL, retryDelay: `${retryAfterSeconds}s` }] };
}

/** Reads a google.rpc.Status (tests and the gRPC trailer use it). */
export function decodeRpcStatus(bytes: Uint8Array): { code: number; message: string; retryDelaySeconds?: number } {
  const status = Status.toObject(Status.decode(bytes), { longs: Number, defaults: true }) as {
    code: number;
    message: string;
    details: Array<{ typeUrl: string; value: Uint8Array }>;
  };
  const retry = status.details.find((d) => d.typeUrl === RETRY_INFO_TYPE_URL);
  if (!retry) return { code: status.code, message: status.message };
  const info = RetryInfo.toObject(RetryInfo.decode(retry.value), { longs: Number, defaults: true }) as {
    retryDelay?: { seconds: number };
  };
  return { code: status.code, message: status.message, retryDelaySeconds: info.retryDelay?.seconds ?? 0 };
}
