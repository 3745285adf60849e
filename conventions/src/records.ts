/**
 * The domain records of DESIGN §4, as zod schemas with inferred types. These
 * are the shapes the query API returns and the UI renders; each store backend
 * keeps its own row/document shapes and converts to and from these.
 *
 * Times are ISO 8601 strings in UTC. `timeUnixNano` keeps full precision where
 * ordering and waterfalls need it. The stores carry the same records with
 * times as numbers (the `Stored…` types at the end); the query API formats
 * them, once, as it answers.
 */
import { z } from 'zod';
import { SPAN_KINDS, SUBSCRIPTION_MODELS, TOOL_CALL_TYPES } from './attributes.ts';
import { ERROR_CATEGORIES } from './error-category.ts';

const isoTime = z.iso.datetime({ offset: true });
const traceId = z.string().regex(/^[0-9a-f]{32}$/);
const spanId = z.string().regex(/^[0-9a-f]{16}$/);

export const TOOL_CALL_STATUSES = ['success', 'error'] as const;
export type ToolCallStatus = (typeof TOOL_CALL_STATUSES)[number];

export const TRIGGER_EVENT_STATUSES = ['processing_failure', 'delivery_failures', 'success', 'queued'] as const;
export type TriggerEventStatus = (typeof TRIGGER_EVENT_STATUSES)[number];

export const TRIGGER_EVENT_TYPES = ['event', 'subscription'] as const;
export type TriggerEventType = (typeof TRIGGER_EVENT_TYPES)[number];

export const DELIVERY_STATUSES = ['succeeded', 'failed', 'pending'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What a log entry stands for: a span, one of its events, or an OTLP log record. */
export const LOG_SOURCES = ['span', 'span_event', 'log_record'] as const;
export type LogSource = (typeof LOG_SOURCES)[number];

export const AttributesSchema = z.record(z.string(), z.unknown());
export type Attributes = z.infer<typeof AttributesSchema>;

export const ToolCallSchema = z.object({
  traceId,
  spanId,
  requestId: z.string(),
  projectId: z.string(),
  type: z.enum(TOOL_CALL_TYPES),
  toolName: z.string().nullable(),
  integration: z.string().nullable(),
  userId: z.string().nullable(),
  status: z.enum(TOOL_CALL_STATUSES),
  httpStatus: z.number().int().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  /** Error calls only: what kind of failure, by the rule table of `error-category.ts`. */
  errorCategory: z.enum(ERROR_CATEGORIES).nullable(),
  /** Error calls only: the fingerprint that groups calls failing the same way (`error-group.ts`). */
  errorGroup: z.string().nullable(),
  /** The caller's own ID of this call (`gen_ai.tool.call.id`, e.g. the model's tool-call ID), when it sent one. */
  toolCallId: z.string().nullable(),
  startedAt: isoTime,
  durationMs: z.number().nonnegative(),
  parameters: z.string().nullable(),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

export const TriggerEventSchema = z.object({
  /** Null until the root span (which carries the event ID) has arrived. */
  eventId: z.string().nullable(),
  traceId,
  projectId: z.string(),
  type: z.enum(TRIGGER_EVENT_TYPES),
  triggerId: z.string().nullable(),
  triggerName: z.string().nullable(),
  integration: z.string().nullable(),
  subscriptionModel: z.enum(SUBSCRIPTION_MODELS).nullable(),
  userIds: z.array(z.string()),
  receivedAt: isoTime,
  status: z.enum(TRIGGER_EVENT_STATUSES),
  /** Deliveries with an attempt in this event's trace ("2/3 deliveries failed" in a list row). */
  deliveryCount: z.number().int().nonnegative(),
  /** Of those, the ones whose final attempt failed. */
  failedDeliveryCount: z.number().int().nonnegative(),
});
export type TriggerEvent = z.infer<typeof TriggerEventSchema>;

export const DeliverySchema = z.object({
  deliveryId: z.string(),
  eventId: z.string().nullable(),
  traceId,
  triggerId: z.string().nullable(),
  userId: z.string().nullable(),
  webhookUrl: z.string().nullable(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int().nonnegative(),
  createdAt: isoTime,
  lastAttemptAt: isoTime,
  durationMs: z.number().nonnegative(),
  lastHttpStatus: z.number().int().nullable(),
});
export type Delivery = z.infer<typeof DeliverySchema>;

/** A span link (OTLP `Span.Link`): the span it points to, often in another trace, and why (its attributes). */
export const SpanLinkSchema = z
  .object({ traceId, spanId, attributes: AttributesSchema })
  .meta({ id: 'SpanLink', description: 'a span this span links to (OTLP span link), often in another trace' });
export type SpanLink = z.infer<typeof SpanLinkSchema>;

export const LogEntrySchema = z.object({
  /** Deterministic per source item, so re-sent batches upsert instead of duplicating. */
  id: z.string(),
  projectId: z.string(),
  traceId,
  spanId: spanId.nullable(),
  parentSpanId: spanId.nullable(),
  source: z.enum(LOG_SOURCES),
  timestamp: isoTime,
  timeUnixNano: z.string().regex(/^\d+$/),
  level: z.enum(LOG_LEVELS),
  /** `tooltrace.kind` of the span (or of the span the event/log belongs to), else null. */
  kind: z.enum(SPAN_KINDS).nullable(),
  /** Span name, event name, or null for log records. */
  name: z.string().nullable(),
  message: z.string(),
  attributes: AttributesSchema,
  /** Set for spans only; as sent, so negative when the span's end precedes its start. */
  durationMs: z.number().nullable(),
  /** Response or log body; only ever set on error-level entries. */
  body: z.string().nullable(),
  serviceName: z.string().nullable(),
  /** Span entries only, and only when the span has links (a batch job linking the traces it consumed). */
  links: z.array(SpanLinkSchema).optional(),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;

/**
 * The records as the facts carry them and the stores keep and return them: times are epoch ms, a log's
 * also the nanoseconds past that millisecond (what ordering within a millisecond needs). ISO text is the
 * query API's to write (query-api/src/serialise.ts); nothing converts a time back and forth.
 */
const epochMs = z.number().int().nonnegative();
export const StoredToolCallSchema = ToolCallSchema.omit({ startedAt: true }).extend({ startedAtMs: epochMs });
export const StoredTriggerEventSchema = TriggerEventSchema.omit({ receivedAt: true }).extend({ receivedAtMs: epochMs });
export const StoredDeliverySchema = DeliverySchema.omit({ createdAt: true, lastAttemptAt: true }).extend({
  createdAtMs: epochMs,
  lastAttemptAtMs: epochMs,
});
export const StoredLogSchema = LogEntrySchema.omit({ timestamp: true, timeUnixNano: true }).extend({
  /** Whole epoch milliseconds. */
  timeMs: epochMs,
  /** Nanoseconds past `timeMs`. */
  subMsNanos: z.number().int().min(0).max(999_999),
});
export type StoredToolCall = z.infer<typeof StoredToolCallSchema>;
export type StoredTriggerEvent = z.infer<typeof StoredTriggerEventSchema>;
export type StoredDelivery = z.infer<typeof StoredDeliverySchema>;
export type StoredLog = z.infer<typeof StoredLogSchema>;

/** Order of logs in a trace: time to the nanosecond, then ID (re-sent logs keep their place). */
export function compareStoredLogs(a: StoredLog, b: StoredLog): number {
  return a.timeMs - b.timeMs || a.subMsNanos - b.subMsNanos || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
