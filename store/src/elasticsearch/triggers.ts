/**
 * Trigger traces and deliveries on Elasticsearch, folded by the shared pure
 * module (`../trigger-fold.ts`) exactly as the SQLite backend folds its rows.
 *
 * A write first upserts each touched delivery's document (every attempt, from
 * any trace), then re-derives every trace holding an attempt of it. Each
 * document is read realtime (`mget`) and written back with
 * `if_seq_no`/`if_primary_term`; a 409 re-reads and re-merges. A trace is
 * re-derived after its deliveries were written and is read before them, so
 * whichever writer stores a trace last has seen every delivery write that
 * preceded it, and no concurrent writer's attempt is lost.
 */
import type { DeliveryAttemptFact, IngestBatch, StoredDelivery, TriggerFact } from '@tooltrace/conventions';
import type { TriggerEventFilters } from '../store.ts';
import {
  byCreation,
  type DeliveryOwner,
  deriveEvent,
  firstAttemptOf,
  foldDelivery,
  mergeTriggerFact,
  noteAttempt,
  type TriggerTraceFacts,
  upsertAttempts,
} from '../trigger-fold.ts';
import {
  type BulkAction,
  deliveryAction,
  deliveryDocumentId,
  type ReadVersion,
  triggerAction,
  triggerDocumentId,
} from './bulk.ts';
import { type Cluster, MAX_MERGE_ROUNDS, raceBackoff, sendBulk } from './cluster.ts';
import {
  type DeliveryDocument,
  epochMs,
  type TriggerDocument,
  triggerDocumentOf,
  triggerFactsOf,
} from './documents.ts';
import type { ResolvedTriggerEventFilters } from './queries.ts';

type Versioned<D> = Map<string, { doc: D; version: ReadVersion }>;

interface TraceFacts {
  triggers: TriggerFact[];
  attempts: DeliveryAttemptFact[];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item)) ?? [];
    list.push(item);
    groups.set(key(item), list);
  }
  return groups;
}

/** The trigger half of a write: deliveries first, then every trace they (or the batch) touch. */
export async function mergeTriggerTraces(cluster: Cluster, projectId: string, batch: IngestBatch): Promise<void> {
  const byTrace = new Map<string, TraceFacts>();
  for (const [traceId, triggers] of groupBy(batch.triggers, (f) => f.traceId)) {
    byTrace.set(traceId, { triggers, attempts: [] });
  }
  for (const [traceId, attempts] of groupBy(batch.deliveryAttempts, (f) => f.traceId)) {
    byTrace.set(traceId, { triggers: byTrace.get(traceId)?.triggers ?? [], attempts });
  }
  const deliveries = await upsertDeliveries(cluster, projectId, batch.deliveryAttempts);
  const affected = new Set(byTrace.keys());
  for (const doc of deliveries) for (const traceId of doc.traceIds) affected.add(traceId);
  await rederiveTraces(cluster, projectId, [...affected], byTrace);
}

async function upsertDeliveries(
  cluster: Cluster,
  projectId: string,
  attempts: readonly DeliveryAttemptFact[],
): Promise<DeliveryDocument[]> {
  const byDelivery = groupBy(attempts, (a) => a.deliveryId);
  const done: DeliveryDocument[] = [];
  let pending = [...byDelivery.keys()];
  for (let round = 0; pending.length > 0; round++) {
    if (round >= MAX_MERGE_ROUNDS) throw new Error(`deliveries kept changing under concurrent writers: ${pending}`);
    if (round > 0) await raceBackoff(round);
    const stored = await readDeliveryDocuments(cluster, projectId, pending);
    const actions = pending.map((deliveryId) => {
      const existing = stored.get(deliveryId);
      const incoming = byDelivery.get(deliveryId) ?? [];
      const merged = upsertAttempts(existing?.doc.attempts ?? [], incoming);
      const doc: DeliveryDocument = {
        projectId,
        deliveryId,
        traceIds: [...new Set(merged.map((a) => a.traceId))].sort(),
        firstSeenAt: Math.min(...merged.map((a) => a.startedAtMs)),
        attempts: merged,
      };
      return deliveryAction(cluster.names, doc, existing?.version ?? null);
    });
    const lost = await writeVersioned(cluster, actions);
    for (const action of actions) if (!lost.has(action)) done.push(action.document as DeliveryDocument);
    pending = [...lost].map((a) => (a.document as DeliveryDocument).deliveryId);
  }
  return done;
}

