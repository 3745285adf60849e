/**
 * The OTLP/gRPC receiver (DESIGN §8, port 4317): TraceService and LogsService
 * `Export` over @grpc/grpc-js, with the same key check (`authorization:
 * Bearer …` or `x-api-key` metadata), the same admission, pipeline and
 * answers as OTLP/HTTP. grpc-js inflates gzip/deflate messages and enforces
 * the body limit (after decompression) as RESOURCE_EXHAUSTED itself.
 * Refusals carry the google.rpc code of the HTTP receiver's error and, when
 * retryable, google.rpc.RetryInfo in `grpc-status-details-bin`, as the OTLP
 * specification asks (the Go exporters retry RESOURCE_EXHAUSTED only with it).
 */
import * as grpc from '@grpc/grpc-js';
import { type AuthThrottle, errorFields, type Logger, urlHost } from '@tooltrace/conventions';
import type { Store } from '@tooltrace/store';
import { encodeExportResponse } from '../otlp/encode-response.ts';
import { encodeRpcStatus } from '../otlp/rpc-status.ts';
import type { Signal } from '../otlp/types.ts';
import type { Admission } from '../pipeline/admission.ts';
import type { IngestPipeline, ItemCounts } from '../pipeline/ingest-pipeline.ts';
import type { IngestRequestRecord } from '../pipeline/request-log.ts';
import { authenticateIngest, type KeySource } from '../server/auth.ts';
import { CONTENT_TYPE_OF } from '../server/content-type.ts';
import { CollectorHttpError, httpErrors, refusalError } from '../server/http-error.ts';
import { outcomeError } from '../server/outcome-error.ts';
import { exportService, LOGS_SERVICE, METRICS_SERVICE, TRACE_SERVICE } from './services.ts';

export interface GrpcReceiverOptions {
  store: Pick<Store, 'authenticate'>;
  pipeline: IngestPipeline;
  admission: Admission;
  /** Failed authentications per client address, shared with the HTTP receiver. */
  authThrottle?: AuthThrottle;
  /** Largest message accepted, after decompression. */
  maxBodyBytes: number;
  logger: Logger;
  /** Logs one call and counts it in the project's ingest status (the HTTP receiver's). */
  report: (record: IngestRequestRecord) => void;
  /** The answer to a metrics export (the HTTP receiver's text). */
  metricsRefusal: string;
}

type Call = grpc.ServerUnaryCall<Buffer, Buffer>;
type Callback = grpc.sendUnaryData<Buffer>;

/** `ipv4:127.0.0.1:51234` / `ipv6:[::1]:51234` → the address without the port. */
function peerAddress(peer: string): string {
  return peer.replace(/^ipv[46]:/, '').replace(/:\d+$/, '');
}

function metadataSource(metadata: grpc.Metadata): KeySource {
  return (name) => {
    const [value] = metadata.get(name);
    return typeof value === 'string' ? value : value?.toString('utf8');
  };
}

/** A CollectorHttpError as a gRPC status: the same google.rpc code, RetryInfo when retryable. */
export function grpcStatusOf(error: CollectorHttpError): Partial<grpc.ServiceError> {
  const metadata = new grpc.Metadata();
  if (error.retryAfterSeconds !== undefined) {
    metadata.set('grpc-status-details-bin', encodeRpcStatus(error.rpcCode, error.message, error.retryAfterSeconds));
  }
  return { code: error.rpcCode as number as grpc.status, details: error.message, metadata };
}

export function createGrpcServer(options: GrpcReceiverOptions): grpc.Server {
  const { logger } = options;
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxBodyBytes,
  });

  const exportHandler = (signal: Signal) => (call: Call, callback: Callback) => {
    const startedAt = performance.now();
    let projectId: string | null = null;
    let items: ItemCounts | null = null;
    const finish = (error: CollectorHttpError | null) => {
      options.report({
        protocol: 'grpc',
        signal,
        projectId,
        encoding: 'protobuf',
        compression: String(call.metadata.get('grpc-encoding')[0] ?? 'identity'),
        status: grpc.status[error ? error.rpcCode : grpc.status.OK] ?? String(error?.rpcCode),
        httpStatus: error?.status ?? 200,
        ok: error === null,
        serverError: error !== null && error.status >= 500 && error.status !== 501,
        items,
        error: error?.message ?? null,
        durationMs: performance.now() - startedAt,
      });
    };

    const run = async (): Promise<Buffer> => {
      projectId = await authenticateIngest(
        options.store,
        metadataSource(call.metadata),
        options.authThrottle ? { address: peerAddress(call.getPeer()), throttle: options.authThrottle } : undefined,
      );
      const body = call.request;
      const admitted = options.admission.admit(body.byteLength);
      if (admitted.kind !== 'admitted') throw refusalError(admitted);
      try {
        const outcome = await options.pipeline.ingest(projectId, {
          signal,
          encoding: 'protobuf',
          contentType: CONTENT_TYPE_OF.protobuf,
          body,
        });
        if (outcome.kind !== 'invalid') items = outcome.items ?? null;
        if (outcome.kind !== 'accepted') throw outcomeError(outcome, projectId, logger);
        return encodeExportResponse(signal, 'protobuf', outcome.partialSuccess);
      } finally {
        admitted.reservation.release();
      }
    };

    run().then(
      (response) => {
        finish(null);
        callback(null, response);
      },
      (error: unknown) => {
        const known = error instanceof CollectorHttpError ? error : null;
        if (!known) logger.error({ ...errorFields(error), signal }, 'unexpected error in the OTLP/gRPC receiver');
        const answer = known ?? httpErrors.internal('unexpected error; nothing of this request was stored');
        finish(answer);
        callback(grpcStatusOf(answer) as grpc.ServiceError, null);
      },
    );
  };

  server.addService(exportService(TRACE_SERVICE), { Export: exportHandler('traces') });
  server.addService(exportService(LOGS_SERVICE), { Export: exportHandler('logs') });
  server.addService(exportService(METRICS_SERVICE), {
    Export: (_call: Call, callback: Callback) =>
      callback({ code: grpc.status.UNIMPLEMENTED, details: options.metricsRefusal } as grpc.ServiceError, null),
  });
  return server;
}

export interface RunningGrpcReceiver {
  port: number;
  close(graceMs: number): Promise<void>;
}

export async function startGrpcReceiver(
  options: GrpcReceiverOptions & { host: string; port: number },
): Promise<RunningGrpcReceiver> {
  const server = createGrpcServer(options);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      `${urlHost(options.host)}:${options.port}`,
      grpc.ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    );
  });
  return {
    port,
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        // Calls in progress get `graceMs` to finish; then the rest are cut.
        const cut = setTimeout(() => server.forceShutdown(), graceMs);
        server.tryShutdown(() => {
          clearTimeout(cut);
          resolve();
        });
      }),
  };
}
