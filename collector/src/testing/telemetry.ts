/**
 * Spans and log records exactly as the official SDKs hand them to exporters
 * (ReadableSpan / ReadableLogRecord), with IDs and times chosen by the test,
 * plus the official OTLP exporters pointed at a collector.
 */
import type { Attributes, SpanKind, SpanStatus } from '@opentelemetry/api';
import type { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

export const resource = resourceFromAttributes({ 'service.name': 'test-service' });
/** One resource per service name: the exporters group spans by resource object, as an SDK's spans share one. */
const resources = new Map([['test-service', resource]]);
function resourceOf(serviceName: string) {
  let found = resources.get(serviceName);
  if (!found) {
    found = resourceFromAttributes({ 'service.name': serviceName });
    resources.set(serviceName, found);
  }
  return found;
}
const scope = { name: 'tooltrace-test', version: '1.0.0' };

/**
 * A base time in whole seconds, so `atMs` offsets give exact ISO strings; an
 * hour ago, well inside every plan's retention (older data would be swept).
 */
export const T0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;

function hrTime(ms: number): [number, number] {
  return [Math.floor(ms / 1000), (ms % 1000) * 1_000_000];
}

let idCounter = 0;
/** A random-looking but unique 32-hex trace ID per call. */
export function newTraceId(): string {
  idCounter += 1;
  return `${Date.now().toString(16).padStart(16, '0')}${idCounter.toString(16).padStart(16, '0')}`.slice(-32);
}
export function newSpanId(): string {
  idCounter += 1;
  return `5${idCounter.toString(16).padStart(15, '0')}`;
}

export interface SpanSpec {
  traceId: string;
  spanId?: string;
  parentSpanId?: string;
  name: string;
  kind?: SpanKind;
  atMs?: number;
  durationMs?: number;
  attributes?: Attributes;
  status?: SpanStatus;
  events?: { name: string; atMs?: number; attributes?: Attributes }[];
  /** The resource's `service.name`; `test-service` when absent. */
  serviceName?: string;
}

export function readableSpan(spec: SpanSpec): ReadableSpan {
  const start = T0 + (spec.atMs ?? 0);
  const duration = spec.durationMs ?? 100;
  const spanId = spec.spanId ?? newSpanId();
  return {
    name: spec.name,
    kind: spec.kind ?? 0,
    spanContext: () => ({ traceId: spec.traceId, spanId, traceFlags: 1 }),
    parentSpanContext: spec.parentSpanId
      ? { traceId: spec.traceId, spanId: spec.parentSpanId, traceFlags: 1 }
      : undefined,
    startTime: hrTime(start),
    endTime: hrTime(start + duration),
    duration: hrTime(duration),
    status: spec.status ?? { code: 0 },
    attributes: spec.attributes ?? {},
    links: [],
    events: (spec.events ?? []).map((e) => ({
      name: e.name,
      time: hrTime(T0 + (e.atMs ?? spec.atMs ?? 0)),
      attributes: e.attributes ?? {},
    })),
    ended: true,
    resource: resourceOf(spec.serviceName ?? 'test-service'),
    instrumentationScope: scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

export interface LogSpec {
  traceId?: string;
  spanId?: string;
  atMs?: number;
  severityNumber?: SeverityNumber;
  severityText?: string;
  body?: string;
  attributes?: Record<string, string | number | boolean>;
}

export function readableLog(spec: LogSpec): ReadableLogRecord {
  const time = hrTime(T0 + (spec.atMs ?? 0));
  return {
    hrTime: time,
    hrTimeObserved: time,
    spanContext: spec.traceId ? { traceId: spec.traceId, spanId: spec.spanId ?? '', traceFlags: 1 } : undefined,
    severityNumber: spec.severityNumber,
    severityText: spec.severityText,
    body: spec.body,
    resource,
    instrumentationScope: scope,
    attributes: spec.attributes ?? {},
    droppedAttributesCount: 0,
  };
}

type ExportOutcome = { code: number; error?: Error };

/** The `code` of an export result: ExportResultCode of @opentelemetry/core, which is not a dependency of ours. */
export const EXPORT_SUCCESS = 0;
export const EXPORT_FAILED = 1;

interface Exporter<T> {
  export(items: T[], done: (result: ExportOutcome) => void): void;
  shutdown(): Promise<void>;
}

/** Runs one export and resolves with its result. */
export function send<T>(exporter: Exporter<T>, items: T[]): Promise<ExportOutcome> {
  return new Promise((resolve) => exporter.export(items, resolve));
}

export interface OfficialExporters {
  sendProto(spans: ReadableSpan[]): Promise<ExportOutcome>;
  sendProtoGzip(spans: ReadableSpan[]): Promise<ExportOutcome>;
  sendJson(spans: ReadableSpan[]): Promise<ExportOutcome>;
  sendLogs(records: ReadableLogRecord[]): Promise<ExportOutcome>;
  shutdown(): Promise<void>;
}

type ProtoConfig = NonNullable<ConstructorParameters<typeof ProtoTraceExporter>[0]>;

/** The official exporters, sending to `collectorUrl` with `key`; each `send…` resolves with the export result. */
export function officialExporters(collectorUrl: string, key: string): OfficialExporters {
  const headers = { Authorization: `Bearer ${key}` };
  const gzip = 'gzip' as ProtoConfig['compression'];
  const proto = new ProtoTraceExporter({ url: `${collectorUrl}/v1/traces`, headers });
  const protoGzip = new ProtoTraceExporter({ url: `${collectorUrl}/v1/traces`, headers, compression: gzip });
  const json = new JsonTraceExporter({ url: `${collectorUrl}/v1/traces`, headers });
  const logs = new OTLPLogExporter({ url: `${collectorUrl}/v1/logs`, headers, compression: gzip });
  return {
    sendProto: (spans: ReadableSpan[]) => send(proto, spans),
    sendProtoGzip: (spans: ReadableSpan[]) => send(protoGzip, spans),
    sendJson: (spans: ReadableSpan[]) => send(json, spans),
    sendLogs: (records: ReadableLogRecord[]) => send(logs, records),
    shutdown: () => Promise.all([proto, protoGzip, json, logs].map((e) => e.shutdown())).then(() => undefined),
  };
}