/** Writes conditional actions; returns those another writer beat (409 on `index`, or `create` of an existing ID). */
async function writeVersioned(cluster: Cluster, actions: BulkAction[]): Promise<Set<BulkAction>> {
  if (actions.length === 0) return new Set();
  const result = await sendBulk(cluster, actions);
  return new Set([...result.conflicts, ...result.duplicates]);
}

async function rederiveTraces(
  cluster: Cluster,
  projectId: string,
  traceIds: string[],
  byTrace: ReadonlyMap<string, TraceFacts>,
): Promise<void> {
  let pending = traceIds;
  for (let round = 0; pending.length > 0; round++) {
    if (round >= MAX_MERGE_ROUNDS) {
      throw new Error(`trigger traces kept changing under concurrent writers: ${pending.join(', ')}`);
    }
    if (round > 0) await raceBackoff(round);
    const stored = await readTriggerDocuments(cluster, projectId, pending);
    const merged = new Map<string, TriggerDocument>();
    for (const traceId of pending) {
      const doc = applyTraceFacts(projectId, stored.get(traceId)?.doc ?? null, byTrace.get(traceId));
      // A trace named by a delivery whose own document another writer is still creating: that writer derives it.
      if (doc) merged.set(traceId, doc);
    }
    const deliveries = await deliveriesOfTraces(cluster, projectId, merged);
    const actions = [...merged.values()].map((doc) => {
      const derived = deriveEvent(triggerFactsOf(doc), deliveries.get(doc.traceId) ?? []);
      const extra = { deliveryIds: doc.state.deliveryIds, firstSeenAt: epochMs(doc.firstSeenAt) };
      const next = triggerDocumentOf(projectId, triggerFactsOf(doc), extra, derived);
      return triggerAction(cluster.names, next, stored.get(doc.traceId)?.version ?? null);
    });
    const lost = await writeVersioned(cluster, actions);
    pending = [...lost].map((a) => (a.document as TriggerDocument).traceId);
  }
}

/** The trace's stored document with a batch's facts of it folded in (null: nothing to store); derived fields kept. */
export function applyTraceFacts(
  projectId: string,
  stored: TriggerDocument | null,
  facts: TraceFacts | undefined,
): TriggerDocument | null {
  if (!stored && !facts) return null;
  let merged: TriggerTraceFacts | null = stored ? triggerFactsOf(stored) : null;
  const deliveryIds = new Set(stored?.state.deliveryIds ?? []);
  let firstSeenAt = stored ? epochMs(stored.firstSeenAt) : undefined;
  const seen = (at: number) => {
    firstSeenAt = firstSeenAt === undefined ? at : Math.min(firstSeenAt, at);
  };
  for (const fact of facts?.triggers ?? []) {
    merged = mergeTriggerFact(merged, fact);
    seen(fact.observedAtMs);
    if (fact.root) seen(fact.root.receivedAtMs);
  }
  for (const attempt of facts?.attempts ?? []) {
    merged = noteAttempt(merged, attempt);
    deliveryIds.add(attempt.deliveryId);
    seen(attempt.startedAtMs);
  }
  if (!merged || firstSeenAt === undefined) return null;
  const kept = stored ?? { userIds: [], status: 'queued' as const };
  return triggerDocumentOf(
    projectId,
    merged,
    { deliveryIds: [...deliveryIds], firstSeenAt },
    {
      userIds: kept.userIds,
      status: kept.status,
      triggerId: merged.triggerId,
      deliveryCount: stored?.deliveryCount ?? 0,
      failedDeliveryCount: stored?.failedDeliveryCount ?? 0,
    },
  );
}

