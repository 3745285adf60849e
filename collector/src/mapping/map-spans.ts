/**
 * Normalised resource spans → IngestBatch facts (DESIGN §3, §4). Pure: no
 * I/O, no clock (the receive time comes in the options). Every fact is keyed
 * by trace/span IDs, so re-sending a request upserts the same rows.
 */
import {
  ATTR_DELIVERY_ATTEMPT,
  ATTR_DELIVERY_FINAL,
  ATTR_DELIVERY_ID,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_HTTP_RESPONSE_BODY,
  ATTR_INTEGRATION,
  ATTR_TRIGGER_EVENT_ID,
  ATTR_TRIGGER_ID,
  ATTR_TRIGGER_NAME,
  ATTR_TRIGGER_SUBSCRIPTION_MODEL,
  ATTR_URL_FULL,
  ATTR_WEBHOOK_CREATE_FINAL,
  type DeliveryAttemptFact,
  EXCEPTION_EVENT_NAME,
  emptyBatch,
  type IngestBatch,
  isHttpSuccess,
  isValidSpanId,
  isValidTraceId,
  type LogFact,
  SUBSCRIPTION_MODELS,
  type SubscriptionModel,
  type ToolCallFact,
  type TriggerEventType,
  type TriggerFact,
  toRequestId,
} from '@tooltrace/conventions';
import { type OtlpAttributes, type OtlpSpan, STATUS_CODE, type TracesRequest } from '../otlp/types.ts';
import {
  attrBool,
  attrInt,
  attrString,
  droppedAttributesWarning,
  storedAttributes,
  truncateText,
  valueText,
} from './attributes.ts';
import { droppedAttributes, withDroppedCounts } from './dropped.ts';
import { classifyToolCallError, ProviderFailures } from './error-evidence.ts';
import { admitItems } from './item-admission.ts';
import { spanEventMessage, spanMessage } from './messages.ts';
import type { MappingOptions, MappingRejections } from './options.ts';
import { storedLinks, unusableLinkWarnings } from './span-links.ts';
import { errorDetails, type SpanView, toolName, viewSpan } from './span-view.ts';
import { msToNanos, nanosToMs, subMsNanos } from './time.ts';
import { type TimeWindow, timeWindow } from './time-window.ts';
import { plainTraceSamples, type SenderSamples } from './trace-samples.ts';
import { UserAttribution } from './user-attribution.ts';

export interface TracesMapping extends MappingRejections {
  batch: IngestBatch;
  /** Per sender, a few stored traces none of whose spans is a tool call or trigger event. */
  samples: SenderSamples;
}

const ALL_ZERO = /^0*$/;

/** Why a span cannot be stored, or null when its IDs are usable. */
function invalidIds(span: OtlpSpan): string | null {
  if (!isValidTraceId(span.traceId)) {
    return `${span.ref}.traceId: invalid trace ID ${JSON.stringify(span.traceId.slice(0, 64))} (expected 16 bytes, in OTLP/JSON 32 hex characters, not all zeros)`;
  }
  if (!isValidSpanId(span.spanId)) {
    return `${span.ref}.spanId: invalid span ID ${JSON.stringify(span.spanId.slice(0, 64))} (expected 8 bytes, in OTLP/JSON 16 hex characters, not all zeros)`;
  }
  if (!ALL_ZERO.test(span.parentSpanId) && !isValidSpanId(span.parentSpanId)) {
    return `${span.ref}.parentSpanId: invalid span ID ${JSON.stringify(span.parentSpanId.slice(0, 64))} (expected empty or 8 bytes)`;
  }
  return null;
}

/** Why a span's times put it outside what is stored, or null. Absent times (0) are not checked. */
function outsideWindow(span: OtlpSpan, window: TimeWindow): string | null {
  for (const [field, nanos] of [
    ['startTimeUnixNano', span.startTimeUnixNano],
    ['endTimeUnixNano', span.endTimeUnixNano],
  ] as const) {
    const problem = nanos === '0' ? null : window.check(`${span.ref}.${field}`, nanos);
    if (problem) return problem;
  }
  return null;
}

