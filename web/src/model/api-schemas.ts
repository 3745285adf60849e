/**
 * Runtime validation of API responses with the domain schemas of `@tooltrace/conventions`, so a
 * contract drift shows up as a clear error naming the field instead of a blank screen.
 */
import {
  DeliverySchema,
  LOG_LEVELS,
  LogEntrySchema,
  PLANS,
  SPAN_KINDS,
  type SpanNode,
  ToolCallSchema,
  TriggerEventSchema,
} from '@tooltrace/conventions';
import { z } from 'zod';

export const SpanNodeSchema: z.ZodType<SpanNode> = z.lazy(() =>
  z.object({
    spanId: z.string(),
    parentSpanId: z.string().nullable(),
    name: z.string().nullable(),
    kind: z.enum(SPAN_KINDS).nullable(),
    level: z.enum(LOG_LEVELS),
    timestamp: z.string(),
    timeUnixNano: z.string(),
    durationMs: z.number(),
    message: z.string(),
    attributes: z.record(z.string(), z.unknown()),
    children: z.array(SpanNodeSchema),
  }),
);

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const ToolCallPageSchema = page(ToolCallSchema);
export const TriggerEventPageSchema = page(TriggerEventSchema);

export const ToolCallTraceSchema = z.object({
  toolCalls: z.array(ToolCallSchema),
  logs: z.array(LogEntrySchema),
  spans: z.array(SpanNodeSchema),
});

export const TraceSchema = z.object({
  toolCalls: z.array(ToolCallSchema),
  triggerEvents: z.array(TriggerEventSchema),
  logs: z.array(LogEntrySchema),
  spans: z.array(SpanNodeSchema),
});

export const TriggerEventDetailSchema = z.object({
  event: TriggerEventSchema,
  deliveries: z.array(DeliverySchema),
  logs: z.array(LogEntrySchema),
});

const facet = z.array(z.object({ value: z.string(), count: z.number() }));
export const ToolCallFacetsSchema = z.object({
  integrations: facet,
  toolNames: facet,
  userIds: facet,
  statuses: facet,
  types: facet,
});
export const TriggerEventFacetsSchema = z.object({
  integrations: facet,
  triggerNames: facet,
  userIds: facet,
  statuses: facet,
  types: facet,
});

export const HistogramSchema = z.object({
  from: z.string(),
  to: z.string(),
  bucketMs: z.number().positive(),
  buckets: z.array(z.object({ start: z.string(), counts: z.record(z.string(), z.number()) })),
});

export const RetentionSchema = z.object({
  projectId: z.string(),
  projectName: z.string(),
  plan: z.enum(PLANS),
  limits: z.object({ maxAgeDays: z.number().nullable(), maxLogs: z.number().nullable() }),
  logCount: z.number(),
  logsDropped: z.number(),
  oldestLogAt: z.string().nullable(),
});

export const ApiErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export type ToolCallPage = z.infer<typeof ToolCallPageSchema>;
export type TriggerEventPage = z.infer<typeof TriggerEventPageSchema>;
export type TraceResponse = z.infer<typeof TraceSchema>;
export type TriggerEventDetail = z.infer<typeof TriggerEventDetailSchema>;
export type ToolCallFacets = z.infer<typeof ToolCallFacetsSchema>;
export type TriggerEventFacets = z.infer<typeof TriggerEventFacetsSchema>;
export type Facet = z.infer<typeof facet>;
export type Histogram = z.infer<typeof HistogramSchema>;
export type Retention = z.infer<typeof RetentionSchema>;

export class UnexpectedResponseError extends Error {
  override readonly name = 'UnexpectedResponseError';
}

/** Parses a response body or throws an error naming the endpoint and the first fields that did not match. */
export function parseResponse<T>(schema: z.ZodType<T>, body: unknown, endpoint: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  throw new UnexpectedResponseError(`unexpected response from ${endpoint}: ${problems}`);
}
