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
  type Delivery,
  type DeliveryAttemptFact,
  deliveryStatus,
  type LogEntry,
  type LogFact,
  type SubscriptionModel,
  type ToolCall,
  type ToolCallFact,
  type TriggerEvent,
  type TriggerEventStatus,
  type TriggerEventType,
  type TriggerFact,
  toRequestId,
  triggerEventStatus,
} from '@tooltrace/conventions';

/** Document IDs: a hash of the natural key, so any ID length fits `_id`'s 512 bytes. */
export function documentId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url');
}

export type LogDocument = LogEntry & { '@timestamp': string };

export function logToDocument(projectId: string, fact: LogFact): LogDocument {
  return { '@timestamp': fact.timestamp, ...fact, projectId };
}

export function logFromDocument(doc: LogDocument): LogEntry {
  const { '@timestamp': _timestamp, ...log } = doc;
  return log;
}

export type ToolCallDocument = Omit<ToolCall, 'requestId'> & { '@timestamp': string; requestId: string };

export function toolCallToDocument(projectId: string, fact: ToolCallFact): ToolCallDocument {
  return { '@timestamp': fact.startedAt, ...fact, requestId: fact.requestId || toRequestId(fact.traceId), projectId };
}

export function toolCallFromDocument(doc: ToolCallDocument): ToolCall {
  const { '@timestamp': _timestamp, ...call } = doc;
  // Documents written before error groups existed have neither field.
  const errorCategory = call.errorCategory ?? null;
  return {
    ...call,
    errorCategory,
    errorGroup: call.errorGroup ?? null,
    startedAt: new Date(call.startedAt).toISOString(),
  };
}

/** What a trigger trace's document remembers so its records can be re-derived on every late span. */
export interface TriggerState {
  rootSeen: boolean;
  rootUserId: string | null;
  processingFailed: boolean;
  /** One per delivery span, keyed by spanId (a re-sent span replaces itself). */
  attempts: DeliveryAttemptFact[];
}

export interface TriggerDocument {
  projectId: string;
  traceId: string;
  eventId: string | null;
  type: TriggerEventType;
  triggerId: string | null;
  triggerName: string | null;
  integration: string | null;
  subscriptionModel: SubscriptionModel | null;
  userIds: string[];
  receivedAt: string;
  status: TriggerEventStatus;
  firstSeenAt: string;
  state: TriggerState;
}

function emptyTriggerDocument(projectId: string, traceId: string, at: string): TriggerDocument {
  return {
    projectId,
    traceId,
    eventId: null,
    type: 'event',
    triggerId: null,
    triggerName: null,
    integration: null,
    subscriptionModel: null,
    userIds: [],
    receivedAt: at,
    status: 'queued',
    firstSeenAt: at,
    state: { rootSeen: false, rootUserId: null, processingFailed: false, attempts: [] },
  };
}

const earlier = (a: string, b: string) => (Date.parse(a) <= Date.parse(b) ? a : b);

/**
 * Folds facts of one trace into its document. Commutative like the SQLite
 * backend's merge: root fields win, failure flags are sticky, times take the
 * minimum, attempts upsert by span; so arrival order and re-sends do not matter.
 */
