/**
 * Turns an OTLP/JSON request (a JSON.parse result) into the internal shape of
 * ./types.ts, checking every field's type. A wrong type fails the whole
 * request with an error naming the field; a well-typed but invalid ID is left
 * for the mapper to reject span by span.
 *
 * IDs are hex strings, `bytesValue` is base64, int64 may be a JSON number or
 * string, and enums may be integers or (leniently) their names. Field names
 * are lowerCamelCase; the original snake_case names are accepted too.
 * Protobuf has its own, type-safe reader (./normalise-protobuf.ts).
 */
import { setOwn } from '@tooltrace/conventions';
import { attributesToRead, isTooDeep, tooDeepError } from './attribute-limits.ts';
import { type GroupReader, logsRequest, tracesRequest } from './request-groups.ts';
import {
  type AttributeValue,
  type LogsRequest,
  type OtlpAttributes,
  OtlpDecodeError,
  type OtlpLogRecord,
  type OtlpSpan,
  type OtlpSpanEvent,
  type OtlpSpanLink,
  type TracesRequest,
} from './types.ts';

type Obj = Record<string, unknown>;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`;
}

function fail(path: string, expected: string, value: unknown): never {
  throw new OtlpDecodeError(`${path}: expected ${expected}, got ${describe(value)}`);
}

function get(o: Obj, camel: string): unknown {
  if (camel in o) return o[camel];
  const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return o[snake];
}

function obj(value: unknown, path: string): Obj {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) fail(path, 'an object', value);
  return value as Obj;
}

function list(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(path, 'an array', value);
  return value;
}

function str(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') fail(path, 'a string', value);
  return value;
}

/** int32 and enum fields. */
function int(value: unknown, path: string, enumNames?: readonly string[]): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    if (/^-?\d+$/.test(value)) return Number(value);
    const index = enumNames?.indexOf(value) ?? -1;
    if (index >= 0) return index;
  }
  return fail(path, enumNames ? 'an integer enum value' : 'an integer', value);
}

/** uint32 and fixed32 fields (dropped counts, flags). */
function uint32(value: unknown, path: string): number {
  const n = int(value, path);
  if (n < 0 || n > 0xffffffff) return fail(path, 'an unsigned 32-bit integer', value);
  return n;
}

/** fixed64 nanosecond timestamps, kept as decimal strings; JSON may not exceed what fixed64 holds. */
const MAX_FIXED64 = 2n ** 64n - 1n;

function nanos(value: unknown, path: string): string {
  if (value === undefined || value === null) return '0';
  let parsed: bigint | null = null;
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) parsed = BigInt(value);
  // Nanosecond numbers exceed 2^53; JSON emitters that write them as numbers already lost the last digits.
  else if (typeof value === 'number' && Number.isInteger(value) && value >= 0) parsed = BigInt(value);
  if (parsed === null || parsed > MAX_FIXED64) {
    return fail(path, 'a non-negative integer up to 2^64-1 (nanoseconds, number or decimal string)', value);
  }
  return parsed.toString();
}

class Normaliser {
  id(value: unknown, path: string): string {
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') fail(path, 'a hex string', value);
    return value.toLowerCase();
  }

  attributes(value: unknown, path: string, depth = 0, limit = Number.POSITIVE_INFINITY): OtlpAttributes {
    const out: OtlpAttributes = {};
    const items = list(value, path);
    const count = Math.min(items.length, limit);
    for (let i = 0; i < count; i++) {
      const kv = obj(items[i], `${path}[${i}]`);
      const key = str(get(kv, 'key'), `${path}[${i}].key`);
      setOwn(out, key, this.anyValue(get(kv, 'value'), `${path}[${i}].value`, depth));
    }
    return out;
  }

  /** The attributes of a span, event or log record: at most MAX_ATTRIBUTES; the rest are counted on `item`. */
  ownAttributes<T extends { attributes: OtlpAttributes; droppedAttributes?: number }>(
    item: T,
    source: Obj,
    path: string,
  ): T {
    const value = get(source, 'attributes');
    const given = Array.isArray(value) ? value.length : 0;
    item.attributes = this.attributes(value, `${path}.attributes`, 0, attributesToRead(item, given));
    return item;
  }

  anyValue(value: unknown, path: string, depth = 0): AttributeValue {
    if (isTooDeep(depth)) throw tooDeepError(path);
    const v = obj(value, path);
    if ('stringValue' in v || 'string_value' in v) return str(get(v, 'stringValue'), `${path}.stringValue`);
    if ('boolValue' in v || 'bool_value' in v) {
      const b = get(v, 'boolValue');
      if (typeof b !== 'boolean') fail(`${path}.boolValue`, 'a boolean', b);
      return b;
    }
    if ('intValue' in v || 'int_value' in v) return this.int64(get(v, 'intValue'), `${path}.intValue`);
    if ('doubleValue' in v || 'double_value' in v) return this.double(get(v, 'doubleValue'), `${path}.doubleValue`);
    if ('arrayValue' in v || 'array_value' in v) {
      const p = `${path}.arrayValue.values`;
      return list(get(obj(get(v, 'arrayValue'), `${path}.arrayValue`), 'values'), p).map((item, i) =>
        this.anyValue(item, `${p}[${i}]`, depth + 1),
      );
    }
    if ('kvlistValue' in v || 'kvlist_value' in v) {
      const p = `${path}.kvlistValue.values`;
      return this.attributes(get(obj(get(v, 'kvlistValue'), `${path}.kvlistValue`), 'values'), p, depth + 1);
    }
    if ('bytesValue' in v || 'bytes_value' in v) return str(get(v, 'bytesValue'), `${path}.bytesValue`);
    return null;
  }

  private int64(value: unknown, path: string): number | string {
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) {
      const n = Number(value);
      return Number.isSafeInteger(n) ? n : BigInt(value).toString();
    }
    return fail(path, 'an integer (number or decimal string)', value);
  }

  private double(value: unknown, path: string): number | string {
    if (typeof value === 'number') return value;
    // proto3 JSON spells non-finite doubles as strings; stored values must stay valid JSON.
    if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
    return fail(path, 'a number', value);
  }

  scope(value: unknown, path: string): { name: string; version: string } {
    const s = obj(value, path);
    return { name: str(get(s, 'name'), `${path}.name`), version: str(get(s, 'version'), `${path}.version`) };
  }

  resource(value: unknown, path: string): OtlpAttributes {
    return this.attributes(get(obj(value, path), 'attributes'), `${path}.attributes`);
  }

  span(value: unknown, path: string): OtlpSpan {
    const s = obj(value, path);
    const status = obj(get(s, 'status'), `${path}.status`);
    const out: OtlpSpan = {
      ref: path,
      traceId: this.id(get(s, 'traceId'), `${path}.traceId`),
      spanId: this.id(get(s, 'spanId'), `${path}.spanId`),
      parentSpanId: this.id(get(s, 'parentSpanId'), `${path}.parentSpanId`),
      name: str(get(s, 'name'), `${path}.name`),
      kind: int(get(s, 'kind'), `${path}.kind`, SPAN_KIND_NAMES),
      startTimeUnixNano: nanos(get(s, 'startTimeUnixNano'), `${path}.startTimeUnixNano`),
      endTimeUnixNano: nanos(get(s, 'endTimeUnixNano'), `${path}.endTimeUnixNano`),
      traceState: str(get(s, 'traceState'), `${path}.traceState`),
      flags: uint32(get(s, 'flags'), `${path}.flags`),
      attributes: {},
      events: list(get(s, 'events'), `${path}.events`).map((e, i) => this.event(e, `${path}.events[${i}]`)),
      links: list(get(s, 'links'), `${path}.links`).map((l, i) => this.link(l, `${path}.links[${i}]`)),
      status: {
        code: int(get(status, 'code'), `${path}.status.code`, STATUS_CODE_NAMES),
        message: str(get(status, 'message'), `${path}.status.message`),
      },
      droppedAttributesCount: uint32(get(s, 'droppedAttributesCount'), `${path}.droppedAttributesCount`),
      droppedEventsCount: uint32(get(s, 'droppedEventsCount'), `${path}.droppedEventsCount`),
      droppedLinksCount: uint32(get(s, 'droppedLinksCount'), `${path}.droppedLinksCount`),
    };
    return this.ownAttributes(out, s, path);
  }

  link(value: unknown, path: string): OtlpSpanLink {
    const l = obj(value, path);
    const out: OtlpSpanLink = {
      traceId: this.id(get(l, 'traceId'), `${path}.traceId`),
      spanId: this.id(get(l, 'spanId'), `${path}.spanId`),
      traceState: str(get(l, 'traceState'), `${path}.traceState`),
      attributes: {},
      droppedAttributesCount: uint32(get(l, 'droppedAttributesCount'), `${path}.droppedAttributesCount`),
      flags: uint32(get(l, 'flags'), `${path}.flags`),
    };
    return this.ownAttributes(out, l, path);
  }

  event(value: unknown, path: string): OtlpSpanEvent {
    const e = obj(value, path);
    const out: OtlpSpanEvent = {
      timeUnixNano: nanos(get(e, 'timeUnixNano'), `${path}.timeUnixNano`),
      name: str(get(e, 'name'), `${path}.name`),
      attributes: {},
      droppedAttributesCount: uint32(get(e, 'droppedAttributesCount'), `${path}.droppedAttributesCount`),
    };
    return this.ownAttributes(out, e, path);
  }

  logRecord(value: unknown, path: string): OtlpLogRecord {
    const r = obj(value, path);
    const body = get(r, 'body');
    const out: OtlpLogRecord = {
      ref: path,
      timeUnixNano: nanos(get(r, 'timeUnixNano'), `${path}.timeUnixNano`),
      observedTimeUnixNano: nanos(get(r, 'observedTimeUnixNano'), `${path}.observedTimeUnixNano`),
      severityNumber: int(get(r, 'severityNumber'), `${path}.severityNumber`, SEVERITY_NUMBER_NAMES),
      severityText: str(get(r, 'severityText'), `${path}.severityText`),
      eventName: str(get(r, 'eventName'), `${path}.eventName`),
      body: body === undefined || body === null ? null : this.anyValue(body, `${path}.body`),
      attributes: {},
      droppedAttributesCount: uint32(get(r, 'droppedAttributesCount'), `${path}.droppedAttributesCount`),
      flags: uint32(get(r, 'flags'), `${path}.flags`),
      traceId: this.id(get(r, 'traceId'), `${path}.traceId`),
      spanId: this.id(get(r, 'spanId'), `${path}.spanId`),
    };
    return this.ownAttributes(out, r, path);
  }
}

const SPAN_KIND_NAMES = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
] as const;
const STATUS_CODE_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const;
const SEVERITY_NUMBER_NAMES = [
  'SEVERITY_NUMBER_UNSPECIFIED',
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level) =>
    ['', '2', '3', '4'].map((n) => `SEVERITY_NUMBER_${level}${n}`),
  ),
];

function reader(n: Normaliser): GroupReader {
  return {
    list: (container, path, key) => list(get(obj(container, path || 'request'), key), path ? `${path}.${key}` : key),
    resource: (group, path) => n.resource(get(obj(group, path), 'resource'), `${path}.resource`),
    scope: (group, path) => n.scope(get(obj(group, path), 'scope'), `${path}.scope`),
  };
}

export function normaliseJsonTracesRequest(decoded: unknown): TracesRequest {
  const n = new Normaliser();
  return tracesRequest(decoded, reader(n), (span, path) => n.span(span, path));
}

export function normaliseJsonLogsRequest(decoded: unknown): LogsRequest {
  const n = new Normaliser();
  return logsRequest(decoded, reader(n), (record, path) => n.logRecord(record, path));
}
