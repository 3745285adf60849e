/**
 * Row shapes of the SQLite tables (snake_case) and the explicit converters
 * between them and the domain records of `@tooltrace/conventions`.
 */
import type {
  DeliveryAttemptFact,
  DeliveryStatus,
  ErrorCategory,
  Plan,
  StoredDelivery,
  StoredToolCall,
  StoredTriggerEvent,
  SubscriptionModel,
  ToolCallFact,
  ToolCallStatus,
  ToolCallType,
  TriggerEventStatus,
  TriggerEventType,
} from '@tooltrace/conventions';
import { toRequestId } from '@tooltrace/conventions';
import type { Project } from '../store.ts';
import type { TriggerTraceFacts } from '../trigger-fold.ts';

/** Times are epoch ms in every row and record: nothing here formats or parses ISO text. */
export const toIso = (ms: number): string => new Date(ms).toISOString();

const flag = (value: boolean): number => (value ? 1 : 0);

/** Whether a stored row (`SELECT *`, which may have more columns) already holds every value of `row`. */
export function sameValues<T extends object>(stored: T, row: T): boolean {
  for (const key of Object.keys(row) as (keyof T)[]) if (stored[key] !== row[key]) return false;
  return true;
}

export interface ProjectRow {
  project_id: string;
  name: string;
  plan: Plan;
  max_age_days: number | null;
  max_logs: number | null;
  created_at: number;
  log_count: number;
  logs_dropped: number;
  /** JSON `{ keys, patterns }`; NULL for none (schema version 6). */
  redaction_rules: string | null;
}

export function projectFromRow(row: ProjectRow): Project {
  return {
    projectId: row.project_id,
    name: row.name,
    plan: row.plan,
    limits: { maxAgeDays: row.max_age_days, maxLogs: row.max_logs },
    createdAt: toIso(row.created_at),
  };
}

export interface ToolCallRow {
  project_id: string;
  trace_id: string;
  span_id: string;
  type: ToolCallType;
  tool_name: string | null;
  integration: string | null;
  user_id: string | null;
  status: ToolCallStatus;
  http_status: number | null;
  error_code: string | null;
  error_message: string | null;
  error_category: ErrorCategory | null;
  error_group: string | null;
  tool_call_id: string | null;
  started_at: number;
  duration_ms: number;
  parameters: string | null;
  /** 1: the span names no user itself (user-inheritance.ts may still give it an ancestor's). */
  user_inherited: 0 | 1;
}

export function toolCallToRow(projectId: string, fact: ToolCallFact): ToolCallRow {
  return {
    project_id: projectId,
    trace_id: fact.traceId,
    span_id: fact.spanId,
    type: fact.type,
    tool_name: fact.toolName,
    integration: fact.integration,
    user_id: fact.userId,
    status: fact.status,
    http_status: fact.httpStatus,
    error_code: fact.errorCode,
    error_message: fact.errorMessage,
    error_category: fact.errorCategory,
    error_group: fact.errorGroup,
    tool_call_id: fact.toolCallId,
    started_at: fact.startedAtMs,
    duration_ms: fact.durationMs,
    parameters: fact.parameters,
    user_inherited: fact.userInherited ? 1 : 0,
  };
}

export function toolCallFromRow(row: ToolCallRow): StoredToolCall {
  return {
    traceId: row.trace_id,
    spanId: row.span_id,
    requestId: toRequestId(row.trace_id),
    projectId: row.project_id,
    type: row.type,
    toolName: row.tool_name,
    integration: row.integration,
    userId: row.user_id,
    status: row.status,
    httpStatus: row.http_status,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    errorCategory: row.error_category,
    errorGroup: row.error_group,
    toolCallId: row.tool_call_id,
    startedAtMs: row.started_at,
    durationMs: row.duration_ms,
    parameters: row.parameters,
  };
}

export interface TriggerEventRow {
  project_id: string;
  trace_id: string;
  event_id: string | null;
  type: TriggerEventType;
  trigger_id: string | null;
  trigger_name: string | null;
  integration: string | null;
  subscription_model: SubscriptionModel | null;
  root_user_id: string | null;
  /** JSON array of strings. */
  user_ids: string;
  received_at: number;
  root_seen: number;
  processing_failed: number;
  status: TriggerEventStatus;
  delivery_count: number;
  failed_delivery_count: number;
}

export function triggerEventFromRow(row: TriggerEventRow): StoredTriggerEvent {
  return {
    eventId: row.event_id,
    traceId: row.trace_id,
    projectId: row.project_id,
    type: row.type,
    triggerId: row.trigger_id,
    triggerName: row.trigger_name,
    integration: row.integration,
    subscriptionModel: row.subscription_model,
    userIds: JSON.parse(row.user_ids) as string[],
    receivedAtMs: row.received_at,
    status: row.status,
    deliveryCount: row.delivery_count,
    failedDeliveryCount: row.failed_delivery_count,
  };
}

