/**
 * Applies one IngestBatch inside the caller's transaction: upserts the facts
 * keyed by their IDs, then re-derives the TriggerEvent and Delivery records
 * (and their statuses, §4) of every trigger trace the batch touched. Merges
 * are commutative (min of times, sticky OR of failure flags, root fields win)
 * so arrival order does not matter and re-sending a batch changes nothing.
 */
import type { DeliveryAttemptFact, IngestBatch, TriggerFact } from '@tooltrace/conventions';
import { deriveEvent, foldDelivery, mergeTriggerFact, noteAttempt, type TriggerTraceFacts } from '../trigger-fold.ts';
import { validateBatch } from '../validate-batch.ts';
import { countEventUser, FacetTally, recount } from './facet-counts.ts';
import { logsByTrace, writeTraceLogs } from './log-chunks.ts';
import {
  type DeliveryAttemptRow,
  type DeliveryRow,
  deliveryAttemptFromRow,
  deliveryAttemptToRow,
  deliveryFromRow,
  deliveryToRow,
  type ToolCallRow,
  type TriggerEventRow,
  toolCallToRow,
  triggerFactsFromRow,
  triggerFactsToRow,
} from './rows.ts';
import type { Statements } from './statements.ts';
import { inheritUsers } from './user-inheritance.ts';

/** Per trace: earliest time seen and number of logs newly inserted. */
type TraceTouches = Map<string, { startedAt: number; newLogs: number }>;

export function applyBatch(s: Statements, projectId: string, arriving: IngestBatch): void {
  validateBatch(arriving);
  const batch = inheritUsers(s, projectId, arriving);
  const tally = new FacetTally(projectId);
  const touches: TraceTouches = new Map();
  const touch = (traceId: string, time: number, newLogs = 0) => {
    const t = touches.get(traceId);
    if (!t) touches.set(traceId, { startedAt: time, newLogs });
    else {
      t.startedAt = Math.min(t.startedAt, time);
      t.newLogs += newLogs;
    }
  };

  for (const [traceId, logs] of logsByTrace(batch.logs)) {
    const fresh = writeTraceLogs(s, projectId, traceId, logs);
    touch(
      traceId,
      logs.reduce((min, l) => Math.min(min, l.timeMs), Number.POSITIVE_INFINITY),
      fresh,
    );
  }

  for (const fact of batch.toolCalls) {
    const row = toolCallToRow(projectId, fact);
    const stored = s.one<ToolCallRow>(SELECT_TOOL_CALL, projectId, row.trace_id, row.span_id);
    s.run(UPSERT_TOOL_CALL, row);
    recount(tally, 'tool_calls', stored, row);
    touch(row.trace_id, row.started_at);
  }

  const triggerTraces = new Set<string>();
  for (const fact of batch.triggers) {
    storeTriggerFact(s, tally, fact);
    triggerTraces.add(fact.traceId);
    touch(fact.traceId, fact.root?.receivedAtMs ?? fact.observedAtMs);
  }

  const deliveryIds = new Set<string>();
  for (const fact of batch.deliveryAttempts) {
    const row = deliveryAttemptToRow(projectId, fact);
    s.run(UPSERT_ATTEMPT, row);
    noteAttemptOnEvent(s, tally, fact);
    triggerTraces.add(row.trace_id);
    deliveryIds.add(row.delivery_id);
    touch(row.trace_id, row.started_at);
  }

  refreshTriggerTraces(s, tally, triggerTraces, deliveryIds);
  tally.flush(s);

  let newLogs = 0;
  for (const [traceId, t] of touches) {
    s.run(UPSERT_TRACE, projectId, traceId, t.startedAt, t.newLogs);
    newLogs += t.newLogs;
  }
  if (newLogs > 0) s.run('UPDATE projects SET log_count = log_count + ? WHERE project_id = ?', newLogs, projectId);
}

const UPSERT_TOOL_CALL = `INSERT INTO tool_calls
  (project_id, trace_id, span_id, type, tool_name, integration, user_id, status, http_status, error_code,
   error_message, error_category, error_group, tool_call_id, started_at, duration_ms, parameters, user_inherited)
  VALUES (@project_id, @trace_id, @span_id, @type, @tool_name, @integration, @user_id, @status, @http_status,
   @error_code, @error_message, @error_category, @error_group, @tool_call_id, @started_at, @duration_ms, @parameters,
   @user_inherited)
  ON CONFLICT (project_id, trace_id, span_id) DO UPDATE SET type = excluded.type, tool_name = excluded.tool_name,
   integration = excluded.integration, user_id = excluded.user_id, status = excluded.status,
   http_status = excluded.http_status, error_code = excluded.error_code, error_message = excluded.error_message,
   error_category = excluded.error_category, error_group = excluded.error_group,
   tool_call_id = excluded.tool_call_id, started_at = excluded.started_at, duration_ms = excluded.duration_ms,
   parameters = excluded.parameters, user_inherited = excluded.user_inherited`;

const UPSERT_ATTEMPT = `INSERT INTO delivery_attempts
  (project_id, trace_id, span_id, delivery_id, event_id, trigger_id, attempt, final, user_id, webhook_url,
   http_status, succeeded, started_at, duration_ms)
  VALUES (@project_id, @trace_id, @span_id, @delivery_id, @event_id, @trigger_id, @attempt, @final, @user_id,
   @webhook_url, @http_status, @succeeded, @started_at, @duration_ms)
  ON CONFLICT (project_id, trace_id, span_id) DO UPDATE SET delivery_id = excluded.delivery_id,
   event_id = excluded.event_id, trigger_id = excluded.trigger_id, attempt = excluded.attempt, final = excluded.final,
   user_id = excluded.user_id, webhook_url = excluded.webhook_url, http_status = excluded.http_status,
   succeeded = excluded.succeeded, started_at = excluded.started_at, duration_ms = excluded.duration_ms`;

