/**
 * The trigger/delivery fold of DESIGN §4, once, for every backend: a backend
 * keeps the raw facts (each trigger trace's root fields and flags, every
 * delivery attempt by span) and calls these pure functions with its rows to
 * derive the TriggerEvent and Delivery records. Every merge is commutative
 * (root fields win, flags are sticky, times take the minimum, attempts are
 * keyed by span), so arrival order and re-sends do not change the result.
 *
 * A delivery is one per (project, `tooltrace.delivery.id`), whichever traces
 * its attempts came from: a delivery retried from a later trace (a manual
 * redelivery started in a new trace) is one Delivery with every attempt. Its
 * `traceId` is the trace of its first attempt; it counts towards the status
 * of every trigger event whose trace holds one of its attempts.
 */
import {
  type DeliveryAttemptFact,
  deliveryStatus,
  type StoredDelivery,
  type SubscriptionModel,
  type TriggerEventStatus,
  type TriggerEventType,
  type TriggerFact,
  triggerEventStatus,
} from '@tooltrace/conventions';

/** What a trigger trace remembers of its own spans (delivery attempts are kept per delivery). */
export interface TriggerTraceFacts {
  traceId: string;
  eventId: string | null;
  type: TriggerEventType;
  triggerId: string | null;
  triggerName: string | null;
  integration: string | null;
  subscriptionModel: SubscriptionModel | null;
  rootUserId: string | null;
  /** The root's time once it arrived; until then the earliest span of the trace. */
  receivedAtMs: number;
  rootSeen: boolean;
  processingFailed: boolean;
}

function emptyFacts(traceId: string, atMs: number): TriggerTraceFacts {
  return {
    traceId,
    eventId: null,
    type: 'event',
    triggerId: null,
    triggerName: null,
    integration: null,
    subscriptionModel: null,
    rootUserId: null,
    receivedAtMs: atMs,
    rootSeen: false,
    processingFailed: false,
  };
}

/** Folds one trigger span (root or child) into its trace's facts. */
export function mergeTriggerFact(stored: TriggerTraceFacts | null, fact: TriggerFact): TriggerTraceFacts {
  const observedAt = fact.observedAtMs;
  const next = stored ? { ...stored } : emptyFacts(fact.traceId, observedAt);
  if (fact.root) {
    const root = fact.root;
    next.eventId = root.eventId;
    next.type = fact.type;
    next.triggerId = root.triggerId ?? next.triggerId;
    next.triggerName = root.triggerName;
    next.integration = root.integration;
    next.subscriptionModel = root.subscriptionModel;
    next.rootUserId = root.userId;
    next.receivedAtMs = root.receivedAtMs;
    next.rootSeen = true;
    if (root.failed) next.processingFailed = true;
  } else if (!next.rootSeen) {
    next.type = fact.type;
    next.receivedAtMs = Math.min(next.receivedAtMs, observedAt);
  }
  if (fact.processingFailed) next.processingFailed = true;
  return next;
}

/** A delivery attempt may arrive before any other span of its trace: the trace is an event (queued) from then on. */
export function noteAttempt(stored: TriggerTraceFacts | null, attempt: DeliveryAttemptFact): TriggerTraceFacts {
  const at = attempt.startedAtMs;
  if (!stored) return { ...emptyFacts(attempt.traceId, at), triggerId: attempt.triggerId };
  if (stored.rootSeen || at >= stored.receivedAtMs) return stored;
  return { ...stored, receivedAtMs: at };
}

/** Attempts of one delivery, latest first: highest attempt number, then latest start, then span ID. */
function latestFirst(a: DeliveryAttemptFact, b: DeliveryAttemptFact): number {
  return (
    b.attempt - a.attempt ||
    b.startedAtMs - a.startedAtMs ||
    (a.spanId < b.spanId ? 1 : a.spanId > b.spanId ? -1 : 0) ||
    (a.traceId < b.traceId ? 1 : a.traceId > b.traceId ? -1 : 0)
  );
}

/** The attempt that opened a delivery: lowest number, then earliest, then trace and span ID. */
export function firstAttemptOf(attempts: readonly DeliveryAttemptFact[]): DeliveryAttemptFact {
  const opening = (a: DeliveryAttemptFact, b: DeliveryAttemptFact) =>
    a.attempt - b.attempt ||
    a.startedAtMs - b.startedAtMs ||
    (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0) ||
    (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);
  const first = attempts.reduce<DeliveryAttemptFact | undefined>(
    (best, a) => (best === undefined || opening(a, best) < 0 ? a : best),
    undefined,
  );
  if (!first) throw new RangeError('a delivery needs at least one attempt');
  return first;
}

