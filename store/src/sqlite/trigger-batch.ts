/**
 * The trigger half of one write (inside its transaction): folds the batch's
 * trigger facts and delivery attempts into each trace's facts in memory,
 * re-folds every delivery those traces hold, then writes each trigger event
 * once with its derived fields. The result is what folding fact by fact into
 * the stored rows would give (the fold is commutative); doing it per batch
 * reads and writes each event row once instead of once per fact, keeps a
 * trace's deliveries in memory instead of reading them back, and leaves rows
 * that come out unchanged (a re-sent batch) unwritten.
 */
import type { DeliveryAttemptFact, StoredDelivery, TriggerFact } from '@tooltrace/conventions';
import {
  type DeliveryOwner,
  deriveEvent,
  foldDelivery,
  mergeTriggerFact,
  noteAttempt,
  type TriggerTraceFacts,
} from '../trigger-fold.ts';
import { countEventUser, type FacetTally, recount } from './facet-counts.ts';
import {
  type DeliveryAttemptRow,
  type DeliveryRow,
  deliveryAttemptFromRow,
  deliveryAttemptToRow,
  deliveryFromRow,
  deliveryToRow,
  sameValues,
  type TriggerEventRow,
  triggerFactsFromRow,
  triggerFactsToRow,
} from './rows.ts';
import type { Statements } from './statements.ts';

/** A trace's stored event row (as the batch found it) and its facts as the batch has folded them so far. */
interface TraceState {
  stored: TriggerEventRow | undefined;
  facts: TriggerTraceFacts | null;
}

/** Per trace touched by the batch: earliest time seen (for the traces table). */
export type Touch = (traceId: string, timeMs: number) => void;

export function applyTriggerFacts(
  s: Statements,
  tally: FacetTally,
  triggers: readonly TriggerFact[],
  attempts: readonly DeliveryAttemptFact[],
  touch: Touch,
): void {
  if (triggers.length === 0 && attempts.length === 0) return;
  const { projectId } = tally;
  const traces = new Map<string, TraceState>();
  const stateOf = (traceId: string): TraceState => {
    let state = traces.get(traceId);
    if (!state) {
      const stored = s.one<TriggerEventRow>(SELECT_EVENT, projectId, traceId);
      state = { stored, facts: stored ? triggerFactsFromRow(stored) : null };
      traces.set(traceId, state);
    }
    return state;
  };

  // Every trace touched here ends with a row: a trigger fact or a first attempt creates it.
  const touched: string[] = [];
  const noteTouched = (traceId: string) => {
    if (!traces.has(traceId)) touched.push(traceId);
  };
  for (const fact of triggers) {
    noteTouched(fact.traceId);
    const state = stateOf(fact.traceId);
    state.facts = mergeTriggerFact(state.facts, fact);
    touch(fact.traceId, fact.root?.receivedAtMs ?? fact.observedAtMs);
  }
  for (const fact of attempts) {
    s.run(UPSERT_ATTEMPT, deliveryAttemptToRow(projectId, fact));
    noteTouched(fact.traceId);
    const state = stateOf(fact.traceId);
    state.facts = noteAttempt(state.facts, fact);
    touch(fact.traceId, fact.startedAtMs);
  }

  const deliveries = refoldDeliveries(s, projectId, touched, stateOf);
  for (const traceId of deliveries.affected) {
    const state = stateOf(traceId);
    if (!state.facts) continue;
    const held = deliveries.heldBy.get(traceId);
    const ofTrace = held
      ? held.map((id) => deliveries.folded.get(id) as StoredDelivery).sort(byCreationAsSqlite)
      : s.all<DeliveryRow>(DELIVERIES_OF_TRACE, projectId, projectId, traceId).map(deliveryFromRow);
    writeEvent(s, tally, state, ofTrace);
  }
}

/** The deliveries that have an attempt in a trace (wherever their other attempts came from). */
export const DELIVERIES_OF_TRACE = `SELECT * FROM deliveries WHERE project_id = ? AND delivery_id IN
  (SELECT delivery_id FROM delivery_attempts WHERE project_id = ? AND trace_id = ?) ORDER BY created_at, delivery_id`;

