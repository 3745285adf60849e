/**
 * Decoded protobuf messages (protobufjs `Type.decode` output, no `toObject`
 * copy) → the internal shape of ./types.ts, identical to what the OTLP/JSON
 * path gives for the same request.
 *
 * protobufjs already guarantees every field's wire type, so there is nothing
 * to type-check here; what matters is reading the messages as they are:
 * fields absent on the wire fall back to defaults on the message prototype
 * (`''`, `0`, a zero Long, `null` for messages, an empty array for bytes),
 * which is what proto3 means by absent. Only the `AnyValue` oneof needs an
 * own-property check, since each member has a prototype default.
 */
import { setOwn } from '@tooltrace/conventions';
import { attributesToRead, isTooDeep, tooDeepError } from './attribute-limits.ts';
import { fixed64ToDecimal, type Int64Bits, int64ToValue } from './fixed64.ts';
import { type GroupReader, logsRequest, tracesRequest } from './request-groups.ts';
import type {
  AttributeValue,
  LogsRequest,
  OtlpAttributes,
  OtlpLogRecord,
  OtlpSpan,
  OtlpSpanEvent,
  OtlpSpanLink,
  TracesRequest,
} from './types.ts';

// The messages of the vendored opentelemetry-proto files as protobufjs decodes them (only what is read here).
interface PbAnyValue {
  stringValue: string;
  boolValue: boolean;
  intValue: Int64Bits;
  doubleValue: number;
  arrayValue: { values: PbAnyValue[] } | null;
  kvlistValue: { values: PbKeyValue[] } | null;
  bytesValue: Uint8Array;
}
interface PbKeyValue {
  key: string;
  value: PbAnyValue | null;
}
/** Spans, events, links, log records, resources: attributes and the sender's count of those it dropped. */
interface PbAttributed {
  attributes: PbKeyValue[];
  droppedAttributesCount: number;
}
interface PbScope {
  name: string;
  version: string;
}
interface PbSpanEvent extends PbAttributed {
  timeUnixNano: Int64Bits;
  name: string;
}
interface PbSpanLink extends PbAttributed {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState: string;
  flags: number;
}
interface PbSpan extends PbAttributed {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState: string;
  parentSpanId: Uint8Array;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: Int64Bits;
  endTimeUnixNano: Int64Bits;
  events: PbSpanEvent[];
  droppedEventsCount: number;
  links: PbSpanLink[];
  droppedLinksCount: number;
  status: { code: number; message: string } | null;
}
interface PbLogRecord extends PbAttributed {
  timeUnixNano: Int64Bits;
  observedTimeUnixNano: Int64Bits;
  severityNumber: number;
  severityText: string;
  eventName: string;
  body: PbAnyValue | null;
  flags: number;
  traceId: Uint8Array;
  spanId: Uint8Array;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Absent bytes fields read as the prototype's empty default, which is not a Uint8Array; both mean "no ID". */
function id(bytes: Uint8Array): string {
  if (bytes.length === 0) return '';
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function attributes(list: readonly PbKeyValue[], path: string, depth: number, limit = list.length): OtlpAttributes {
  const out: OtlpAttributes = {};
  const count = Math.min(list.length, limit);
  for (let i = 0; i < count; i++) {
    const kv = list[i]!;
    setOwn(out, kv.key, anyValue(kv.value, path, i, true, depth));
  }
  return out;
}

/** Where a value sits, built only when an error or a nested list needs it (not once per attribute). */
function valuePath(listPath: string, index: number, inKeyValue: boolean): string {
  if (index < 0) return listPath;
  return inKeyValue ? `${listPath}[${index}].value` : `${listPath}[${index}]`;
}

/** The value at `listPath[index]` (`.value` of a KeyValue there when `inKeyValue`; `listPath` itself when index < 0). */
function anyValue(
  v: PbAnyValue | null,
  listPath: string,
  index: number,
  inKeyValue: boolean,
  depth: number,
): AttributeValue {
  if (isTooDeep(depth)) throw tooDeepError(valuePath(listPath, index, inKeyValue));
  if (v === null) return null;
  // The same precedence as the JSON reader when a sender sets several oneof members.
  if (hasOwn.call(v, 'stringValue')) return v.stringValue;
  if (hasOwn.call(v, 'boolValue')) return v.boolValue;
  if (hasOwn.call(v, 'intValue')) return int64ToValue(v.intValue);
  if (hasOwn.call(v, 'doubleValue')) return v.doubleValue;
  if (hasOwn.call(v, 'arrayValue')) {
    const values = v.arrayValue?.values ?? [];
    const p = `${valuePath(listPath, index, inKeyValue)}.arrayValue.values`;
    return values.map((item, i) => anyValue(item, p, i, false, depth + 1));
  }
  if (hasOwn.call(v, 'kvlistValue')) {
    const p = `${valuePath(listPath, index, inKeyValue)}.kvlistValue.values`;
    return attributes(v.kvlistValue?.values ?? [], p, depth + 1);
  }
  if (hasOwn.call(v, 'bytesValue')) {
    const b = v.bytesValue;
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
  }
  return null;
}

/** The request's lists are arrays of messages (an absent one is an empty array); groups hold resource and scope. */
const READER: GroupReader = {
  list: (container, _path, key) => (container as Record<string, readonly unknown[]>)[key]!,
  resource: (group, path) => {
    const r = (group as { resource: PbAttributed | null }).resource;
    return r === null ? {} : attributes(r.attributes, `${path}.resource.attributes`, 0);
  },
  scope: (group) => {
    const s = (group as { scope: PbScope | null }).scope;
    return s === null ? { name: '', version: '' } : { name: s.name, version: s.version };
  },
};

/** The attributes of a span, event, link or log record: at most MAX_ATTRIBUTES; the rest are counted on `item`. */
function ownAttributes(item: { droppedAttributes?: number }, source: PbAttributed, path: string): OtlpAttributes {
  const list = source.attributes;
  return attributes(list, `${path}.attributes`, 0, attributesToRead(item, list.length));
}

function event(e: PbSpanEvent, path: string): OtlpSpanEvent {
  const out: OtlpSpanEvent = {
    timeUnixNano: fixed64ToDecimal(e.timeUnixNano),
    name: e.name,
    attributes: {},
    droppedAttributesCount: e.droppedAttributesCount,
  };
  out.attributes = ownAttributes(out, e, path);
  return out;
}

function link(l: PbSpanLink, path: string): OtlpSpanLink {
  const out: OtlpSpanLink = {
    traceId: id(l.traceId),
    spanId: id(l.spanId),
    traceState: l.traceState,
    attributes: {},
    droppedAttributesCount: l.droppedAttributesCount,
    flags: l.flags,
  };
  out.attributes = ownAttributes(out, l, path);
  return out;
}

function span(value: unknown, path: string): OtlpSpan {
  const s = value as PbSpan;
  const events: OtlpSpanEvent[] = new Array(s.events.length);
  for (let i = 0; i < s.events.length; i++) events[i] = event(s.events[i]!, `${path}.events[${i}]`);
  const links: OtlpSpanLink[] = new Array(s.links.length);
  for (let i = 0; i < s.links.length; i++) links[i] = link(s.links[i]!, `${path}.links[${i}]`);
  const out: OtlpSpan = {
    ref: path,
    traceId: id(s.traceId),
    spanId: id(s.spanId),
    parentSpanId: id(s.parentSpanId),
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: fixed64ToDecimal(s.startTimeUnixNano),
    endTimeUnixNano: fixed64ToDecimal(s.endTimeUnixNano),
    traceState: s.traceState,
    flags: s.flags,
    attributes: {},
    events,
    links,
    status: s.status === null ? { code: 0, message: '' } : { code: s.status.code, message: s.status.message },
    droppedAttributesCount: s.droppedAttributesCount,
    droppedEventsCount: s.droppedEventsCount,
    droppedLinksCount: s.droppedLinksCount,
  };
  out.attributes = ownAttributes(out, s, path);
  return out;
}

function logRecord(value: unknown, path: string): OtlpLogRecord {
  const r = value as PbLogRecord;
  const out: OtlpLogRecord = {
    ref: path,
    timeUnixNano: fixed64ToDecimal(r.timeUnixNano),
    observedTimeUnixNano: fixed64ToDecimal(r.observedTimeUnixNano),
    severityNumber: r.severityNumber,
    severityText: r.severityText,
    eventName: r.eventName,
    body: r.body === null ? null : anyValue(r.body, `${path}.body`, -1, false, 0),
    attributes: {},
    droppedAttributesCount: r.droppedAttributesCount,
    flags: r.flags,
    traceId: id(r.traceId),
    spanId: id(r.spanId),
  };
  out.attributes = ownAttributes(out, r, path);
  return out;
}

export function normaliseProtobufTracesRequest(decoded: unknown): TracesRequest {
  return tracesRequest(decoded, READER, span);
}

export function normaliseProtobufLogsRequest(decoded: unknown): LogsRequest {
  return logsRequest(decoded, READER, logRecord);
}
