/**
 * Trace models → the store's write-side facts (`IngestBatch`), following the
 * span conventions of DESIGN §3–§4 the way the collector maps them. This is
 * the fast fill path: it skips HTTP and protobuf, so a store can be filled to
 * the Pro cap in seconds, and it is the input of the "raw limit" measurement.
 * Each span/log record maps on its own, so any chunk of spans maps exactly.
 */
import {
  ATTR_DELIVERY_ATTEMPT,
  ATTR_DELIVERY_FINAL,
  ATTR_DELIVERY_ID,
  ATTR_ERROR_CODE,
  ATTR_ERROR_MESSAGE,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_BODY,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_INTEGRATION,
  ATTR_TOOL_CALL_TYPE,
  ATTR_TRIGGER_EVENT_ID,
  ATTR_TRIGGER_ID,
  ATTR_TRIGGER_NAME,
  ATTR_TRIGGER_SUBSCRIPTION_MODEL,
  ATTR_URL_FULL,
  ATTR_USER_ID,
  ATTR_WEBHOOK_CREATE_FINAL,
  type DeliveryAttemptFact,
  EXCEPTION_EVENT_NAME,
  emptyBatch,
  type IngestBatch,
  isHttpSuccess,
  type LogFact,
  type LogLevel,
  type SubscriptionModel,
  type ToolCallFact,
  type ToolCallType,
  type TriggerFact,
  toRequestId,
} from '@tooltrace/conventions';
import type { Attrs, ModelEvent, ModelLogRecord, ModelSpan } from './traces.ts';

const SERVICE_NAME = 'actionkit';

function iso(timeUs: number): string {
  return new Date(Math.floor(timeUs / 1000)).toISOString();
}

function unixNano(timeUs: number): string {
  return `${timeUs}000`;
}

function str(attrs: Attrs, key: string): string | null {
  const v = attrs[key];
  return v === undefined ? null : String(v);
}

function num(attrs: Attrs, key: string): number | null {
  const v = attrs[key];
  return typeof v === 'number' ? v : null;
}

function spanLevel(span: ModelSpan): LogLevel {
  const http = num(span.attributes, ATTR_HTTP_RESPONSE_STATUS_CODE);
  return span.error || (http !== null && http >= 400) ? 'error' : 'info';
}

function spanMessage(span: ModelSpan): string {
  const http = num(span.attributes, ATTR_HTTP_RESPONSE_STATUS_CODE);
  const url = str(span.attributes, ATTR_URL_FULL);
  const method = str(span.attributes, ATTR_HTTP_REQUEST_METHOD);
  if (url && method) return `${method} ${url}${http !== null ? ` → ${http}` : ''}`;
  if (span.statusMessage) return `${span.name}: ${span.statusMessage}`;
  return http !== null ? `${span.name} → ${http}` : span.name;
}

function spanLog(span: ModelSpan): LogFact {
  const level = spanLevel(span);
  const attributes: Attrs = { ...span.attributes };
  const body = level === 'error' ? str(attributes, ATTR_HTTP_RESPONSE_BODY) : null;
  delete attributes[ATTR_HTTP_RESPONSE_BODY];
  return {
    id: `${span.traceId}:${span.spanId}`,
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    source: 'span',
    timestamp: iso(span.startUs),
    timeUnixNano: unixNano(span.startUs),
    level,
    kind: span.kind,
    name: span.name,
    message: spanMessage(span),
    attributes,
    durationMs: span.durationUs / 1000,
    body,
    serviceName: SERVICE_NAME,
  };
}

function eventLog(span: ModelSpan, event: ModelEvent, index: number): LogFact {
  const isException = event.name === EXCEPTION_EVENT_NAME;
  return {
    id: `${span.traceId}:${span.spanId}:e${index}`,
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    source: 'span_event',
    timestamp: iso(event.timeUs),
    timeUnixNano: unixNano(event.timeUs),
    level: isException ? 'error' : 'info',
    kind: span.kind,
    name: event.name,
    message: isException ? (str(event.attributes, ATTR_EXCEPTION_MESSAGE) ?? event.name) : event.name,
    attributes: { ...event.attributes },
    durationMs: null,
    body: isException ? str(event.attributes, ATTR_EXCEPTION_STACKTRACE) : null,
    serviceName: SERVICE_NAME,
  };
}

function recordLog(record: ModelLogRecord): LogFact {
  const level: LogLevel = record.severity === 'ERROR' ? 'error' : record.severity === 'WARN' ? 'warn' : 'info';
  return {
    // A log record has no ID of its own; its span and time identify it within our traces.
    id: `${record.traceId}:${record.spanId}:l${record.timeUs}`,
    traceId: record.traceId,
    spanId: record.spanId,
    parentSpanId: null,
    source: 'log_record',
    timestamp: iso(record.timeUs),
    timeUnixNano: unixNano(record.timeUs),
    level,
    kind: null,
    name: null,
    message: record.body,
    attributes: { ...record.attributes },
    durationMs: null,
    body: level === 'error' ? (str(record.attributes, ATTR_EXCEPTION_STACKTRACE) ?? record.body) : null,
    serviceName: SERVICE_NAME,
  };
}

