/**
 * The query API's response shapes (DESIGN §6), shared by the API (which
 * validates its answers and generates its OpenAPI document from them) and the
 * UI (which validates what it receives). The `id` metadata names each schema
 * in the OpenAPI document.
 */
import { z } from 'zod';
import { SPAN_KINDS } from './attributes.ts';
import { ERROR_CATEGORIES } from './error-category.ts';
import { AGE_RETENTION_MECHANISMS } from './limits.ts';
import { PLANS } from './plans.ts';
import { DeliverySchema, LOG_LEVELS, LogEntrySchema, ToolCallSchema, TriggerEventSchema } from './records.ts';
import { type SpanNode, TRACE_WARNING_CODES } from './span-tree.ts';

const isoTime = z.iso.datetime({ offset: true });

export const ApiErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .meta({ id: 'Error', description: 'every error answer' });

export const ToolCallRecordSchema = ToolCallSchema.meta({ id: 'ToolCall' });
export const TriggerEventRecordSchema = TriggerEventSchema.meta({ id: 'TriggerEvent' });
export const DeliveryRecordSchema = DeliverySchema.meta({ id: 'Delivery' });
export const LogEntryRecordSchema = LogEntrySchema.meta({ id: 'LogEntry' });

export const SpanNodeSchema: z.ZodType<SpanNode> = z
  .object({
    spanId: z.string(),
    parentSpanId: z.string().nullable(),
    name: z.string().nullable(),
    kind: z.enum(SPAN_KINDS).nullable(),
    level: z.enum(LOG_LEVELS),
    timestamp: z.string(),
    timeUnixNano: z.string(),
    durationMs: z.number(),
    get children() {
      return z.array(SpanNodeSchema);
    },
  })
  .meta({ id: 'SpanNode', description: 'structure and timing only; attributes are on the span’s log entry' });

export const TraceWarningSchema = z
  .object({ code: z.enum(TRACE_WARNING_CODES), spanId: z.string(), message: z.string() })
  .meta({ id: 'TraceWarning', description: 'data of the trace that looks wrong, kept as sent' });

const nextCursor = z
  .string()
  .nullable()
  .meta({ description: 'pass as ?cursor= for the next page; null on the last page' });

export const ToolCallPageSchema = z
  .object({ items: z.array(ToolCallRecordSchema), nextCursor })
  .meta({ id: 'ToolCallPage' });
export const TriggerEventPageSchema = z
  .object({ items: z.array(TriggerEventRecordSchema), nextCursor })
  .meta({ id: 'TriggerEventPage' });

export const ToolCallTraceSchema = z
  .object({
    toolCalls: z.array(ToolCallRecordSchema),
    logs: z.array(LogEntryRecordSchema),
    spans: z.array(SpanNodeSchema),
    warnings: z.array(TraceWarningSchema),
  })
  .meta({ id: 'ToolCallTrace' });
export const TriggerEventDetailSchema = z
  .object({
    event: TriggerEventRecordSchema,
    deliveries: z.array(DeliveryRecordSchema),
    logs: z.array(LogEntryRecordSchema),
  })
  .meta({ id: 'TriggerEventDetail' });
export const TraceDetailSchema = z
  .object({
    toolCalls: z.array(ToolCallRecordSchema),
    triggerEvents: z.array(TriggerEventRecordSchema),
    logs: z.array(LogEntryRecordSchema),
    spans: z.array(SpanNodeSchema),
    warnings: z.array(TraceWarningSchema),
  })
  .meta({ id: 'TraceDetail' });

const FacetValuesSchema = z.array(z.object({ value: z.string(), count: z.number().int().nonnegative() }));
export const ToolCallFacetsSchema = z
  .object({
    integrations: FacetValuesSchema,
    toolNames: FacetValuesSchema,
    userIds: FacetValuesSchema,
    statuses: FacetValuesSchema,
    types: FacetValuesSchema,
  })
  .meta({ id: 'ToolCallFacets' });
export const TriggerEventFacetsSchema = z
  .object({
    integrations: FacetValuesSchema,
    triggerNames: FacetValuesSchema,
    userIds: FacetValuesSchema,
    statuses: FacetValuesSchema,
    types: FacetValuesSchema,
  })
  .meta({ id: 'TriggerEventFacets' });

export const HistogramSchema = z
  .object({
    from: isoTime.meta({ description: 'start of the first bucket (the requested from, rounded down to bucketMs)' }),
    to: isoTime,
    bucketMs: z.number().int().positive(),
    buckets: z.array(
      z.object({
        start: isoTime,
        counts: z.record(z.string(), z.number().int().nonnegative()).meta({ description: 'rows per status' }),
      }),
    ),
  })
  .meta({ id: 'Histogram' });