/** The event a delivery falls back on for the IDs its attempts do not carry. */
export interface DeliveryOwner {
  eventId: string | null;
  triggerId: string | null;
}

/**
 * A delivery from all its attempts (any traces): the latest attempt gives the
 * HTTP status and duration; IDs and URL come from the newest attempt that
 * carries them, else from the event of its first attempt's trace.
 */
export function foldDelivery(
  attempts: readonly DeliveryAttemptFact[],
  ownerOf: (traceId: string) => DeliveryOwner | null,
): StoredDelivery {
  const sorted = [...attempts].sort(latestFirst);
  const last = sorted[0];
  if (!last) throw new RangeError('foldDelivery needs at least one attempt');
  const first = firstAttemptOf(sorted);
  const owner = ownerOf(first.traceId);
  const newest = <K extends 'eventId' | 'triggerId' | 'userId' | 'webhookUrl'>(key: K) =>
    sorted.find((a) => a[key] !== null)?.[key] ?? null;
  return {
    deliveryId: last.deliveryId,
    eventId: newest('eventId') ?? owner?.eventId ?? null,
    traceId: first.traceId,
    triggerId: newest('triggerId') ?? owner?.triggerId ?? null,
    userId: newest('userId'),
    webhookUrl: newest('webhookUrl'),
    status: deliveryStatus(sorted),
    attempts: sorted.length,
    createdAtMs: Math.min(...sorted.map((a) => a.startedAtMs)),
    lastAttemptAtMs: last.startedAtMs,
    durationMs: last.durationMs,
    lastHttpStatus: last.httpStatus,
  };
}

/** Every delivery of these attempts, grouped by delivery ID, oldest first (creation time, then ID). */
export function foldDeliveries(
  attempts: readonly DeliveryAttemptFact[],
  ownerOf: (traceId: string) => DeliveryOwner | null,
): StoredDelivery[] {
  const byId = new Map<string, DeliveryAttemptFact[]>();
  for (const attempt of attempts) {
    const list = byId.get(attempt.deliveryId) ?? [];
    list.push(attempt);
    byId.set(attempt.deliveryId, list);
  }
  return [...byId.values()].map((list) => foldDelivery(list, ownerOf)).sort(byCreation);
}

export function byCreation(a: StoredDelivery, b: StoredDelivery): number {
  return a.createdAtMs - b.createdAtMs || (a.deliveryId < b.deliveryId ? -1 : a.deliveryId > b.deliveryId ? 1 : 0);
}

/** Attempts keyed by (trace, span): a re-sent span replaces itself. */
export function upsertAttempts(
  stored: readonly DeliveryAttemptFact[],
  incoming: readonly DeliveryAttemptFact[],
): DeliveryAttemptFact[] {
  const key = (a: DeliveryAttemptFact) => `${a.traceId}\u0000${a.spanId}`;
  const byKey = new Map(stored.map((a) => [key(a), a]));
  for (const attempt of incoming) byKey.set(key(attempt), attempt);
  return [...byKey.values()];
}

export interface DerivedEventFields {
  status: TriggerEventStatus;
  /** Root user first, then the deliveries' users, each once. */
  userIds: string[];
  /** The root's trigger ID, else the first delivery's that names one. */
  triggerId: string | null;
  deliveryCount: number;
  failedDeliveryCount: number;
}

/** What an event shows that depends on its deliveries (those with an attempt in its trace). */
export function deriveEvent(facts: TriggerTraceFacts, deliveries: readonly StoredDelivery[]): DerivedEventFields {
  const userIds = [...new Set([facts.rootUserId, ...deliveries.map((d) => d.userId)])].filter(
    (u): u is string => u !== null,
  );
  return {
    userIds,
    triggerId: facts.triggerId ?? deliveries.find((d) => d.triggerId !== null)?.triggerId ?? null,
    deliveryCount: deliveries.length,
    failedDeliveryCount: deliveries.filter((d) => d.status === 'failed').length,
    status: triggerEventStatus({
      type: facts.type,
      processingFailed: facts.processingFailed,
      rootSeen: facts.rootSeen,
      deliveries: deliveries.map((d) => d.status),
    }),
  };
}
