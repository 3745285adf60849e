/**
 * Runtime validation of API responses with the shared schemas of `@tooltrace/conventions`
 * (the same ones the query API answers with), so a contract drift shows up as a clear error
 * naming the field instead of a blank screen.
 */
import type {
  FacetValues,
  HistogramResponse,
  RetentionStatusResponse,
  ToolCallFacetsResponse,
  ToolCallPage as ToolCallPageResponse,
  TriggerEventDetailResponse,
  TriggerEventFacetsResponse,
  TriggerEventPage as TriggerEventPageResponse,
} from '@tooltrace/conventions';
import type { z } from 'zod';

export {
  ApiErrorSchema as ApiErrorBodySchema,
  HistogramSchema,
  RetentionStatusSchema as RetentionSchema,
  SpanNodeSchema,
  ToolCallFacetsSchema,
  ToolCallPageSchema,
  ToolCallTraceSchema,
  TraceDetailSchema as TraceSchema,
  TriggerEventDetailSchema,
  TriggerEventFacetsSchema,
  TriggerEventPageSchema,
} from '@tooltrace/conventions';

export type ToolCallPage = ToolCallPageResponse;
export type TriggerEventPage = TriggerEventPageResponse;
export type TriggerEventDetail = TriggerEventDetailResponse;
export type ToolCallFacets = ToolCallFacetsResponse;
export type TriggerEventFacets = TriggerEventFacetsResponse;
export type Facet = FacetValues;
export type Histogram = HistogramResponse;
export type Retention = RetentionStatusResponse;

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
