/**
 * Every parameter and response of the query API as zod schemas: the routes
 * validate with them and the OpenAPI document is generated from them, so the
 * two cannot drift apart. Messages are written to be shown after the parameter
 * name ("query parameter \"limit\": must be …").
 */
import {
  DEFAULT_HISTOGRAM_BUCKETS,
  ERROR_CATEGORIES,
  MAX_HISTOGRAM_BUCKETS,
  PLANS,
  TOOL_CALL_STATUSES,
  TOOL_CALL_TYPES,
  TRACE_ID_FORMAT_HINT,
  TRIGGER_EVENT_STATUSES,
  TRIGGER_EVENT_TYPES,
  toTraceId,
} from '@tooltrace/conventions';
import { z } from 'zod';
import { parseApiTime, TIME_FORMAT_HINT } from './time.ts';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;
// As long as the UI lets a filter be (web/src/model/filters.ts).
const MAX_TEXT = 512;

const oneOf = (values: readonly string[]) => `must be one of ${values.join(', ')}`;

// --- parameter building blocks ----------------------------------------------------

const text = (description: string) =>
  z
    .string({ error: 'must be text' })
    .min(1, { error: 'must not be empty' })
    .max(MAX_TEXT, { error: `must be at most ${MAX_TEXT} characters` })
    .meta({ description });

const choice = <const T extends readonly [string, ...string[]]>(values: T, description: string) =>
  z.enum(values, { error: oneOf(values) }).meta({ description });

const time = (description: string) =>
  z
    .string({ error: TIME_FORMAT_HINT })
    .transform((value, ctx) => {
      const ms = parseApiTime(value);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: TIME_FORMAT_HINT });
        return z.NEVER;
      }
      return ms;
    })
    .meta({
      description: `${description}; ISO 8601 with a zone, a date, or epoch milliseconds`,
      examples: ['2026-11-28T12:00:00Z'],
    });

const positiveInt = (min: number, max: number, description: string) => {
  const message = `must be an integer from ${min} to ${max}`;
  return (
    z
      .string({ error: message })
      .regex(/^\d{1,6}$/, { error: message })
      .transform(Number)
      .pipe(z.number().int().min(min, { error: message }).max(max, { error: message }))
      // Query text on the wire, an integer to the client: the document says what a client sends.
      .meta({ description, type: 'integer', minimum: min, maximum: max })
  );
};

/** An optional integer query parameter with its default, documented as such. */
const intWithDefault = (min: number, max: number, description: string, fallback: number) =>
  positiveInt(min, max, description)
    .default(fallback)
    .meta({ description, type: 'integer', minimum: min, maximum: max, default: fallback });

/** A trace ID in either form (32 hex or the UUID requestId), normalised to 32 lowercase hex. */
export const TraceIdParam = z
  .string({ error: TRACE_ID_FORMAT_HINT })
  .transform((value, ctx) => {
    try {
      return toTraceId(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: TRACE_ID_FORMAT_HINT });
      return z.NEVER;
    }
  })
  .meta({
    description: 'trace ID (32 hex characters) or the same value as a requestId UUID, any case',
    examples: ['4c7445d219724ed69e4746053bf1d45f', '4c7445d2-1972-4ed6-9e47-46053bf1d45f'],
  });

const fromToRule = (query: { from?: number | undefined; to?: number | undefined }, ctx: z.RefinementCtx) => {
  if (query.from !== undefined && query.to !== undefined && query.from >= query.to) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be earlier than "to"' });
  }
};

// --- filters -------------------------------------------------------------------

const toolCallFilterShape = {
  userId: text('user ID in the customer app').optional(),
  integration: text('integration, e.g. slack').optional(),
  status: choice(TOOL_CALL_STATUSES, 'tool call status').optional(),
  toolName: text('tool name, e.g. SLACK_SEND_MESSAGE').optional(),
  type: choice(TOOL_CALL_TYPES, 'tool call type').optional(),
  traceId: TraceIdParam.optional(),
  errorCategory: choice(ERROR_CATEGORIES, 'error category (failed calls only)').optional(),
  errorGroup: z
    .string({ error: 'must be an errorGroup: 16 hex characters' })
    .regex(/^[0-9a-f]{16}$/, { error: 'must be an errorGroup: 16 hex characters' })
    .meta({ description: 'error group fingerprint, as /error-groups/tool-calls lists it' })
    .optional(),
  errorCode: text('error code, e.g. 41010').optional(),
  httpStatus: positiveInt(100, 599, 'HTTP status of the call, e.g. 429').optional(),
  toolCallId: text("the caller's own ID of the call (gen_ai.tool.call.id)").optional(),
  from: time('earliest start time, inclusive').optional(),
  to: time('latest start time, exclusive').optional(),
};

const triggerEventFilterShape = {
  userId: text('user ID in the customer app').optional(),
  integration: text('integration, e.g. salesforce').optional(),
  status: choice(TRIGGER_EVENT_STATUSES, 'trigger event status').optional(),
  type: choice(TRIGGER_EVENT_TYPES, 'trigger event type').optional(),
  triggerName: text('trigger name, e.g. SALESFORCE_RECORD_CREATED').optional(),
  deliveryId: text('a delivery ID (tooltrace.delivery.id): the event whose trace holds its attempts').optional(),
  from: time('earliest time received, inclusive').optional(),
  to: time('latest time received, exclusive').optional(),
};