/**
 * The deliveries of each trace (those with an attempt in it), each folded from
 * all its attempts; a delivery falls back on the event of its first attempt's
 * trace for the IDs its attempts lack.
 */
export async function deliveriesOfTraces(
  cluster: Cluster,
  projectId: string,
  traces: ReadonlyMap<string, TriggerDocument>,
): Promise<Map<string, StoredDelivery[]>> {
  const ids = [...new Set([...traces.values()].flatMap((doc) => doc.state.deliveryIds))];
  const stored = await readDeliveryDocuments(cluster, projectId, ids);
  const firstTraces = [...stored.values()].map(({ doc }) => firstAttemptOf(doc.attempts).traceId);
  const missing = firstTraces.filter((traceId) => !traces.has(traceId));
  const others = await readTriggerDocuments(cluster, projectId, missing);
  const ownerOf = (traceId: string): DeliveryOwner | null => {
    const doc = traces.get(traceId) ?? others.get(traceId)?.doc;
    return doc ? { eventId: doc.eventId, triggerId: doc.triggerId } : null;
  };
  const folded = new Map<string, StoredDelivery>();
  for (const [deliveryId, { doc }] of stored) folded.set(deliveryId, foldDelivery(doc.attempts, ownerOf));
  const result = new Map<string, StoredDelivery[]>();
  for (const [traceId, doc] of traces) {
    const own = doc.state.deliveryIds.flatMap((id) => folded.get(id) ?? []);
    result.set(traceId, own.sort(byCreation));
  }
  return result;
}

async function readVersioned<D extends { projectId: string }>(
  cluster: Cluster,
  index: string,
  ids: readonly string[],
  keyOf: (doc: D) => string,
  projectId: string,
): Promise<Versioned<D>> {
  const found: Versioned<D> = new Map();
  if (ids.length === 0) return found;
  const response = await cluster.client.mget<D>({ index, ids: [...ids] });
  for (const item of response.docs) {
    if (!('found' in item) || !item.found || !item._source) continue;
    const doc = item._source;
    if (doc.projectId !== projectId) continue;
    if (typeof item._seq_no !== 'number' || typeof item._primary_term !== 'number') {
      // Without them the write back would be unconditional and could lose a concurrent writer's facts.
      throw new Error(`Elasticsearch returned ${index}/${item._id} without _seq_no/_primary_term`);
    }
    found.set(keyOf(doc), { doc, version: { seqNo: item._seq_no, primaryTerm: item._primary_term } });
  }
  return found;
}

/** The project's trigger documents of these traces, with the version to write them back against. */
export function readTriggerDocuments(cluster: Cluster, projectId: string, traceIds: readonly string[]) {
  const ids = traceIds.map((id) => triggerDocumentId(projectId, id));
  return readVersioned<TriggerDocument>(cluster, cluster.names.triggerEvents, ids, (d) => d.traceId, projectId);
}

/** The filters with `deliveryId` resolved to the traces that hold an attempt of it (none: no trace). */
export async function resolveDeliveryFilter(
  cluster: Cluster,
  projectId: string,
  filters: TriggerEventFilters,
): Promise<ResolvedTriggerEventFilters> {
  if (filters.deliveryId === undefined) return filters;
  const stored = await readDeliveryDocuments(cluster, projectId, [filters.deliveryId]);
  return { ...filters, deliveryTraceIds: stored.get(filters.deliveryId)?.doc.traceIds ?? [] };
}

function readDeliveryDocuments(cluster: Cluster, projectId: string, deliveryIds: readonly string[]) {
  const ids = deliveryIds.map((id) => deliveryDocumentId(projectId, id));
  return readVersioned<DeliveryDocument>(cluster, cluster.names.deliveries, ids, (d) => d.deliveryId, projectId);
}