export const ErrorGroupSchema = z
  .object({
    errorGroup: z.string(),
    integration: z.string().nullable(),
    toolName: z.string().nullable(),
    errorCategory: z.enum(ERROR_CATEGORIES).nullable(),
    errorCode: z.string().nullable(),
    httpStatus: z.number().int().nullable(),
    sampleMessage: z.string().nullable().meta({ description: 'the latest call of the group' }),
    count: z.number().int().nonnegative(),
    userCount: z.number().int().nonnegative(),
    firstSeen: isoTime,
    lastSeen: isoTime,
    sampleTraceId: z.string(),
    trend: z.array(z.number().int().nonnegative()).meta({ description: 'calls per equal slice of [from, to)' }),
  })
  .meta({ id: 'ErrorGroup' });
export const ErrorGroupsSchema = z
  .object({ from: isoTime, to: isoTime, items: z.array(ErrorGroupSchema) })
  .meta({ id: 'ErrorGroups' });

const RequestSummarySchema = z
  .object({
    spanId: z.string(),
    method: z.string().nullable(),
    host: z.string().nullable(),
    path: z.string().nullable(),
    status: z.number().int().nullable(),
    durationMs: z.number().nullable(),
  })
  .meta({ id: 'ProviderRequestSummary' });
export const ToolCallComparisonSchema = z
  .object({
    failing: ToolCallRecordSchema,
    baseline: ToolCallRecordSchema.nullable().meta({
      description:
        'the last successful call of the same tool and integration before it (same user when set); null when none',
    }),
    parameterDiff: z.array(
      z.object({
        path: z.string(),
        change: z.enum(['added', 'removed', 'changed']),
        before: z.unknown().optional(),
        after: z.unknown().optional(),
      }),
    ),
    requests: z.array(
      z.object({ failing: RequestSummarySchema.nullable(), baseline: RequestSummarySchema.nullable() }),
    ),
  })
  .meta({ id: 'ToolCallComparison' });

export const RetentionStatusSchema = z
  .object({
    projectId: z.string(),
    projectName: z.string(),
    plan: z.enum(PLANS),
    limits: z.object({ maxAgeDays: z.number().int().nullable(), maxLogs: z.number().int().nullable() }),
    logCount: z.number().int().nonnegative(),
    logsDropped: z.number().int().nonnegative(),
    oldestLogAt: isoTime.nullable(),
    ageRetention: z.enum(AGE_RETENTION_MECHANISMS).meta({
      description:
        "what removes records past the age limit: ILM's delete phase, data stream lifecycle, or tooltrace's own sweep",
    }),
  })
  .meta({ id: 'RetentionStatus' });

/** What a plan/limits change would delete now (the confirmation before it is applied). */
export const RetentionPreviewSchema = z
  .object({
    plan: z.enum(PLANS),
    limits: z.object({ maxAgeDays: z.number().int().nullable(), maxLogs: z.number().int().nullable() }),
    logCount: z.number().int().nonnegative().meta({ description: 'logs the project holds now' }),
    logsDeleted: z
      .number()
      .int()
      .nonnegative()
      .meta({ description: 'logs retention would delete at once under these limits (whole traces, exact)' }),
    tracesDeleted: z.number().int().nonnegative(),
  })
  .meta({ id: 'RetentionPreview' });

export type ApiError = z.infer<typeof ApiErrorSchema>;
export type ToolCallPage = z.infer<typeof ToolCallPageSchema>;
export type TriggerEventPage = z.infer<typeof TriggerEventPageSchema>;
export type ToolCallTrace = z.infer<typeof ToolCallTraceSchema>;
export type TriggerEventDetailResponse = z.infer<typeof TriggerEventDetailSchema>;
export type TraceDetailResponse = z.infer<typeof TraceDetailSchema>;
export type ToolCallFacetsResponse = z.infer<typeof ToolCallFacetsSchema>;
export type TriggerEventFacetsResponse = z.infer<typeof TriggerEventFacetsSchema>;
export type FacetValues = z.infer<typeof FacetValuesSchema>;
export type HistogramResponse = z.infer<typeof HistogramSchema>;
export type ErrorGroupResponse = z.infer<typeof ErrorGroupSchema>;
export type ErrorGroupsResponse = z.infer<typeof ErrorGroupsSchema>;
export type ToolCallComparisonResponse = z.infer<typeof ToolCallComparisonSchema>;
export type RetentionStatusResponse = z.infer<typeof RetentionStatusSchema>;
export type RetentionPreviewResponse = z.infer<typeof RetentionPreviewSchema>;