const pageShape = {
  limit: intWithDefault(1, MAX_LIMIT, `page size, default ${DEFAULT_LIMIT}`, DEFAULT_LIMIT),
  cursor: z
    .string({ error: 'must be the nextCursor of a previous page' })
    .max(4096, { error: 'must be the nextCursor of a previous page' })
    .meta({ description: 'nextCursor of the previous page (same filters)' })
    .optional(),
  format: z
    .enum(['csv', 'ndjson'], { error: oneOf(['csv', 'ndjson']) })
    .meta({
      description: 'export every matching row as a streamed download instead of one JSON page; limit is ignored',
    })
    .optional(),
};

const bucketsShape = {
  buckets: intWithDefault(
    1,
    MAX_HISTOGRAM_BUCKETS,
    `target number of buckets, default ${DEFAULT_HISTOGRAM_BUCKETS}`,
    DEFAULT_HISTOGRAM_BUCKETS,
  ),
};

export const ToolCallFiltersQuery = z.strictObject(toolCallFilterShape).superRefine(fromToRule);
export const ToolCallListQuery = z.strictObject({ ...toolCallFilterShape, ...pageShape }).superRefine(fromToRule);
export const ToolCallHistogramQuery = z
  .strictObject({ ...toolCallFilterShape, ...bucketsShape })
  .superRefine(fromToRule);
export const DEFAULT_TREND_BUCKETS = 24;
export const MAX_TREND_BUCKETS = 200;
export const ErrorGroupsQuery = z
  .strictObject({
    ...toolCallFilterShape,
    limit: intWithDefault(1, MAX_LIMIT, `most groups returned, default ${DEFAULT_LIMIT}`, DEFAULT_LIMIT),
    buckets: intWithDefault(
      1,
      MAX_TREND_BUCKETS,
      `trend points per group, default ${DEFAULT_TREND_BUCKETS}`,
      DEFAULT_TREND_BUCKETS,
    ),
  })
  .superRefine(fromToRule);
export const TriggerEventFiltersQuery = z.strictObject(triggerEventFilterShape).superRefine(fromToRule);
export const TriggerEventListQuery = z
  .strictObject({ ...triggerEventFilterShape, ...pageShape })
  .superRefine(fromToRule);
export const TriggerEventHistogramQuery = z
  .strictObject({ ...triggerEventFilterShape, ...bucketsShape })
  .superRefine(fromToRule);
export const NoQuery = z.strictObject({});

export const TraceIdPath = z.strictObject({ traceId: TraceIdParam });
export const CompareQuery = z.strictObject({
  spanId: z
    .string({ error: 'must be a span ID: 16 hex characters' })
    .regex(/^[0-9a-f]{16}$/i, { error: 'must be a span ID: 16 hex characters' })
    .transform((v) => v.toLowerCase())
    .meta({ description: "the call's span ID (a trace may hold several calls); default: the first failed call" })
    .optional(),
});
export const EventIdPath = z.strictObject({
  eventId: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(MAX_TEXT, { error: `must be at most ${MAX_TEXT} characters` })
    .meta({ description: 'trigger event ID (tooltrace.trigger.event_id)' }),
});

const limitValue = (max: number) =>
  z
    .number({ error: `must be a positive integer up to ${max}, or null for no limit` })
    .int({ error: 'must be an integer' })
    .positive({ error: 'must be positive' })
    .max(max, { error: `must be at most ${max}` })
    .nullable();

export const RetentionUpdateBody = z
  .strictObject(
    {
      plan: z.enum(PLANS, { error: oneOf(PLANS) }),
      limits: z
        .strictObject({ maxAgeDays: limitValue(3650).optional(), maxLogs: limitValue(1_000_000_000).optional() })
        .optional()
        .meta({ description: 'custom limits, enterprise plan only; null removes that limit' }),
    },
    { error: 'must be a JSON object { "plan": …, "limits"?: … } sent as Content-Type: application/json' },
  )
  .superRefine((body, ctx) => {
    if (body.limits && body.plan !== 'enterprise') {
      ctx.addIssue({
        code: 'custom',
        path: ['limits'],
        message: `custom limits are only for the enterprise plan, not ${body.plan}`,
      });
    }
  })
  .meta({ id: 'RetentionUpdate' });

// --- responses (shared with the UI: conventions/src/api.ts) --------------------

export {
  ApiErrorSchema as ErrorResponse,
  DeliveryRecordSchema as Delivery,
  ErrorGroupsSchema as ErrorGroups,
  HistogramSchema as Histogram,
  LogEntryRecordSchema as LogEntry,
  RetentionPreviewSchema as RetentionPreview,
  RetentionStatusSchema as RetentionStatus,
  SpanNodeSchema as SpanNode,
  ToolCallComparisonSchema as ToolCallComparison,
  ToolCallFacetsSchema as ToolCallFacets,
  ToolCallPageSchema as ToolCallPage,
  ToolCallRecordSchema as ToolCall,
  ToolCallTraceSchema as ToolCallTrace,
  TraceDetailSchema as TraceDetail,
  TriggerEventDetailSchema as TriggerEventDetail,
  TriggerEventFacetsSchema as TriggerEventFacets,
  TriggerEventPageSchema as TriggerEventPage,
  TriggerEventRecordSchema as TriggerEvent,
} from '@tooltrace/conventions';

export const Health = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
