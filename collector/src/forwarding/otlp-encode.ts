/**
 * Normalised requests back to OTLP/HTTP bodies, protobuf (with our protobufjs
 * message definitions, the same the receiver decodes with) or OTLP/JSON (hex
 * IDs, decimal-string times, as the specification's JSON mapping asks).
 */
import { gzipSync } from 'node:zlib';
import { ExportLogsServiceRequest, ExportTraceServiceRequest } from '../otlp/proto-schema.ts';
import { GROUP_LISTS, rebuildGroups } from '../otlp/request-groups.ts';
import type {
  AttributeValue,
  OtlpAttributes,
  OtlpEncoding,
  OtlpLogRecord,
  OtlpRequest,
  OtlpSpan,
  Signal,
} from '../otlp/types.ts';

/** How an encoding spells IDs and times (uint64 nanoseconds, decimal strings in the normalised request). */
interface Spelling {
  id(hex: string): string | Buffer;
  nanos(decimal: string): string | LongBits;
}

/** A uint64 as the two halves protobufjs writes directly (it would otherwise parse the decimal string with Long). */
interface LongBits {
  low: number;
  high: number;
  unsigned: true;
}

const LOW_32 = 0xffffffffn;

const PROTOBUF_SPELLING: Spelling = {
  id: (hex) => Buffer.from(hex, 'hex'),
  nanos(decimal) {
    const value = BigInt(decimal);
    return { low: Number(value & LOW_32), high: Number((value >> 32n) & LOW_32), unsigned: true };
  },
};

const JSON_SPELLING: Spelling = { id: (hex) => hex, nanos: (decimal) => decimal };

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values: AnyValue[] };
  kvlistValue?: { values: KeyValue[] };
}
interface KeyValue {
  key: string;
  value: AnyValue;
}

function anyValue(value: AttributeValue): AnyValue {
  if (value === null) return {};
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isSafeInteger(value) ? { intValue: value } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return { kvlistValue: { values: keyValues(value) } };
}

function keyValues(attributes: OtlpAttributes): KeyValue[] {
  return Object.keys(attributes).map((key) => ({ key, value: anyValue(attributes[key] as AttributeValue) }));
}

function spanMessage(span: OtlpSpan, { id, nanos }: Spelling): object {
  return {
    traceId: id(span.traceId),
    spanId: id(span.spanId),
    parentSpanId: id(span.parentSpanId),
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: nanos(span.startTimeUnixNano),
    endTimeUnixNano: nanos(span.endTimeUnixNano),
    traceState: span.traceState,
    flags: span.flags,
    attributes: keyValues(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount ?? 0,
    events: span.events.map((event) => ({
      timeUnixNano: nanos(event.timeUnixNano),
      name: event.name,
      attributes: keyValues(event.attributes),
      droppedAttributesCount: event.droppedAttributesCount ?? 0,
    })),
    droppedEventsCount: span.droppedEventsCount ?? 0,
    links: span.links.map((link) => ({
      traceId: id(link.traceId),
      spanId: id(link.spanId),
      traceState: link.traceState,
      attributes: keyValues(link.attributes),
      droppedAttributesCount: link.droppedAttributesCount ?? 0,
      flags: link.flags,
    })),
    droppedLinksCount: span.droppedLinksCount ?? 0,
    status: { code: span.status.code, message: span.status.message },
  };
}

function logRecordMessage(record: OtlpLogRecord, { id, nanos }: Spelling): object {
  return {
    timeUnixNano: nanos(record.timeUnixNano),
    observedTimeUnixNano: nanos(record.observedTimeUnixNano),
    severityNumber: record.severityNumber,
    severityText: record.severityText,
    ...(record.eventName ? { eventName: record.eventName } : {}),
    body: anyValue(record.body),
    attributes: keyValues(record.attributes),
    droppedAttributesCount: record.droppedAttributesCount ?? 0,
    flags: record.flags,
    traceId: id(record.traceId),
    spanId: id(record.spanId),
  };
}

/** The request as an object of the OTLP message shape, IDs and times spelled for the encoding. */
function messageOf({ signal, request }: OtlpRequest, spelling: Spelling): object {
  return rebuildGroups(request, GROUP_LISTS[signal], {
    resource: (resource) => ({ attributes: keyValues(resource) }),
    scope: (scope) => ({ name: scope.name, version: scope.version }),
    item:
      signal === 'traces'
        ? (span: OtlpSpan) => spanMessage(span, spelling)
        : (r: OtlpLogRecord) => logRecordMessage(r, spelling),
    dropEmpty: false,
  });
}

export const CONTENT_TYPE: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** The OTLP/HTTP body of `request` in `encoding`. */
export function encodeOtlp(request: OtlpRequest, encoding: OtlpEncoding): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify(messageOf(request, JSON_SPELLING)));
  const type = request.signal === 'traces' ? ExportTraceServiceRequest : ExportLogsServiceRequest;
  const message = messageOf(request, PROTOBUF_SPELLING);
  return Buffer.from(type.encode(message as Record<string, unknown>).finish());
}

export interface EncodedBody {
  body: Buffer;
  headers: Record<string, string>;
}

export function encodeForSend(request: OtlpRequest, encoding: OtlpEncoding, compression: 'gzip' | 'none'): EncodedBody {
  const plain = encodeOtlp(request, encoding);
  const headers: Record<string, string> = { 'content-type': CONTENT_TYPE[encoding] };
  if (compression === 'none') return { body: plain, headers };
  headers['content-encoding'] = 'gzip';
  return { body: gzipSync(plain), headers };
}

export function signalPath(signal: Signal): string {
  return `/v1/${signal}`;
}
