/**
 * The OTLP messages and services, loaded by protobufjs from the official
 * opentelemetry-proto files vendored in `collector/proto/` (version and commit
 * in its README), so every field the specification defines — links, flags,
 * dropped counts — is decoded; nothing is a hand-typed subset.
 * google.rpc.Status is not part of opentelemetry-proto: see ./rpc-status.ts.
 */
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** `collector/proto/`, from `src/otlp/` as from the built `dist/otlp/`. */
const PROTO_DIR = fileURLToPath(new URL('../../proto/', import.meta.url));

const SERVICE_FILES = [
  'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
];

function loadOtlp(): protobuf.Root {
  const root = new protobuf.Root();
  // The files import each other by their path below the proto root, as protoc's include path would.
  root.resolvePath = (_origin, target) => (target.startsWith(PROTO_DIR) ? target : PROTO_DIR + target);
  root.loadSync(SERVICE_FILES).resolveAll();
  return root;
}

const root = loadOtlp();

const TRACE = 'opentelemetry.proto.collector.trace.v1';
const LOGS = 'opentelemetry.proto.collector.logs.v1';
const METRICS = 'opentelemetry.proto.collector.metrics.v1';

export const ExportTraceServiceRequest = root.lookupType(`${TRACE}.ExportTraceServiceRequest`);
export const ExportTraceServiceResponse = root.lookupType(`${TRACE}.ExportTraceServiceResponse`);
export const ExportLogsServiceRequest = root.lookupType(`${LOGS}.ExportLogsServiceRequest`);
export const ExportLogsServiceResponse = root.lookupType(`${LOGS}.ExportLogsServiceResponse`);

export const TraceService = root.lookupService(`${TRACE}.TraceService`);
export const LogsService = root.lookupService(`${LOGS}.LogsService`);
export const MetricsService = root.lookupService(`${METRICS}.MetricsService`);