/**
 * Folds each delivery held by a touched trace from all its attempts (any
 * trace): a trace's new root may give its deliveries the IDs they fall back
 * on, and a new attempt changes its delivery. The traces of those attempts
 * are affected too (their events count the delivery).
 */
function refoldDeliveries(
  s: Statements,
  projectId: string,
  touched: readonly string[],
  stateOf: (traceId: string) => TraceState,
) {
  const heldBy = new Map<string, string[]>();
  const folded = new Map<string, StoredDelivery>();
  const affected = new Set(touched);
  const owner = (traceId: string): DeliveryOwner | null => {
    const facts = stateOf(traceId).facts;
    return facts ? { eventId: facts.eventId, triggerId: facts.triggerId } : null;
  };
  for (const traceId of touched) {
    const byDelivery = new Map<string, DeliveryAttemptRow[]>();
    for (const row of s.all<DeliveryAttemptRow>(ATTEMPTS_OF_DELIVERIES_IN_TRACE, projectId, projectId, traceId)) {
      const rows = byDelivery.get(row.delivery_id);
      if (rows) rows.push(row);
      else byDelivery.set(row.delivery_id, [row]);
    }
    heldBy.set(traceId, [...byDelivery.keys()]);
    for (const [deliveryId, rows] of byDelivery) {
      if (folded.has(deliveryId)) continue;
      const delivery = foldDelivery(rows.map(deliveryAttemptFromRow), owner);
      folded.set(deliveryId, delivery);
      s.run(WRITE_DELIVERY, deliveryToRow(projectId, delivery));
      for (const row of rows) affected.add(row.trace_id);
    }
  }
  return { heldBy, folded, affected };
}

/** Writes an event's facts and derived fields, and its user rows, where they changed. */
function writeEvent(s: Statements, tally: FacetTally, state: TraceState, deliveries: readonly StoredDelivery[]): void {
  const facts = state.facts as TriggerTraceFacts;
  const { stored } = state;
  const { projectId } = tally;
  const derived = deriveEvent(facts, deliveries);
  const next = triggerFactsToRow(
    projectId,
    { ...facts, triggerId: derived.triggerId },
    {
      status: derived.status,
      user_ids: JSON.stringify(derived.userIds),
      delivery_count: derived.deliveryCount,
      failed_delivery_count: derived.failedDeliveryCount,
    },
  );
  if (stored && sameValues(stored, next)) return;
  s.run(WRITE_EVENT, next);
  recount(tally, 'trigger_events', stored, next);

  // The user rows mirror the stored row's user list and time, so they change only when those do.
  if (stored && stored.user_ids === next.user_ids && stored.received_at === next.received_at) return;
  const traceId = next.trace_id;
  if (stored) {
    const storedUsers = s.all<{ user_id: string; received_at: number }>(EVENT_USERS, projectId, traceId);
    for (const u of storedUsers) countEventUser(tally, u.user_id, u.received_at, -1);
    s.run('DELETE FROM trigger_event_users WHERE project_id = ? AND trace_id = ?', projectId, traceId);
  }
  for (const userId of derived.userIds) {
    s.run(INSERT_EVENT_USER, projectId, traceId, userId, next.received_at);
    countEventUser(tally, userId, next.received_at, 1);
  }
}

/** SQLite's `ORDER BY created_at, delivery_id`: text compares as UTF-8 bytes, i.e. by code point. */
function byCreationAsSqlite(a: StoredDelivery, b: StoredDelivery): number {
  return a.createdAtMs - b.createdAtMs || byCodePoint(a.deliveryId, b.deliveryId);
}

/** UTF-16 order equals code point order except where a surrogate meets U+E000..U+FFFF. */
const SURROGATE = /[\uD800-\uDFFF]/;

function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

const SELECT_EVENT = 'SELECT * FROM trigger_events WHERE project_id = ? AND trace_id = ?';