const UPSERT_TRACE = `INSERT INTO traces (project_id, trace_id, started_at, log_count) VALUES (?, ?, ?, ?)
  ON CONFLICT (project_id, trace_id) DO UPDATE SET started_at = MIN(started_at, excluded.started_at),
   log_count = log_count + excluded.log_count`;

const SELECT_TOOL_CALL = 'SELECT * FROM tool_calls WHERE project_id = ? AND trace_id = ? AND span_id = ?';

const SELECT_EVENT = 'SELECT * FROM trigger_events WHERE project_id = ? AND trace_id = ?';

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
   last_http_status = excluded.last_http_status`;

/** The deliveries that have an attempt in a trace (wherever their other attempts came from). */
export const DELIVERIES_OF_TRACE = `SELECT * FROM deliveries WHERE project_id = ? AND delivery_id IN
  (SELECT delivery_id FROM delivery_attempts WHERE project_id = ? AND trace_id = ?) ORDER BY created_at, delivery_id`;

function loadFacts(s: Statements, projectId: string, traceId: string) {
  const stored = s.one<TriggerEventRow>(SELECT_EVENT, projectId, traceId);
  return { stored, facts: stored ? triggerFactsFromRow(stored) : null };
}

/** Saves a trace's facts, keeping its derived fields until refreshTriggerTrace recomputes them. */
function saveFacts(s: Statements, tally: FacetTally, stored: TriggerEventRow | undefined, facts: TriggerTraceFacts) {
  const next = triggerFactsToRow(
    tally.projectId,
    facts,
    stored ?? { status: 'queued', user_ids: '[]', delivery_count: 0, failed_delivery_count: 0 },
  );
  s.run(WRITE_EVENT, next);
  recount(tally, 'trigger_events', stored, next);
}

function storeTriggerFact(s: Statements, tally: FacetTally, fact: TriggerFact): void {
  const { stored, facts } = loadFacts(s, tally.projectId, fact.traceId);
  saveFacts(s, tally, stored, mergeTriggerFact(facts, fact));
}

function noteAttemptOnEvent(s: Statements, tally: FacetTally, fact: DeliveryAttemptFact): void {
  const { stored, facts } = loadFacts(s, tally.projectId, fact.traceId);
  const next = noteAttempt(facts, fact);
  if (next !== facts) saveFacts(s, tally, stored, next);
}

/**
 * Folds each touched delivery from all its attempts (any trace), then
 * re-derives every event whose trace holds an attempt of one of them.
 */
function refreshTriggerTraces(
  s: Statements,
  tally: FacetTally,
  traceIds: ReadonlySet<string>,
  deliveryIds: ReadonlySet<string>,
): void {
  const { projectId } = tally;
  const affected = new Set(traceIds);
  // A delivery falls back on its event's IDs, so a trace's new root re-folds the deliveries it holds.
  const refold = new Set(deliveryIds);
  for (const traceId of traceIds) {
    const held = s.all<{ delivery_id: string }>(DELIVERY_IDS_OF_TRACE, projectId, traceId);
    for (const { delivery_id } of held) refold.add(delivery_id);
  }
  const ownerOf = (traceId: string) => s.one<TriggerEventRow>(SELECT_EVENT, projectId, traceId) ?? null;
  const owner = (traceId: string) => {
    const row = ownerOf(traceId);
    return row ? { eventId: row.event_id, triggerId: row.trigger_id } : null;
  };
  for (const deliveryId of refold) {
    const attempts = s.all<DeliveryAttemptRow>(ATTEMPTS_OF_DELIVERY, projectId, deliveryId).map(deliveryAttemptFromRow);
    if (attempts.length === 0) continue;
    s.run(WRITE_DELIVERY, deliveryToRow(projectId, foldDelivery(attempts, owner)));
    for (const attempt of attempts) affected.add(attempt.traceId);
  }
  for (const traceId of affected) {
    const event = ownerOf(traceId);
    if (event) refreshEvent(s, tally, event);
  }
}

const DELIVERY_IDS_OF_TRACE =
  'SELECT DISTINCT delivery_id FROM delivery_attempts WHERE project_id = ? AND trace_id = ?';

const ATTEMPTS_OF_DELIVERY = 'SELECT * FROM delivery_attempts WHERE project_id = ? AND delivery_id = ?';

function refreshEvent(s: Statements, tally: FacetTally, event: TriggerEventRow): void {
  const { projectId } = tally;
  const traceId = event.trace_id;
  const deliveries = s.all<DeliveryRow>(DELIVERIES_OF_TRACE, projectId, projectId, traceId).map(deliveryFromRow);
  const facts = triggerFactsFromRow(event);
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
  s.run(WRITE_EVENT, next);
  recount(tally, 'trigger_events', event, next);

  const storedUsers = s.all<{ user_id: string; received_at: number }>(
    'SELECT user_id, received_at FROM trigger_event_users WHERE project_id = ? AND trace_id = ?',
    projectId,
    traceId,
  );
  for (const u of storedUsers) countEventUser(tally, u.user_id, u.received_at, -1);
  s.run('DELETE FROM trigger_event_users WHERE project_id = ? AND trace_id = ?', projectId, traceId);
  for (const userId of derived.userIds) {
    s.run(
      'INSERT INTO trigger_event_users (project_id, trace_id, user_id, received_at) VALUES (?, ?, ?, ?)',
      projectId,
      traceId,
      userId,
      next.received_at,
    );
    countEventUser(tally, userId, next.received_at, 1);
  }
}
