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
import { fixed64ToDecimal, type Int64Bits, int64ToValue } from './fixed64.ts';
import { setOwn } from './set-own.ts';
import {
  type AttributeValue,
  type LogsRequest,
  MAX_ANY_VALUE_DEPTH,
  MAX_ATTRIBUTES,
  type OtlpAttributes,
  OtlpDecodeError,
  type OtlpLogRecord,
  type OtlpResourceLogs,
  type OtlpResourceSpans,
  type OtlpScope,
  type OtlpSpan,
  type OtlpSpanEvent,
  type TracesRequest,
} from './types.ts';

// The message shapes of ./proto-schema.ts as protobufjs decodes them (only what is read here).
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
interface PbResource {
  attributes: PbKeyValue[];
}
interface PbScope {
  name: string;
  version: string;
}
interface PbSpanEvent {
  timeUnixNano: Int64Bits;
  name: string;
  attributes: PbKeyValue[];
}
interface PbSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId: Uint8Array;
  name: string;
  kind: number;
  startTimeUnixNano: Int64Bits;
  endTimeUnixNano: Int64Bits;
  attributes: PbKeyValue[];
  events: PbSpanEvent[];
  status: { code: number; message: string } | null;
}
interface PbTracesRequest {
  resourceSpans: { resource: PbResource | null; scopeSpans: { scope: PbScope | null; spans: PbSpan[] }[] }[];
}
interface PbLogRecord {
  timeUnixNano: Int64Bits;
  observedTimeUnixNano: Int64Bits;
  severityNumber: number;
  severityText: string;
  eventName: string;
  body: PbAnyValue | null;
  attributes: PbKeyValue[];
  traceId: Uint8Array;
  spanId: Uint8Array;
}
interface PbLogsRequest {
  resourceLogs: { resource: PbResource | null; scopeLogs: { scope: PbScope | null; logRecords: PbLogRecord[] }[] }[];
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
  if (depth > MAX_ANY_VALUE_DEPTH) {
    throw new OtlpDecodeError(
      `${valuePath(listPath, index, inKeyValue)}: values nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`,
    );
  }
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

function resource(r: PbResource | null, path: string): OtlpAttributes {
  return r === null ? {} : attributes(r.attributes, `${path}.attributes`, 0);
}

function scope(s: PbScope | null): OtlpScope {
  return s === null ? { name: '', version: '' } : { name: s.name, version: s.version };
}

/** The attributes of a span, event or log record: at most MAX_ATTRIBUTES; the rest are counted on `item`. */
function ownAttributes(
  item: { droppedAttributes?: number },
  list: readonly PbKeyValue[],
  path: string,
): OtlpAttributes {
  if (list.length > MAX_ATTRIBUTES) item.droppedAttributes = list.length - MAX_ATTRIBUTES;
  return attributes(list, `${path}.attributes`, 0, MAX_ATTRIBUTES);
}

function event(e: PbSpanEvent, path: string): OtlpSpanEvent {
  const out: OtlpSpanEvent = { timeUnixNano: fixed64ToDecimal(e.timeUnixNano), name: e.name, attributes: {} };
  out.attributes = ownAttributes(out, e.attributes, path);
  return out;
}

function span(s: PbSpan, path: string): OtlpSpan {
  const events: OtlpSpanEvent[] = new Array(s.events.length);
  for (let i = 0; i < s.events.length; i++) events[i] = event(s.events[i]!, `${path}.events[${i}]`);
  const out: OtlpSpan = {
    ref: path,
    traceId: id(s.traceId),
    spanId: id(s.spanId),
    parentSpanId: id(s.parentSpanId),
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: fixed64ToDecimal(s.startTimeUnixNano),
    endTimeUnixNano: fixed64ToDecimal(s.endTimeUnixNano),
    attributes: {},
    events,
    status: s.status === null ? { code: 0, message: '' } : { code: s.status.code, message: s.status.message },
  };
  out.attributes = ownAttributes(out, s.attributes, path);
  return out;
}

function logRecord(r: PbLogRecord, path: string): OtlpLogRecord {
  const out: OtlpLogRecord = {
    ref: path,
    timeUnixNano: fixed64ToDecimal(r.timeUnixNano),
    observedTimeUnixNano: fixed64ToDecimal(r.observedTimeUnixNano),
    severityNumber: r.severityNumber,
    severityText: r.severityText,
    eventName: r.eventName,
    body: r.body === null ? null : anyValue(r.body, `${path}.body`, -1, false, 0),
    attributes: {},
    traceId: id(r.traceId),
    spanId: id(r.spanId),
  };
  out.attributes = ownAttributes(out, r.attributes, path);
  return out;
}

export function normaliseProtobufTracesRequest(decoded: unknown): TracesRequest {
  const request = decoded as PbTracesRequest;
  return {
    resourceSpans: request.resourceSpans.map((rs, r): OtlpResourceSpans => {
      const path = `resourceSpans[${r}]`;
      return {
        resource: resource(rs.resource, `${path}.resource`),
        scopeSpans: rs.scopeSpans.map((ss, s) => {
          const sp = `${path}.scopeSpans[${s}]`;
          return { scope: scope(ss.scope), spans: ss.spans.map((item, i) => span(item, `${sp}.spans[${i}]`)) };
        }),
      };
    }),
  };
}

export function normaliseProtobufLogsRequest(decoded: unknown): LogsRequest {
  const request = decoded as PbLogsRequest;
  return {
    resourceLogs: request.resourceLogs.map((rl, r): OtlpResourceLogs => {
      const path = `resourceLogs[${r}]`;
      return {
        resource: resource(rl.resource, `${path}.resource`),
        scopeLogs: rl.scopeLogs.map((sl, s) => {
          const sp = `${path}.scopeLogs[${s}]`;
          return {
            scope: scope(sl.scope),
            logRecords: sl.logRecords.map((item, i) => logRecord(item, `${sp}.logRecords[${i}]`)),
          };
        }),
      };
    }),
  };
}