/** Every attempt (in any trace) of each delivery that has an attempt in a trace. */
const ATTEMPTS_OF_DELIVERIES_IN_TRACE = `SELECT * FROM delivery_attempts WHERE project_id = ? AND delivery_id IN
  (SELECT delivery_id FROM delivery_attempts WHERE project_id = ? AND trace_id = ?)`;

const EVENT_USERS = 'SELECT user_id, received_at FROM trigger_event_users WHERE project_id = ? AND trace_id = ?';

const INSERT_EVENT_USER =
  'INSERT INTO trigger_event_users (project_id, trace_id, user_id, received_at) VALUES (?, ?, ?, ?)';

const UPSERT_ATTEMPT = `INSERT INTO delivery_attempts
  (project_id, trace_id, span_id, delivery_id, event_id, trigger_id, attempt, final, user_id, webhook_url,
   http_status, succeeded, started_at, duration_ms)
  VALUES (@project_id, @trace_id, @span_id, @delivery_id, @event_id, @trigger_id, @attempt, @final, @user_id,
   @webhook_url, @http_status, @succeeded, @started_at, @duration_ms)
  ON CONFLICT (project_id, trace_id, span_id) DO UPDATE SET delivery_id = excluded.delivery_id,
   event_id = excluded.event_id, trigger_id = excluded.trigger_id, attempt = excluded.attempt, final = excluded.final,
   user_id = excluded.user_id, webhook_url = excluded.webhook_url, http_status = excluded.http_status,
   succeeded = excluded.succeeded, started_at = excluded.started_at, duration_ms = excluded.duration_ms`;

const WRITE_EVENT = `INSERT INTO trigger_events
  (project_id, trace_id, event_id, type, trigger_id, trigger_name, integration, subscription_model, root_user_id,
   user_ids, received_at, root_seen, processing_failed, status, delivery_count, failed_delivery_count)
  VALUES (@project_id, @trace_id, @event_id, @type, @trigger_id, @trigger_name, @integration, @subscription_model,
   @root_user_id, @user_ids, @received_at, @root_seen, @processing_failed, @status, @delivery_count,
   @failed_delivery_count)
  ON CONFLICT (project_id, trace_id) DO UPDATE SET event_id = excluded.event_id, type = excluded.type,
   trigger_id = excluded.trigger_id, trigger_name = excluded.trigger_name, integration = excluded.integration,
   subscription_model = excluded.subscription_model, root_user_id = excluded.root_user_id,
   user_ids = excluded.user_ids, received_at = excluded.received_at, root_seen = excluded.root_seen,
   processing_failed = excluded.processing_failed, status = excluded.status,
   delivery_count = excluded.delivery_count, failed_delivery_count = excluded.failed_delivery_count`;

const WRITE_DELIVERY = `INSERT INTO deliveries (project_id, delivery_id, trace_id, event_id, trigger_id, user_id,
   webhook_url, status, attempts, created_at, last_attempt_at, duration_ms, last_http_status)
  VALUES (@project_id, @delivery_id, @trace_id, @event_id, @trigger_id, @user_id, @webhook_url, @status, @attempts,
   @created_at, @last_attempt_at, @duration_ms, @last_http_status)
  ON CONFLICT (project_id, delivery_id) DO UPDATE SET trace_id = excluded.trace_id, event_id = excluded.event_id,
   trigger_id = excluded.trigger_id, user_id = excluded.user_id, webhook_url = excluded.webhook_url,
   status = excluded.status, attempts = excluded.attempts, created_at = excluded.created_at,
   last_attempt_at = excluded.last_attempt_at, duration_ms = excluded.duration_ms,
   last_http_status = excluded.last_http_status
  WHERE (trace_id, event_id, trigger_id, user_id, webhook_url, status, attempts, created_at, last_attempt_at,
   duration_ms, last_http_status) IS NOT (excluded.trace_id, excluded.event_id, excluded.trigger_id,
   excluded.user_id, excluded.webhook_url, excluded.status, excluded.attempts, excluded.created_at,
   excluded.last_attempt_at, excluded.duration_ms, excluded.last_http_status)`;
