/**
 * Applies one IngestBatch inside the caller's transaction: upserts the facts
 * keyed by their IDs, then re-derives the TriggerEvent and Delivery records
 * (and their statuses, §4) of every trigger trace the batch touched. Merges
 * are commutative (min of times, sticky OR of failure flags, root fields win)
 * so arrival order does not matter and re-sending a batch changes nothing.
 */
import {
  type DeliveryAttemptOutcome,
  type DeliveryStatus,
  deliveryStatus,
  type IngestBatch,
  type TriggerFact,
  triggerEventStatus,
} from '@tooltrace/conventions';
import { validateBatch } from '../validate-batch.ts';
import { countEventUser, recount } from './facet-counts.ts';
import {
  type DeliveryAttemptRow,
  type DeliveryRow,
  deliveryAttemptToRow,
  logToRow,
  type ToolCallRow,
  type TriggerEventRow,
  toMs,
  toolCallToRow,
} from './rows.ts';
import type { Statements } from './statements.ts';

/** Per trace: earliest time seen and number of logs newly inserted. */
type TraceTouches = Map<string, { startedAt: number; newLogs: number }>;

export function applyBatch(s: Statements, projectId: string, batch: IngestBatch): void {
  validateBatch(batch);
  const touches: TraceTouches = new Map();
  const touch = (traceId: string, time: number, newLogs = 0) => {
    const t = touches.get(traceId);
    if (!t) touches.set(traceId, { startedAt: time, newLogs });
    else {
      t.startedAt = Math.min(t.startedAt, time);
      t.newLogs += newLogs;
    }
  };

  for (const fact of batch.logs) {
    const row = logToRow(projectId, fact);
    const inserted = s.run(INSERT_LOG, row).changes === 1;
    if (!inserted) s.run(UPDATE_LOG, row);
    touch(row.trace_id, toMs(row.timestamp, 'log.timestamp'), inserted ? 1 : 0);
  }

  for (const fact of batch.toolCalls) {
    const row = toolCallToRow(projectId, fact);
    const stored = s.one<ToolCallRow>(SELECT_TOOL_CALL, projectId, row.trace_id, row.span_id);
    s.run(UPSERT_TOOL_CALL, row);
    recount(s, 'tool_calls', stored, row);
    touch(row.trace_id, row.started_at);
  }

  const triggerTraces = new Set<string>();
  for (const fact of batch.triggers) {
    mergeTriggerFact(s, projectId, fact);
    triggerTraces.add(fact.traceId);
    touch(fact.traceId, toMs(fact.root?.receivedAt ?? fact.observedAt, 'trigger.observedAt'));
  }

  for (const fact of batch.deliveryAttempts) {
    const row = deliveryAttemptToRow(projectId, fact);
    s.run(UPSERT_ATTEMPT, row);
    ensureEventForAttempt(s, projectId, row);
    triggerTraces.add(row.trace_id);
    touch(row.trace_id, row.started_at);
  }

  for (const traceId of triggerTraces) refreshTriggerTrace(s, projectId, traceId);

  let newLogs = 0;
  for (const [traceId, t] of touches) {
    s.run(UPSERT_TRACE, projectId, traceId, t.startedAt, t.newLogs);
    newLogs += t.newLogs;
  }
  if (newLogs > 0) s.run('UPDATE projects SET log_count = log_count + ? WHERE project_id = ?', newLogs, projectId);
}

const INSERT_LOG = `INSERT OR IGNORE INTO logs
  (project_id, trace_id, id, span_id, parent_span_id, source, timestamp, time_unix_nano, level, kind, name, message,
   attributes, duration_ms, body, service_name)
  VALUES (@project_id, @trace_id, @id, @span_id, @parent_span_id, @source, @timestamp, @time_unix_nano, @level, @kind,
   @name, @message, @attributes, @duration_ms, @body, @service_name)`;

const UPDATE_LOG = `UPDATE logs SET span_id = @span_id, parent_span_id = @parent_span_id, source = @source,
  timestamp = @timestamp, time_unix_nano = @time_unix_nano, level = @level, kind = @kind, name = @name,
  message = @message, attributes = @attributes, duration_ms = @duration_ms, body = @body, service_name = @service_name
  WHERE project_id = @project_id AND trace_id = @trace_id AND id = @id`;