function spanWarnings(span: OtlpSpan, warnings: string[]): void {
  const own = droppedAttributesWarning(span.ref, span);
  if (own) warnings.push(own);
  span.events.forEach((event, index) => {
    const line = droppedAttributesWarning(`${span.ref}.events[${index}]`, event);
    if (line) warnings.push(line);
  });
  span.links.forEach((link, index) => {
    const line = droppedAttributesWarning(`${span.ref}.links[${index}]`, link);
    if (line) warnings.push(line);
  });
  if (span.links.length > 0) warnings.push(...unusableLinkWarnings(span));
}

/** What the other spans of the same trace in this request say about it. */
interface TraceContext {
  triggerType: TriggerEventType | null;
  rootEventId: string | null;
  rootTriggerId: string | null;
  hasToolCall: boolean;
}

function traceContexts(views: SpanView[]): Map<string, TraceContext> {
  const contexts = new Map<string, TraceContext>();
  for (const v of views) {
    let ctx = contexts.get(v.traceId);
    if (!ctx) {
      ctx = { triggerType: null, rootEventId: null, rootTriggerId: null, hasToolCall: false };
      contexts.set(v.traceId, ctx);
    }
    if (v.toolCallType) ctx.hasToolCall = true;
    if (v.kind === 'trigger_subscription' || v.kind === 'trigger_webhook_create') ctx.triggerType = 'subscription';
    else if (v.kind?.startsWith('trigger_') && ctx.triggerType === null) ctx.triggerType = 'event';
    if (v.kind === 'trigger_event' || v.kind === 'trigger_subscription') {
      ctx.rootEventId = rootEventId(v);
      ctx.rootTriggerId = attrString(v.attrs, ATTR_TRIGGER_ID);
    }
  }
  return contexts;
}

/** Subscriptions carry no event ID of their own; their trace ID identifies them. */
function rootEventId(view: SpanView): string {
  return attrString(view.attrs, ATTR_TRIGGER_EVENT_ID) ?? view.traceId;
}

function carriesTriggerAttributes(attrs: OtlpAttributes): boolean {
  return Object.keys(attrs).some((key) => key.startsWith('tooltrace.trigger.'));
}

function subscriptionModel(attrs: OtlpAttributes): SubscriptionModel | null {
  const value = attrString(attrs, ATTR_TRIGGER_SUBSCRIPTION_MODEL)?.toUpperCase();
  return value && (SUBSCRIPTION_MODELS as readonly string[]).includes(value) ? (value as SubscriptionModel) : null;
}

function toolCallFact(
  v: SpanView,
  options: MappingOptions,
  failures: ProviderFailures,
  users: UserAttribution,
): ToolCallFact {
  const error = v.isError;
  const details = error ? errorDetails(v) : { code: null, message: null };
  const args = valueText(v.attrs[ATTR_GEN_AI_TOOL_CALL_ARGUMENTS]);
  const integration = attrString(v.attrs, ATTR_INTEGRATION);
  const name = toolName(v);
  const classified = error ? classifyToolCallError(v, details, { integration, toolName: name, failures }) : null;
  return {
    traceId: v.traceId,
    spanId: v.spanId,
    requestId: toRequestId(v.traceId),
    type: v.toolCallType ?? 'run_tool',
    toolName: name,
    integration,
    userId: users.userOf(v),
    ...(users.hasOwnUser(v) ? {} : { userInherited: true }),
    status: error ? 'error' : 'success',
    httpStatus: v.httpStatus,
    errorCode: details.code,
    errorMessage: details.message === null ? null : truncateText(details.message, options.maxAttributeValueLength),
    errorCategory: classified?.errorCategory ?? null,
    errorGroup: classified?.errorGroup ?? null,
    toolCallId: attrString(v.attrs, ATTR_GEN_AI_TOOL_CALL_ID),
    startedAtMs: v.startMs,
    durationMs: v.recordDurationMs,
    parameters: args === null ? null : truncateText(args, options.maxAttributeValueLength),
  };
}

