/**
 * Trace models → OTLP/HTTP protobuf request bodies, with the official
 * serializer the OpenTelemetry JS exporters use (`@opentelemetry/otlp-transformer`),
 * so the collector decodes exactly the bytes a real SDK would send.
 */
import { type HrTime, SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { ModelLogRecord, ModelSeverity, ModelSpan, ModelSpanKind } from './trace-model.ts';

/** One resource per generator process, like one deployed service; the serializer groups by identity. */
const RESOURCE: Resource = resourceFromAttributes({
  'service.name': 'actionkit',
  'service.version': '2026.11.3',
  'service.instance.id': 'actionkit-7d9f8c6b5-x2kqp',
  'deployment.environment.name': 'production',
  'host.name': 'ip-10-0-12-34.ec2.internal',
  'process.runtime.name': 'nodejs',
  'process.runtime.version': '20.19.0',
  'telemetry.sdk.name': 'opentelemetry',
  'telemetry.sdk.language': 'nodejs',
  'telemetry.sdk.version': '2.12.1',
});
const SCOPE = { name: '@tooltrace/instrumentation', version: '0.1.0' };

const SPAN_KINDS: Record<ModelSpanKind, SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  internal: SpanKind.INTERNAL,
  consumer: SpanKind.CONSUMER,
};

const SEVERITY: Record<ModelSeverity, SeverityNumber> = {
  INFO: SeverityNumber.INFO,
  WARN: SeverityNumber.WARN,
  ERROR: SeverityNumber.ERROR,
};

function hrTime(timeUs: number): HrTime {
  return [Math.floor(timeUs / 1e6), (timeUs % 1e6) * 1000];
}

export function toReadableSpan(span: ModelSpan): ReadableSpan {
  const context = { traceId: span.traceId, spanId: span.spanId, traceFlags: TraceFlags.SAMPLED };
  return {
    name: span.name,
    kind: SPAN_KINDS[span.spanKind],
    spanContext: () => context,
    parentSpanContext: span.parentSpanId
      ? { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: TraceFlags.SAMPLED }
      : undefined,
    startTime: hrTime(span.startUs),
    endTime: hrTime(span.startUs + span.durationUs),
    duration: hrTime(span.durationUs),
    status: span.error
      ? { code: SpanStatusCode.ERROR, ...(span.statusMessage ? { message: span.statusMessage } : {}) }
      : { code: SpanStatusCode.UNSET },
    attributes: span.attributes,
    links: [],
    events: span.events.map((e) => ({ name: e.name, time: hrTime(e.timeUs), attributes: e.attributes })),
    ended: true,
    resource: RESOURCE,
    instrumentationScope: SCOPE,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

export function toReadableLogRecord(record: ModelLogRecord): ReadableLogRecord {
  return {
    hrTime: hrTime(record.timeUs),
    hrTimeObserved: hrTime(record.timeUs),
    spanContext: { traceId: record.traceId, spanId: record.spanId, traceFlags: TraceFlags.SAMPLED },
    severityNumber: SEVERITY[record.severity],
    severityText: record.severity,
    body: record.body,
    resource: RESOURCE,
    instrumentationScope: SCOPE,
    attributes: record.attributes,
    droppedAttributesCount: 0,
  };
}

/** An `ExportTraceServiceRequest` body for `POST /v1/traces` (Content-Type application/x-protobuf). */
export function encodeTraceRequest(spans: readonly ModelSpan[]): Uint8Array {
  const body = ProtobufTraceSerializer.serializeRequest(spans.map(toReadableSpan));
  if (!body) throw new Error('the OTLP trace serializer returned nothing');
  return body;
}

/** An `ExportLogsServiceRequest` body for `POST /v1/logs`. */
export function encodeLogsRequest(records: readonly ModelLogRecord[]): Uint8Array {
  const body = ProtobufLogsSerializer.serializeRequest(records.map(toReadableLogRecord));
  if (!body) throw new Error('the OTLP logs serializer returned nothing');
  return body;
}