export interface DeliveryAttemptRow {
  project_id: string;
  trace_id: string;
  span_id: string;
  delivery_id: string;
  event_id: string | null;
  trigger_id: string | null;
  attempt: number;
  final: number;
  user_id: string | null;
  webhook_url: string | null;
  http_status: number | null;
  succeeded: number;
  started_at: number;
  duration_ms: number;
}

export function deliveryAttemptToRow(projectId: string, fact: DeliveryAttemptFact): DeliveryAttemptRow {
  return {
    project_id: projectId,
    trace_id: fact.traceId,
    span_id: fact.spanId,
    delivery_id: fact.deliveryId,
    event_id: fact.eventId,
    trigger_id: fact.triggerId,
    attempt: fact.attempt,
    final: flag(fact.final),
    user_id: fact.userId,
    webhook_url: fact.webhookUrl,
    http_status: fact.httpStatus,
    succeeded: flag(fact.succeeded),
    started_at: fact.startedAtMs,
    duration_ms: fact.durationMs,
  };
}

export function deliveryAttemptFromRow(row: DeliveryAttemptRow): DeliveryAttemptFact {
  return {
    traceId: row.trace_id,
    spanId: row.span_id,
    deliveryId: row.delivery_id,
    eventId: row.event_id,
    triggerId: row.trigger_id,
    attempt: row.attempt,
    final: row.final === 1,
    userId: row.user_id,
    webhookUrl: row.webhook_url,
    httpStatus: row.http_status,
    succeeded: row.succeeded === 1,
    startedAtMs: row.started_at,
    durationMs: row.duration_ms,
  };
}

export function deliveryToRow(projectId: string, delivery: StoredDelivery): DeliveryRow {
  return {
    project_id: projectId,
    delivery_id: delivery.deliveryId,
    trace_id: delivery.traceId,
    event_id: delivery.eventId,
    trigger_id: delivery.triggerId,
    user_id: delivery.userId,
    webhook_url: delivery.webhookUrl,
    status: delivery.status,
    attempts: delivery.attempts,
    created_at: delivery.createdAtMs,
    last_attempt_at: delivery.lastAttemptAtMs,
    duration_ms: delivery.durationMs,
    last_http_status: delivery.lastHttpStatus,
  };
}

/** The trace's own facts of a trigger-events row, for the shared fold (trigger-fold.ts). */
export function triggerFactsFromRow(row: TriggerEventRow): TriggerTraceFacts {
  return {
    traceId: row.trace_id,
    eventId: row.event_id,
    type: row.type,
    triggerId: row.trigger_id,
    triggerName: row.trigger_name,
    integration: row.integration,
    subscriptionModel: row.subscription_model,
    rootUserId: row.root_user_id,
    receivedAtMs: row.received_at,
    rootSeen: row.root_seen === 1,
    processingFailed: row.processing_failed === 1,
  };
}

/** A trigger-events row from the trace's facts; status and users are derived separately (deriveEvent). */
export function triggerFactsToRow(
  projectId: string,
  facts: TriggerTraceFacts,
  derived: Pick<TriggerEventRow, 'status' | 'user_ids' | 'delivery_count' | 'failed_delivery_count'>,
): TriggerEventRow {
  return {
    project_id: projectId,
    trace_id: facts.traceId,
    event_id: facts.eventId,
    type: facts.type,
    trigger_id: facts.triggerId,
    trigger_name: facts.triggerName,
    integration: facts.integration,
    subscription_model: facts.subscriptionModel,
    root_user_id: facts.rootUserId,
    user_ids: derived.user_ids,
    received_at: facts.receivedAtMs,
    root_seen: flag(facts.rootSeen),
    processing_failed: flag(facts.processingFailed),
    status: derived.status,
    delivery_count: derived.delivery_count,
    failed_delivery_count: derived.failed_delivery_count,
  };
}

export interface DeliveryRow {
  project_id: string;
  delivery_id: string;
  trace_id: string;
  event_id: string | null;
  trigger_id: string | null;
  user_id: string | null;
  webhook_url: string | null;
  status: DeliveryStatus;
  attempts: number;
  created_at: number;
  last_attempt_at: number;
  duration_ms: number;
  last_http_status: number | null;
}

export function deliveryFromRow(row: DeliveryRow): StoredDelivery {
  return {
    deliveryId: row.delivery_id,
    eventId: row.event_id,
    traceId: row.trace_id,
    triggerId: row.trigger_id,
    userId: row.user_id,
    webhookUrl: row.webhook_url,
    status: row.status,
    attempts: row.attempts,
    createdAtMs: row.created_at,
    lastAttemptAtMs: row.last_attempt_at,
    durationMs: row.duration_ms,
    lastHttpStatus: row.last_http_status,
  };
}