export function mergeTriggerDocument(
  existing: TriggerDocument | null,
  projectId: string,
  traceId: string,
  triggers: readonly TriggerFact[],
  attempts: readonly DeliveryAttemptFact[],
): TriggerDocument {
  const firstTime = triggers[0]?.root?.receivedAt ?? triggers[0]?.observedAt ?? attempts[0]?.startedAt;
  if (!existing && firstTime === undefined) throw new Error(`no facts for trigger trace ${traceId}`);
  const doc: TriggerDocument =
    structuredClone(existing) ?? emptyTriggerDocument(projectId, traceId, firstTime as string);
  for (const fact of triggers) {
    doc.firstSeenAt = earlier(doc.firstSeenAt, fact.observedAt);
    if (fact.root) {
      const root = fact.root;
      doc.eventId = root.eventId;
      doc.type = fact.type;
      doc.triggerId = root.triggerId ?? doc.triggerId;
      doc.triggerName = root.triggerName;
      doc.integration = root.integration;
      doc.subscriptionModel = root.subscriptionModel;
      doc.state.rootUserId = root.userId;
      doc.receivedAt = root.receivedAt;
      doc.firstSeenAt = earlier(doc.firstSeenAt, root.receivedAt);
      doc.state.rootSeen = true;
      if (root.failed) doc.state.processingFailed = true;
    } else if (!doc.state.rootSeen) {
      doc.type = fact.type;
      doc.receivedAt = earlier(doc.receivedAt, fact.observedAt);
    }
    if (fact.processingFailed) doc.state.processingFailed = true;
  }
  for (const attempt of attempts) {
    doc.state.attempts = [...doc.state.attempts.filter((a) => a.spanId !== attempt.spanId), attempt];
    doc.firstSeenAt = earlier(doc.firstSeenAt, attempt.startedAt);
    if (!doc.state.rootSeen) doc.receivedAt = earlier(doc.receivedAt, attempt.startedAt);
  }
  return deriveTriggerFields(doc);
}

/** Recomputes what depends on all facts: deliveries' users, the trigger ID fallback, the status. */
function deriveTriggerFields(doc: TriggerDocument): TriggerDocument {
  const deliveries = deliveriesOf(doc);
  doc.userIds = [...new Set([doc.state.rootUserId, ...deliveries.map((d) => d.userId)])].filter(
    (u): u is string => u !== null,
  );
  doc.triggerId = doc.triggerId ?? deliveries.find((d) => d.triggerId !== null)?.triggerId ?? null;
  doc.status = triggerEventStatus({
    type: doc.type,
    processingFailed: doc.state.processingFailed,
    rootSeen: doc.state.rootSeen,
    deliveries: deliveries.map((d) => d.status),
  });
  return doc;
}

/**
 * A delivery aggregates its attempts: the latest attempt (highest number) gives
 * the HTTP status and duration; IDs and URL come from the newest attempt that
 * carries them, else from the event. Ordered by creation time, then ID.
 */
export function deliveriesOf(doc: TriggerDocument): Delivery[] {
  const byId = new Map<string, DeliveryAttemptFact[]>();
  for (const attempt of doc.state.attempts) {
    const list = byId.get(attempt.deliveryId) ?? [];
    list.push(attempt);
    byId.set(attempt.deliveryId, list);
  }
  const deliveries: Delivery[] = [];
  for (const [deliveryId, attempts] of byId) {
    attempts.sort(
      (a, b) =>
        b.attempt - a.attempt ||
        Date.parse(b.startedAt) - Date.parse(a.startedAt) ||
        (a.spanId < b.spanId ? 1 : a.spanId > b.spanId ? -1 : 0),
    );
    const last = attempts[0] as DeliveryAttemptFact;
    const newest = <K extends 'eventId' | 'triggerId' | 'userId' | 'webhookUrl'>(key: K) =>
      attempts.find((a) => a[key] !== null)?.[key] ?? null;
    const createdAt = attempts.reduce((min, a) => earlier(min, a.startedAt), last.startedAt);
    deliveries.push({
      deliveryId,
      eventId: newest('eventId') ?? doc.eventId,
      traceId: doc.traceId,
      triggerId: newest('triggerId') ?? doc.triggerId,
      userId: newest('userId'),
      webhookUrl: newest('webhookUrl'),
      status: deliveryStatus(attempts),
      attempts: attempts.length,
      createdAt: new Date(createdAt).toISOString(),
      lastAttemptAt: new Date(last.startedAt).toISOString(),
      durationMs: last.durationMs,
      lastHttpStatus: last.httpStatus,
    });
  }
  return deliveries.sort(
    (a, b) =>
      Date.parse(a.createdAt) - Date.parse(b.createdAt) ||
      (a.deliveryId < b.deliveryId ? -1 : a.deliveryId > b.deliveryId ? 1 : 0),
  );
}

export function triggerEventFromDocument(doc: TriggerDocument): TriggerEvent {
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
    receivedAt: new Date(doc.receivedAt).toISOString(),
    status: doc.status,
  };
}
