/**
 * What the collector hands the store: the facts one OTLP request yields, all
 * for one project (which comes from the ingest key, never from an attribute).
 *
 * Times are epoch milliseconds (logs: plus the nanoseconds past it, for
 * ordering): ISO strings are for the API's answers, so nothing converts a time
 * back and forth.
 *
 * Facts are keyed by trace/span IDs so every write is an upsert: re-sending a
 * batch changes nothing, and spans of one trace may arrive in any order. The
 * store derives TriggerEvent and Delivery records (and their statuses, §4)
 * from the facts it has accumulated.
 */
import type { SubscriptionModel } from './attributes.ts';
import type { StoredLog, StoredToolCall, TriggerEventType } from './records.ts';

/**
 * A tool call as mapped from its span (`startedAtMs`: the span's start); the store adds `projectId`.
 * `userInherited`: the span names no user itself (`userId` is an ancestor's in this request, the
 * resource's, or none): the store gives the call its nearest ancestor's user when that ancestor is
 * stored, in any request (DESIGN §3's order). Absent = false: the user is the span's own.
 */
export type ToolCallFact = Omit<StoredToolCall, 'projectId'> & { userInherited?: boolean };

/** A log entry as mapped from a span, span event or log record (`timeMs` + `subMsNanos`). */
export type LogFact = Omit<StoredLog, 'projectId'>;

/**
 * Something one span of a trigger trace says about the trigger event or
 * subscription of that trace. Several facts of one trace merge: root fields
 * fill in when the root arrives, failure flags are sticky.
 */
export interface TriggerFact {
  traceId: string;
  spanId: string;
  type: TriggerEventType;
  /** Present when the span is the `trigger_event`/`trigger_subscription` root. */
  root: {
    eventId: string;
    triggerId: string | null;
    triggerName: string | null;
    integration: string | null;
    subscriptionModel: SubscriptionModel | null;
    userId: string | null;
    /** Epoch ms. */
    receivedAtMs: number;
    /** The root span itself ended with status ERROR. */
    failed: boolean;
  } | null;
  /** This span reports a processing failure (an `internal` child in ERROR, a final failed webhook creation). */
  processingFailed: boolean;
  /** Time of the span (epoch ms), used as `receivedAt` until the root arrives. */
  observedAtMs: number;
}

/** One attempt to deliver a trigger event to the customer's webhook. */
export interface DeliveryAttemptFact {
  traceId: string;
  spanId: string;
  deliveryId: string;
  eventId: string | null;
  triggerId: string | null;
  attempt: number;
  final: boolean;
  userId: string | null;
  webhookUrl: string | null;
  httpStatus: number | null;
  /** The attempt got a 2xx answer (and the span is not in ERROR). */
  succeeded: boolean;
  /** Epoch ms. */
  startedAtMs: number;
  durationMs: number;
}

export interface IngestBatch {
  toolCalls: ToolCallFact[];
  triggers: TriggerFact[];
  deliveryAttempts: DeliveryAttemptFact[];
  logs: LogFact[];
}

export function emptyBatch(): IngestBatch {
  return { toolCalls: [], triggers: [], deliveryAttempts: [], logs: [] };
}

/**
 * Several batches of one project as one. Writing the merge stores exactly
 * what writing them one after another would (the store's merges are
 * commutative, §4), in one transaction or bulk request instead of several.
 */
export function mergeBatches(batches: readonly IngestBatch[]): IngestBatch {
  if (batches.length === 1) return batches[0]!;
  return {
    toolCalls: batches.flatMap((b) => b.toolCalls),
    triggers: batches.flatMap((b) => b.triggers),
    deliveryAttempts: batches.flatMap((b) => b.deliveryAttempts),
    logs: batches.flatMap((b) => b.logs),
  };
}

export function batchSize(batch: IngestBatch): number {
  return batch.toolCalls.length + batch.triggers.length + batch.deliveryAttempts.length + batch.logs.length;
}
