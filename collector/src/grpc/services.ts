/**
 * The OTLP/gRPC services as grpc-js definitions, built from the service
 * declarations of the vendored opentelemetry-proto files (the same root the
 * HTTP receiver decodes with). Their messages stay bytes: the request goes to
 * the same pipeline as an OTLP/HTTP protobuf body, and the answer is the same
 * Export…ServiceResponse the HTTP receiver encodes.
 */
import type { ServiceDefinition } from '@grpc/grpc-js';
import type protobuf from 'protobufjs';
import { LogsService, MetricsService, TraceService } from '../otlp/proto-schema.ts';

export { LogsService as LOGS_SERVICE, MetricsService as METRICS_SERVICE, TraceService as TRACE_SERVICE };

const bytes = (value: Buffer): Buffer => value;

/** Every method of `service` (OTLP has one: `Export`), with Buffer in and out. */
export function exportService(service: protobuf.Service): ServiceDefinition {
  const definition: Record<string, ServiceDefinition[string]> = {};
  for (const method of service.methodsArray) {
    definition[method.name] = {
      // fullName is `.opentelemetry.proto.collector.trace.v1.TraceService`.
      path: `/${service.fullName.slice(1)}/${method.name}`,
      requestStream: method.requestStream === true,
      responseStream: method.responseStream === true,
      requestSerialize: bytes,
      requestDeserialize: bytes,
      responseSerialize: bytes,
      responseDeserialize: bytes,
      originalName: method.name.charAt(0).toLowerCase() + method.name.slice(1),
    };
  }
  return definition;
}
