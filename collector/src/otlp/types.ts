/**
 * The one internal shape both OTLP encodings (protobuf and JSON) are decoded
 * into. IDs are lowercase hex (possibly empty or malformed: validity is the
 * mapper's call, so one bad span does not fail the whole request), times are
 * decimal nanosecond strings, attribute values are plain JSON values.
 */
import { MAX_ANY_VALUE_DEPTH } from '@tooltrace/conventions';

/** An OTLP `AnyValue` as plain JSON: int64 beyond 2^53 stays a decimal string, bytes become base64. */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type OtlpAttributes = Record<string, AttributeValue>;

// Deeper AnyValue nesting is refused, in both encodings; the limit lives in conventions (the store maps to it).
export { MAX_ANY_VALUE_DEPTH };

/**
 * Attributes kept on one span, span event or log record; the rest are dropped
 * unread and counted in `droppedAttributes` (reported in `partial_success`).
 */
export const MAX_ATTRIBUTES = 1000;

/**
 * Brackets open at once in an OTLP/JSON body. The deepest valid request nests
 * 12 brackets down to a span event attribute's value, then 4 per kvlist level
 * of MAX_ANY_VALUE_DEPTH; a body deeper than this is refused by a byte scan
 * before JSON.parse spends time on it.
 */
export const MAX_JSON_NESTING = 16 + 4 * MAX_ANY_VALUE_DEPTH;

export const SPAN_KIND = { unspecified: 0, internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;
export const STATUS_CODE = { unset: 0, ok: 1, error: 2 } as const;

export interface OtlpScope {
  name: string;
  version: string;
}

export interface OtlpSpanEvent {
  timeUnixNano: string;
  name: string;
  attributes: OtlpAttributes;
  /** Attributes past MAX_ATTRIBUTES, dropped by the decoder. */
  droppedAttributes?: number;
  /** OTLP `dropped_attributes_count`: what the sender's SDK dropped before sending (absent: none). */
  droppedAttributesCount?: number;
}

/** A span link: the span it points to (often in another trace) and why. */
export interface OtlpSpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: OtlpAttributes;
  /** Attributes past MAX_ATTRIBUTES, dropped by the decoder. */
  droppedAttributes?: number;
  droppedAttributesCount?: number;
  /** W3C trace flags (low 8 bits) and the is-remote bits of the linked context. */
  flags: number;
}

export interface OtlpSpan {
  /** Where the span sits in the request, e.g. `resourceSpans[0].scopeSpans[1].spans[2]`, for error messages. */
  ref: string;
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /** One of {@link SPAN_KIND}. */
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  traceState: string;
  /** W3C trace flags (low 8 bits) and the is-remote bits of the parent (OTLP `SpanFlags`); 0 when not sent. */
  flags: number;
  attributes: OtlpAttributes;
  /** Attributes past MAX_ATTRIBUTES, dropped by the decoder. */
  droppedAttributes?: number;
  events: OtlpSpanEvent[];
  links: OtlpSpanLink[];
  status: { code: number; message: string };
  /** OTLP `dropped_{attributes,events,links}_count`: what the sender's SDK dropped before sending (absent: none). */
  droppedAttributesCount?: number;
  droppedEventsCount?: number;
  droppedLinksCount?: number;
}

export interface OtlpResourceSpans {
  resource: OtlpAttributes;
  scopeSpans: { scope: OtlpScope; spans: OtlpSpan[] }[];
}

export interface OtlpLogRecord {
  ref: string;
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  eventName: string;
  /** The record body as a plain JSON value; null when absent. */
  body: AttributeValue;
  attributes: OtlpAttributes;
  /** Attributes past MAX_ATTRIBUTES, dropped by the decoder. */
  droppedAttributes?: number;
  droppedAttributesCount?: number;
  /** W3C trace flags of the record's span context (OTLP `LogRecordFlags`). */
  flags: number;
  traceId: string;
  spanId: string;
}

export interface OtlpResourceLogs {
  resource: OtlpAttributes;
  scopeLogs: { scope: OtlpScope; logRecords: OtlpLogRecord[] }[];
}

export interface TracesRequest {
  resourceSpans: OtlpResourceSpans[];
}

export interface LogsRequest {
  resourceLogs: OtlpResourceLogs[];
}

/** A decoded request of either signal: what the pipeline's stages, redaction and forwarding pass along. */
export type OtlpRequest = { signal: 'traces'; request: TracesRequest } | { signal: 'logs'; request: LogsRequest };

export type Signal = 'traces' | 'logs';
export type OtlpEncoding = 'protobuf' | 'json';

/** The request could not be decoded; the message names the field (or says why the bytes are unreadable). */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}