/** The span's trigger fact, if it makes one (at most one per span). */
function triggerFact(v: SpanView, ctx: TraceContext, users: UserAttribution): TriggerFact | null {
  const base = { traceId: v.traceId, spanId: v.spanId, observedAtMs: v.startMs };
  if (v.kind === 'trigger_event' || v.kind === 'trigger_subscription') {
    return {
      ...base,
      type: v.kind === 'trigger_event' ? 'event' : 'subscription',
      root: {
        eventId: rootEventId(v),
        triggerId: attrString(v.attrs, ATTR_TRIGGER_ID),
        triggerName: attrString(v.attrs, ATTR_TRIGGER_NAME),
        integration: attrString(v.attrs, ATTR_INTEGRATION),
        subscriptionModel: subscriptionModel(v.attrs),
        userId: users.userOf(v),
        receivedAtMs: v.startMs,
        failed: v.span.status.code === STATUS_CODE.error,
      },
      processingFailed: false,
    };
  }
  if (v.kind === 'trigger_webhook_create' && v.isError && attrBool(v.attrs, ATTR_WEBHOOK_CREATE_FINAL) === true) {
    return { ...base, type: 'subscription', root: null, processingFailed: true };
  }
  // A failing `internal` span is a processing failure only inside a trigger trace; a tool
  // call's internal spans fail without making a trigger row. The trace is known to be a
  // trigger trace from its other spans in this request or from trigger attributes on the span.
  if (v.kind === 'internal' && v.span.status.code === STATUS_CODE.error && !ctx.hasToolCall) {
    const isTrigger = ctx.triggerType !== null || carriesTriggerAttributes(v.attrs);
    if (isTrigger) return { ...base, type: ctx.triggerType ?? 'event', root: null, processingFailed: true };
  }
  return null;
}

function deliveryAttemptFact(v: SpanView, ctx: TraceContext, users: UserAttribution): DeliveryAttemptFact {
  return {
    traceId: v.traceId,
    spanId: v.spanId,
    // Without a delivery ID the attempt still shows, as its own delivery.
    deliveryId: attrString(v.attrs, ATTR_DELIVERY_ID) ?? `span:${v.spanId}`,
    eventId: attrString(v.attrs, ATTR_TRIGGER_EVENT_ID) ?? ctx.rootEventId,
    triggerId: attrString(v.attrs, ATTR_TRIGGER_ID) ?? ctx.rootTriggerId,
    attempt: attrInt(v.attrs, ATTR_DELIVERY_ATTEMPT) ?? 1,
    final: attrBool(v.attrs, ATTR_DELIVERY_FINAL) === true,
    userId: users.userOf(v),
    webhookUrl: attrString(v.attrs, ATTR_URL_FULL),
    httpStatus: v.httpStatus,
    succeeded: isHttpSuccess(v.httpStatus) && !v.isError,
    startedAtMs: v.startMs,
    durationMs: v.recordDurationMs,
  };
}

function statusAttributes(span: OtlpSpan): OtlpAttributes | null {
  if (span.status.code === STATUS_CODE.unset) return null;
  const out: OtlpAttributes = { 'otel.status_code': span.status.code === STATUS_CODE.error ? 'ERROR' : 'OK' };
  if (span.status.message) out['otel.status_description'] = span.status.message;
  return out;
}

