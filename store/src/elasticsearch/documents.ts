/**
 * The backend's own document shapes and the converters between them and the
 * domain records (DESIGN §4). Logs and tool calls are immutable once mapped
 * from their span, so they live in append-only data streams; a trigger trace
 * changes as its spans arrive, so it is one mutable document per trace that
 * holds the merged facts, and its TriggerEvent and Delivery records are derived
 * from those facts by the same rules as every backend (conventions/status.ts).
 */
import { createHash } from 'node:crypto';
import {
  type DeliveryAttemptFact,
  type LogFact,
  type StoredLog,
  type StoredToolCall,
  type StoredTriggerEvent,
  type ToolCallFact,
  type TriggerEventStatus,
  toRequestId,
} from '@tooltrace/conventions';
import type { DerivedEventFields, TriggerTraceFacts } from '../trigger-fold.ts';

/** Document IDs: a hash of the natural key, so any ID length fits `_id`'s 512 bytes. */
export function documentId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url');
}

/** A stored date field as epoch ms: documents written before times were kept as numbers hold ISO text. */
export const epochMs = (value: number | string): number => (typeof value === 'number' ? value : Date.parse(value));

/**
 * A log's time is `@timestamp` (epoch ms) and `subMsNanos`. Documents written before that hold ISO text in
 * `@timestamp` and `timestamp`, and the nanoseconds as a decimal string (`timeUnixNano`); they read back alike.
 */
export type LogDocument = Omit<StoredLog, 'timeMs' | 'subMsNanos'> & {
  '@timestamp': number | string;
  subMsNanos?: number;
  timestamp?: string;
  timeUnixNano?: string;
};

export function logToDocument(projectId: string, fact: LogFact): LogDocument {
  const { timeMs, ...log } = fact;
  return { '@timestamp': timeMs, ...log, projectId };
}

export function logFromDocument(doc: LogDocument): StoredLog {
  const { '@timestamp': at, subMsNanos, timestamp: _iso, timeUnixNano, ...log } = doc;
  return { ...log, timeMs: epochMs(at), subMsNanos: subMsNanos ?? Number(timeUnixNano?.slice(-6) ?? 0) };
}

/** Times are epoch ms (documents written before that hold ISO text; both read back alike). */
export type ToolCallDocument = Omit<StoredToolCall, 'requestId' | 'startedAtMs'> & {
  '@timestamp': number | string;
  startedAt: number | string;
  requestId: string;
  /** Set (true) only on calls whose span names no user itself. */
  userInherited?: boolean;
};

export function toolCallToDocument(projectId: string, fact: ToolCallFact): ToolCallDocument {
  const { startedAtMs, userInherited, ...call } = fact;
  const requestId = call.requestId || toRequestId(call.traceId);
  const inherited = userInherited ? { userInherited: true } : {};
  return { '@timestamp': startedAtMs, ...call, startedAt: startedAtMs, requestId, projectId, ...inherited };
}

export function toolCallFromDocument(doc: ToolCallDocument): StoredToolCall {
  const { '@timestamp': _timestamp, startedAt, userInherited: _inherited, ...call } = doc;
  // Documents written before error groups existed have neither field.
  const errorCategory = call.errorCategory ?? null;
  return {
    ...call,
    errorCategory,
    errorGroup: call.errorGroup ?? null,
    // Likewise before tool call IDs were kept.
    toolCallId: call.toolCallId ?? null,
    startedAtMs: epochMs(startedAt),
  };
}

/**
 * A trigger trace's document: the trace's own facts (the shared fold's
 * TriggerTraceFacts) plus the derived, searchable fields. Delivery attempts
 * live in delivery documents (one per delivery ID, whatever traces its
 * attempts came from); `state.deliveryIds` names those with an attempt here.
 */
export interface TriggerState {
  rootSeen: boolean;
  rootUserId: string | null;
  processingFailed: boolean;
  deliveryIds: string[];
}

/** The trace's identity fields, as the fold keeps them. */
type TriggerIdentity = Pick<
  TriggerTraceFacts,
  'traceId' | 'eventId' | 'type' | 'triggerId' | 'triggerName' | 'integration' | 'subscriptionModel'
>;

export interface TriggerDocument extends TriggerIdentity {
  projectId: string;
  userIds: string[];
  /** Epoch ms (ISO text in documents written before). */
  receivedAt: number | string;
  status: TriggerEventStatus;
  /** Absent in documents written before delivery counts were kept: read as 0 until the event is re-derived. */
  deliveryCount?: number;
  failedDeliveryCount?: number;
  /** Oldest time seen in the trace (epoch ms): retention's age of the trace. */
  firstSeenAt: number;
  state: TriggerState;
}

/** Every attempt of one delivery (any trace), keyed by (trace, span). */
export interface DeliveryDocument {
  projectId: string;
  deliveryId: string;
  /** Traces holding an attempt: their events are re-derived when the delivery changes. */
  traceIds: string[];
  /** Epoch ms. */
  firstSeenAt: number;
  attempts: DeliveryAttemptFact[];
}

export function triggerFactsOf(doc: TriggerDocument): TriggerTraceFacts {
  return {
    traceId: doc.traceId,
    eventId: doc.eventId,
    type: doc.type,
    triggerId: doc.triggerId,
    triggerName: doc.triggerName,
    integration: doc.integration,
    subscriptionModel: doc.subscriptionModel,
    rootUserId: doc.state.rootUserId,
    receivedAtMs: epochMs(doc.receivedAt),
    rootSeen: doc.state.rootSeen,
    processingFailed: doc.state.processingFailed,
  };
}

/** The document of a trace's facts, with what its deliveries decide (deriveEvent). */
export function triggerDocumentOf(
  projectId: string,
  facts: TriggerTraceFacts,
  extra: { deliveryIds: string[]; firstSeenAt: number },
  derived: DerivedEventFields,
): TriggerDocument {
  return {
    projectId,
    traceId: facts.traceId,
    eventId: facts.eventId,
    type: facts.type,
    triggerId: derived.triggerId,
    triggerName: facts.triggerName,
    integration: facts.integration,
    subscriptionModel: facts.subscriptionModel,
    userIds: derived.userIds,
    receivedAt: facts.receivedAtMs,
    status: derived.status,
    deliveryCount: derived.deliveryCount,
    failedDeliveryCount: derived.failedDeliveryCount,
    firstSeenAt: extra.firstSeenAt,
    state: {
      rootSeen: facts.rootSeen,
      rootUserId: facts.rootUserId,
      processingFailed: facts.processingFailed,
      deliveryIds: [...extra.deliveryIds].sort(),
    },
  };
}

export function triggerEventFromDocument(doc: TriggerDocument): StoredTriggerEvent {
  return {
    eventId: doc.eventId,
    traceId: doc.traceId,
    projectId: doc.projectId,
    type: doc.type,
    triggerId: doc.triggerId,
    triggerName: doc.triggerName,
    integration: doc.integration,
    subscriptionModel: doc.subscriptionModel,
    userIds: doc.userIds,
    receivedAtMs: epochMs(doc.receivedAt),
    status: doc.status,
    deliveryCount: doc.deliveryCount ?? 0,
    failedDeliveryCount: doc.failedDeliveryCount ?? 0,
  };
}
