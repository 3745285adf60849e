/**
 * What arrived for a project and what became of it (issue: "ingest you can
 * watch"): items accepted, rejected and throttled, by reason and by sender
 * (`service.name`), over the last 24 hours and 7 days, and the last rejection
 * of each kind with its message. The collector adds deltas; the store keeps
 * hourly buckets; the API and UI read the summary.
 */
import { z } from 'zod';

/** Why items were not stored. Item-level kinds come from partial_success reasons; the rest are whole requests. */
export const REJECTION_KINDS = [
  'log_without_trace',
  'invalid_trace_id',
  'invalid_span_id',
  'invalid_parent_span_id',
  'time_in_future',
  'older_than_age_limit',
  'invalid_request',
  'too_large',
  'unsupported_media_type',
  'overloaded',
  'store_unavailable',
  'other',
] as const;
export type RejectionKind = (typeof REJECTION_KINDS)[number];

/** Kinds counted as throttled (the sender is told to retry) rather than rejected. */
export const THROTTLE_KINDS: readonly RejectionKind[] = ['overloaded', 'store_unavailable'];

/** The kind of one partial_success reason (`resourceSpans[0]…traceId: missing; …`). */
export function rejectionKind(reason: string): RejectionKind {
  if (/\.traceId: missing/.test(reason)) return 'log_without_trace';
  if (/\.traceId: /.test(reason)) return 'invalid_trace_id';
  if (/\.parentSpanId: /.test(reason)) return 'invalid_parent_span_id';
  if (/\.spanId: /.test(reason)) return 'invalid_span_id';
  if (/in the future/.test(reason)) return 'time_in_future';
  if (/older than the project's age limit/.test(reason)) return 'older_than_age_limit';
  return 'other';
}

export interface IngestCounts {
  accepted: number;
  rejected: number;
  throttled: number;
}

/**
 * A trace that arrived and was stored with none of its spans a tool call or
 * trigger event: what the Tools and Triggers empty states link to, so "none is
 * a tool call" can be checked on a real trace. `atMs` is when it arrived.
 */
export interface TraceSample {
  traceId: string;
  /** The root span's name, or null when the root was not in the request that brought it. */
  name: string | null;
  atMs: number;
}

/** Sample traces kept per sender: enough to show what a sender sends, small enough to keep per project. */
export const MAX_SAMPLES_PER_SENDER = 3;

/**
 * The newest samples of both lists, newest first, one per trace (the newer
 * one wins), at most MAX_SAMPLES_PER_SENDER. `incoming` wins ties: it arrived
 * after `kept`. The collector and every store keep samples with this.
 */
export function keepNewestSamples(kept: readonly TraceSample[], incoming: readonly TraceSample[]): TraceSample[] {
  const byTrace = new Map<string, TraceSample>();
  for (const sample of [...incoming, ...kept]) {
    const seen = byTrace.get(sample.traceId);
    if (!seen || seen.atMs < sample.atMs) byTrace.set(sample.traceId, sample);
  }
  // A stable sort: among equal times, incoming first and each list's own order.
  return [...byTrace.values()].sort((a, b) => b.atMs - a.atMs).slice(0, MAX_SAMPLES_PER_SENDER);
}

/** What some requests of one project added, at one time. */
export interface IngestDelta {
  atMs: number;
  bySender: Record<string, IngestCounts>;
  byReason: Partial<Record<RejectionKind, { count: number; lastMessage: string }>>;
  /** Sample traces by sender (see TraceSample); absent when none arrived. */
  samples?: Record<string, TraceSample[]>;
}

const CountsSchema = z.object({
  accepted: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  throttled: z.number().int().nonnegative(),
});

const TraceSampleSchema = z.object({
  traceId: z.string(),
  name: z.string().nullable().meta({ description: "the root span's name, null when it was not seen" }),
  at: z.string().meta({ description: 'when the trace arrived (ISO 8601)' }),
});

const WindowSchema = z.object({
  totals: CountsSchema,
  byReason: z.array(z.object({ reason: z.enum(REJECTION_KINDS), count: z.number().int().nonnegative() })),
  bySender: z.array(
    CountsSchema.extend({
      serviceName: z.string(),
      sampleTraces: z.array(TraceSampleSchema).meta({
        description: `up to ${MAX_SAMPLES_PER_SENDER} traces that arrived from this sender in the window with none of its spans a tool call or trigger event, newest first`,
      }),
    }),
  ),
});

export const ProjectIngestSchema = z.object({
  last24h: WindowSchema,
  last7d: WindowSchema,
  lastRejections: z.array(z.object({ reason: z.enum(REJECTION_KINDS), message: z.string(), at: z.string() })),
});
export type ProjectIngest = z.infer<typeof ProjectIngestSchema>;
export type IngestWindow = z.infer<typeof WindowSchema>;
export type IngestSenderRow = IngestWindow['bySender'][number];