function toolCallFact(span: ModelSpan): ToolCallFact {
  const a = span.attributes;
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    requestId: toRequestId(span.traceId),
    type: (str(a, ATTR_TOOL_CALL_TYPE) ?? 'run_tool') as ToolCallType,
    toolName: str(a, ATTR_GEN_AI_TOOL_NAME),
    integration: str(a, ATTR_INTEGRATION),
    userId: str(a, ATTR_USER_ID),
    status: span.error ? 'error' : 'success',
    httpStatus: num(a, ATTR_HTTP_RESPONSE_STATUS_CODE),
    errorCode: str(a, ATTR_ERROR_CODE),
    errorMessage: str(a, ATTR_ERROR_MESSAGE),
    startedAt: iso(span.startUs),
    durationMs: span.durationUs / 1000,
    parameters: str(a, ATTR_GEN_AI_TOOL_CALL_ARGUMENTS),
  };
}

function triggerFact(span: ModelSpan): TriggerFact {
  const a = span.attributes;
  const isRoot = span.kind === 'trigger_event' || span.kind === 'trigger_subscription';
  const finalWebhookCreateFailed =
    span.kind === 'trigger_webhook_create' && span.error && a[ATTR_WEBHOOK_CREATE_FINAL] === true;
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    type: span.kind === 'trigger_subscription' || span.kind === 'trigger_webhook_create' ? 'subscription' : 'event',
    root: isRoot
      ? {
          eventId: str(a, ATTR_TRIGGER_EVENT_ID) ?? span.traceId,
          triggerId: str(a, ATTR_TRIGGER_ID),
          triggerName: str(a, ATTR_TRIGGER_NAME),
          integration: str(a, ATTR_INTEGRATION),
          subscriptionModel: str(a, ATTR_TRIGGER_SUBSCRIPTION_MODEL) as SubscriptionModel | null,
          userId: str(a, ATTR_USER_ID),
          receivedAt: iso(span.startUs),
          failed: span.error,
        }
      : null,
    processingFailed: (span.kind === 'internal' && span.error) || finalWebhookCreateFailed,
    observedAt: iso(span.startUs),
  };
}

function deliveryAttemptFact(span: ModelSpan): DeliveryAttemptFact {
  const a = span.attributes;
  const httpStatus = num(a, ATTR_HTTP_RESPONSE_STATUS_CODE);
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    deliveryId: str(a, ATTR_DELIVERY_ID) ?? span.spanId,
    eventId: str(a, ATTR_TRIGGER_EVENT_ID),
    triggerId: str(a, ATTR_TRIGGER_ID),
    attempt: num(a, ATTR_DELIVERY_ATTEMPT) ?? 1,
    final: a[ATTR_DELIVERY_FINAL] === true,
    userId: str(a, ATTR_USER_ID),
    webhookUrl: str(a, ATTR_URL_FULL),
    httpStatus,
    succeeded: !span.error && isHttpSuccess(httpStatus),
    startedAt: iso(span.startUs),
    durationMs: span.durationUs / 1000,
  };
}

const TRIGGER_TRACE_KINDS = new Set<string>([
  'trigger_event',
  'trigger_poll',
  'trigger_webhook_received',
  'trigger_subscription',
  'trigger_webhook_create',
]);

/** Adds what one span says to `batch`. */
export function addSpanFacts(batch: IngestBatch, span: ModelSpan): void {
  // An `internal` child of a trigger pipeline can report a processing failure; one of a tool call cannot.
  const inTriggerTrace = span.traceKind !== 'tool_call';
  batch.logs.push(spanLog(span));
  span.events.forEach((event, i) => {
    batch.logs.push(eventLog(span, event, i));
  });
  if (span.kind === 'tool_call') batch.toolCalls.push(toolCallFact(span));
  else if (span.kind === 'trigger_delivery') batch.deliveryAttempts.push(deliveryAttemptFact(span));
  else if (TRIGGER_TRACE_KINDS.has(span.kind) || (span.kind === 'internal' && inTriggerTrace)) {
    batch.triggers.push(triggerFact(span));
  }
}

export function addLogRecordFacts(batch: IngestBatch, record: ModelLogRecord): void {
  batch.logs.push(recordLog(record));
}

/** Facts of a set of spans and log records (e.g. one 500-span chunk). */
export function toIngestBatch(spans: readonly ModelSpan[], logRecords: readonly ModelLogRecord[]): IngestBatch {
  const batch = emptyBatch();
  for (const span of spans) addSpanFacts(batch, span);
  for (const record of logRecords) addLogRecordFacts(batch, record);
  return batch;
}
