/**
 * The OTLP/gRPC services (opentelemetry-proto `collector/{trace,logs,metrics}/v1`)
 * as grpc-js definitions whose messages stay bytes: the request goes to the
 * same pipeline as an OTLP/HTTP protobuf body, and the answer is the same
 * Export…ServiceResponse the HTTP receiver encodes.
 */
import type { ServiceDefinition } from '@grpc/grpc-js';

export const TRACE_SERVICE = 'opentelemetry.proto.collector.trace.v1.TraceService';
export const LOGS_SERVICE = 'opentelemetry.proto.collector.logs.v1.LogsService';
export const METRICS_SERVICE = 'opentelemetry.proto.collector.metrics.v1.MetricsService';

const bytes = (value: Buffer): Buffer => value;

/** `service/Export` with Buffer in and out. */
export function exportService(service: string): ServiceDefinition {
  return {
    Export: {
      path: `/${service}/Export`,
      requestStream: false,
      responseStream: false,
      requestSerialize: bytes,
      requestDeserialize: bytes,
      responseSerialize: bytes,
      responseDeserialize: bytes,
      originalName: 'export',
    },
  };
}