/** The response body moves to `body` on error entries and is dropped from every other one (DESIGN §3). */
function splitBody(
  attrs: OtlpAttributes,
  extra: OtlpAttributes | null,
  isError: boolean,
  options: MappingOptions,
): { attributes: OtlpAttributes; body: string | null } {
  // `extra` holds only status and dropped-count attributes, never the body.
  const body = isError ? valueText(attrs[ATTR_HTTP_RESPONSE_BODY]) : null;
  return {
    attributes: storedAttributes(attrs, ATTR_HTTP_RESPONSE_BODY, options.maxAttributeValueLength, extra),
    body: body === null ? null : truncateText(body, options.maxBodyLength),
  };
}

/** Appends the span's entry and one per span event to `logs` (no per-span arrays). */
function addSpanLogs(v: SpanView, options: MappingOptions, logs: LogFact[]): void {
  const { links, unusable } = storedLinks(v.span, options.maxAttributeValueLength);
  const extra = withDroppedCounts(statusAttributes(v.span), {
    attributes: droppedAttributes(v.span),
    events: v.span.droppedEventsCount,
    links: (v.span.droppedLinksCount ?? 0) + unusable,
  });
  const { attributes, body } = splitBody(v.attrs, extra, v.isError, options);
  const entry: LogFact = {
    id: `span:${v.logKey}`,
    traceId: v.traceId,
    spanId: v.spanId,
    parentSpanId: v.parentSpanId,
    source: 'span',
    timeMs: v.startMs,
    subMsNanos: subMsNanos(v.startNanos),
    level: v.isError ? 'error' : 'info',
    kind: v.kind,
    name: v.span.name || null,
    message: spanMessage(v),
    attributes,
    durationMs: v.durationMs,
    body,
    serviceName: v.serviceName,
  };
  if (links) entry.links = links;
  logs.push(entry);
  v.span.events.forEach((event, index) => {
    const isError = event.name === EXCEPTION_EVENT_NAME;
    const time = event.timeUnixNano === '0' ? v.startNanos : event.timeUnixNano;
    const dropped = withDroppedCounts(null, { attributes: droppedAttributes(event) });
    const split = splitBody(event.attributes, dropped, isError, options);
    logs.push({
      id: `event:${v.logKey}:${index}`,
      traceId: v.traceId,
      spanId: v.spanId,
      parentSpanId: v.parentSpanId,
      source: 'span_event',
      timeMs: nanosToMs(time),
      subMsNanos: subMsNanos(time),
      level: isError ? 'error' : 'info',
      kind: v.kind,
      name: event.name || null,
      message: spanEventMessage(event),
      attributes: split.attributes,
      durationMs: null,
      body: split.body,
      serviceName: v.serviceName,
    });
  });
}

export function mapTracesRequest(request: TracesRequest, options: MappingOptions): TracesMapping {
  const receivedAtNanos = msToNanos(options.receivedAtMs);
  const window = timeWindow(options);
  const views: SpanView[] = [];
  const admitted = admitItems<OtlpSpan>(
    { signal: 'traces', request },
    (span) => invalidIds(span) ?? outsideWindow(span, window),
    (span, resource, warnings) => {
      spanWarnings(span, warnings);
      const parent = ALL_ZERO.test(span.parentSpanId) ? null : span.parentSpanId;
      views.push(viewSpan(span, resource, parent, receivedAtNanos));
    },
  );
  const contexts = traceContexts(views);
  const failures = new ProviderFailures(views);
  const users = new UserAttribution(views);
  const batch = emptyBatch();
  for (const v of views) {
    const ctx = contexts.get(v.traceId)!;
    if (v.toolCallType) batch.toolCalls.push(toolCallFact(v, options, failures, users));
    const trigger = triggerFact(v, ctx, users);
    if (trigger) batch.triggers.push(trigger);
    if (v.kind === 'trigger_delivery') batch.deliveryAttempts.push(deliveryAttemptFact(v, ctx, users));
    addSpanLogs(v, options, batch.logs);
  }
  return { batch, samples: plainTraceSamples(views, options.receivedAtMs), ...admitted };
}