const UPSERT_TOOL_CALL = `INSERT INTO tool_calls
  (project_id, trace_id, span_id, type, tool_name, integration, user_id, status, http_status, error_code,
   error_message, error_category, error_group, started_at, duration_ms, parameters)
  VALUES (@project_id, @trace_id, @span_id, @type, @tool_name, @integration, @user_id, @status, @http_status,
   @error_code, @error_message, @error_category, @error_group, @started_at, @duration_ms, @parameters)
  ON CONFLICT (project_id, trace_id, span_id) DO UPDATE SET type = excluded.type, tool_name = excluded.tool_name,
   integration = excluded.integration, user_id = excluded.user_id, status = excluded.status,
   http_status = excluded.http_status, error_code = excluded.error_code, error_message = excluded.error_message,
   error_category = excluded.error_category, error_group = excluded.error_group, started_at = excluded.started_at, duration_ms = excluded.duration_ms, parameters = excluded.parameters`;

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
   user_ids, received_at, root_seen, processing_failed, status)
  VALUES (@project_id, @trace_id, @event_id, @type, @trigger_id, @trigger_name, @integration, @subscription_model,
   @root_user_id, @user_ids, @received_at, @root_seen, @processing_failed, @status)
  ON CONFLICT (project_id, trace_id) DO UPDATE SET event_id = excluded.event_id, type = excluded.type,
   trigger_id = excluded.trigger_id, trigger_name = excluded.trigger_name, integration = excluded.integration,
   subscription_model = excluded.subscription_model, root_user_id = excluded.root_user_id,
   user_ids = excluded.user_ids, received_at = excluded.received_at, root_seen = excluded.root_seen,
   processing_failed = excluded.processing_failed, status = excluded.status`;

function emptyEvent(projectId: string, traceId: string, receivedAt: number): TriggerEventRow {
  return {
    project_id: projectId,
    trace_id: traceId,
    event_id: null,
    type: 'event',
    trigger_id: null,
    trigger_name: null,
    integration: null,
    subscription_model: null,
    root_user_id: null,
    user_ids: '[]',
    received_at: receivedAt,
    root_seen: 0,
    processing_failed: 0,
    status: 'queued',
  };
}

function mergeTriggerFact(s: Statements, projectId: string, fact: TriggerFact): void {
  const observedAt = toMs(fact.observedAt, 'trigger.observedAt');
  const stored = s.one<TriggerEventRow>(SELECT_EVENT, projectId, fact.traceId);
  const row = stored ? { ...stored } : emptyEvent(projectId, fact.traceId, observedAt);
  if (fact.root) {
    const root = fact.root;
    row.event_id = root.eventId;
    row.type = fact.type;
    row.trigger_id = root.triggerId ?? row.trigger_id;
    row.trigger_name = root.triggerName;
    row.integration = root.integration;
    row.subscription_model = root.subscriptionModel;
    row.root_user_id = root.userId;
    row.received_at = toMs(root.receivedAt, 'trigger.root.receivedAt');
    row.root_seen = 1;
    if (root.failed) row.processing_failed = 1;
  } else if (!row.root_seen) {
    row.type = fact.type;
    row.received_at = Math.min(row.received_at, observedAt);
  }
  if (fact.processingFailed) row.processing_failed = 1;
  saveEvent(s, stored, row);
}

function saveEvent(s: Statements, stored: TriggerEventRow | undefined, next: TriggerEventRow): void {
  s.run(WRITE_EVENT, next);
  recount(s, 'trigger_events', stored, next);
}

/** A delivery may arrive before any span of its event: the event exists (queued) from then on. */
function ensureEventForAttempt(s: Statements, projectId: string, attempt: DeliveryAttemptRow): void {
  const row = s.one<TriggerEventRow>(SELECT_EVENT, projectId, attempt.trace_id);
  if (!row) {
    const created = emptyEvent(projectId, attempt.trace_id, attempt.started_at);
    created.trigger_id = attempt.trigger_id;
    saveEvent(s, undefined, created);
  } else if (!row.root_seen && attempt.started_at < row.received_at) {
    s.run(
      'UPDATE trigger_events SET received_at = ? WHERE project_id = ? AND trace_id = ?',
      attempt.started_at,
      projectId,
      attempt.trace_id,
    );
  }
}

/** Re-derives the deliveries of one trace from their attempts, then the event's user list and status. */
function refreshTriggerTrace(s: Statements, projectId: string, traceId: string): void {
  const event = s.one<TriggerEventRow>(SELECT_EVENT, projectId, traceId);
  if (!event) return;
  const deliveryIds = s.all<{ delivery_id: string }>(
    'SELECT DISTINCT delivery_id FROM delivery_attempts WHERE project_id = ? AND trace_id = ?',
    projectId,
    traceId,
  );
  for (const { delivery_id } of deliveryIds) refreshDelivery(s, projectId, delivery_id, event);

  const deliveries = s.all<DeliveryRow>(
    'SELECT * FROM deliveries WHERE project_id = ? AND trace_id = ? ORDER BY created_at, delivery_id',
    projectId,
    traceId,
  );
  const userIds = [...new Set([event.root_user_id, ...deliveries.map((d) => d.user_id)])].filter(
    (u): u is string => u !== null,
  );
  const next: TriggerEventRow = {
    ...event,
    user_ids: JSON.stringify(userIds),
    trigger_id: event.trigger_id ?? deliveries.find((d) => d.trigger_id !== null)?.trigger_id ?? null,
    status: triggerEventStatus({
      type: event.type,
      processingFailed: event.processing_failed === 1,
      rootSeen: event.root_seen === 1,
      deliveries: deliveries.map((d) => d.status as DeliveryStatus),
    }),
  };
  saveEvent(s, event, next);

  const storedUsers = s.all<{ user_id: string }>(
    'SELECT user_id FROM trigger_event_users WHERE project_id = ? AND trace_id = ?',
    projectId,
    traceId,
  );
  for (const { user_id } of storedUsers) countEventUser(s, projectId, user_id, -1);
  s.run('DELETE FROM trigger_event_users WHERE project_id = ? AND trace_id = ?', projectId, traceId);
  for (const userId of userIds) {
    s.run(
      'INSERT INTO trigger_event_users (project_id, trace_id, user_id, received_at) VALUES (?, ?, ?, ?)',
      projectId,
      traceId,
      userId,
      next.received_at,
    );
    countEventUser(s, projectId, userId, 1);
  }
}

/**
 * A delivery aggregates its attempts: the latest attempt (highest number)
 * gives the HTTP status and duration; IDs and URL come from the newest
 * attempt that carries them, else from the event.
 */
function refreshDelivery(s: Statements, projectId: string, deliveryId: string, event: TriggerEventRow): void {
  const attempts = s.all<DeliveryAttemptRow>(
    `SELECT * FROM delivery_attempts WHERE project_id = ? AND delivery_id = ?
     ORDER BY attempt DESC, started_at DESC, span_id DESC`,
    projectId,
    deliveryId,
  );
  const last = attempts[0];
  if (!last) return;
  const newest = <K extends keyof DeliveryAttemptRow>(key: K): DeliveryAttemptRow[K] | null =>
    attempts.find((a) => a[key] !== null)?.[key] ?? null;
  const outcomes: DeliveryAttemptOutcome[] = attempts.map((a) => ({
    succeeded: a.succeeded === 1,
    final: a.final === 1,
  }));
  const row: DeliveryRow = {
    project_id: projectId,
    delivery_id: deliveryId,
    trace_id: attempts.at(-1)?.trace_id ?? last.trace_id,
    event_id: newest('event_id') ?? event.event_id,
    trigger_id: newest('trigger_id') ?? event.trigger_id,
    user_id: newest('user_id'),
    webhook_url: newest('webhook_url'),
    status: deliveryStatus(outcomes),
    attempts: attempts.length,
    created_at: Math.min(...attempts.map((a) => a.started_at)),
    last_attempt_at: last.started_at,
    duration_ms: last.duration_ms,
    last_http_status: last.http_status,
  };
  s.run(
    `INSERT INTO deliveries (project_id, delivery_id, trace_id, event_id, trigger_id, user_id, webhook_url, status,
      attempts, created_at, last_attempt_at, duration_ms, last_http_status)
     VALUES (@project_id, @delivery_id, @trace_id, @event_id, @trigger_id, @user_id, @webhook_url, @status, @attempts,
      @created_at, @last_attempt_at, @duration_ms, @last_http_status)
     ON CONFLICT (project_id, delivery_id) DO UPDATE SET trace_id = excluded.trace_id, event_id = excluded.event_id,
      trigger_id = excluded.trigger_id, user_id = excluded.user_id, webhook_url = excluded.webhook_url,
      status = excluded.status, attempts = excluded.attempts, created_at = excluded.created_at,
      last_attempt_at = excluded.last_attempt_at, duration_ms = excluded.duration_ms,
      last_http_status = excluded.last_http_status`,
    row,
  );
}
