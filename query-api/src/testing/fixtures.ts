/**
 * Test-only builders of IngestBatch facts: what the collector would hand the
 * store for one tool-call trace or one trigger-event trace. IDs are random per
 * call; times are epoch ms.
 */
import { randomBytes } from 'node:crypto';
import {
  type DeliveryAttemptFact,
  emptyBatch,
  type IngestBatch,
  type LogFact,
  type ToolCall,
  type ToolCallFact,
  type ToolCallStatus,
  type ToolCallType,
  type TooltraceSpanKind,
  type TriggerFact,
  toRequestId,
} from '@tooltrace/conventions';

export const newTraceId = () => randomBytes(16).toString('hex');
export const newSpanId = () => randomBytes(8).toString('hex');

/**
 * The ToolCall the API answers for a fact, written out here rather than through serialise.ts, so the
 * tests pin the JSON (ISO 8601 in UTC) whatever the store and serialiser do.
 */
export function expectedToolCallJson(projectId: string, { startedAtMs, ...fact }: ToolCallFact): ToolCall {
  return { ...fact, projectId, startedAt: new Date(startedAtMs).toISOString() };
}

export function spanLog(input: {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  at: number;
  kind: TooltraceSpanKind;
  name: string;
  error?: boolean;
  durationMs?: number;
}): LogFact {
  return {
    id: `${input.traceId}:${input.spanId}`,
    traceId: input.traceId,
    spanId: input.spanId,
    parentSpanId: input.parentSpanId,
    source: 'span',
    timeMs: input.at,
    subMsNanos: 0,
    level: input.error ? 'error' : 'info',
    kind: input.kind,
    name: input.name,
    message: input.name,
    attributes: { 'tooltrace.kind': input.kind },
    durationMs: input.durationMs ?? 10,
    body: input.error ? '{"ok":false}' : null,
    serviceName: 'test-service',
  };
}

export interface ToolCallInput {
  at: number;
  integration?: string | null;
  toolName?: string | null;
  userId?: string | null;
  status?: ToolCallStatus;
  type?: ToolCallType;
  parameters?: string | null;
  traceId?: string;
  toolCallId?: string;
}

/** One tool-call trace: the call, its root span and one provider request inside it. */
export function toolCallTrace(input: ToolCallInput): { fact: ToolCallFact; batch: IngestBatch } {
  const traceId = input.traceId ?? newTraceId();
  const rootSpanId = newSpanId();
  const status = input.status ?? 'success';
  const type = input.type ?? 'run_tool';
  const toolName = input.toolName === undefined ? (type === 'run_tool' ? 'SLACK_SEND_MESSAGE' : null) : input.toolName;
  const fact: ToolCallFact = {
    traceId,
    spanId: rootSpanId,
    requestId: toRequestId(traceId),
    type,
    toolName,
    integration: input.integration === undefined ? 'slack' : input.integration,
    userId: input.userId === undefined ? 'alice' : input.userId,
    status,
    httpStatus: status === 'success' ? 200 : 403,
    errorCode: status === 'success' ? null : '41070',
    errorMessage: status === 'success' ? null : 'provider refused',
    errorCategory: status === 'success' ? null : 'permission_denied',
    errorGroup: status === 'success' ? null : 'a1b2c3d4e5f60718',
    toolCallId: input.toolCallId ?? null,
    startedAtMs: input.at,
    durationMs: 120,
    parameters: input.parameters === undefined ? '{"channel":"#general"}' : input.parameters,
  };
  const batch = emptyBatch();
  batch.toolCalls.push(fact);
  batch.logs.push(
    spanLog({
      traceId,
      spanId: rootSpanId,
      parentSpanId: null,
      at: input.at,
      kind: 'tool_call',
      name: `${type} ${toolName ?? ''}`.trim(),
      error: status === 'error',
      durationMs: 120,
    }),
    spanLog({
      traceId,
      spanId: newSpanId(),
      parentSpanId: rootSpanId,
      at: input.at + 5,
      kind: 'provider_request',
      name: 'POST chat.postMessage',
      error: status === 'error',
      durationMs: 80,
    }),
  );
  return { fact, batch };
}

export interface TriggerInput {
  at: number;
  integration?: string;
  triggerName?: string;
  userId?: string;
  /** Outcome of the single delivery; 'none' = no delivery seen yet (queued). */
  delivery?: 'succeeded' | 'failed' | 'none';
  processingFailed?: boolean;
  type?: 'event' | 'subscription';
  eventId?: string;
}

/** One trigger-event (or subscription) trace: its root and at most one delivery attempt. */
export function triggerTrace(input: TriggerInput): { traceId: string; eventId: string; batch: IngestBatch } {
  const traceId = newTraceId();
  const rootSpanId = newSpanId();
  const eventId = input.eventId ?? `evt_${randomBytes(6).toString('hex')}`;
  const type = input.type ?? 'event';
  const userId = input.userId ?? 'alice';
  const trigger: TriggerFact = {
    traceId,
    spanId: rootSpanId,
    type,
    root: {
      eventId,
      triggerId: 'trg_1',
      triggerName: input.triggerName ?? 'SALESFORCE_RECORD_CREATED',
      integration: input.integration ?? 'salesforce',
      subscriptionModel: 'WEBHOOK',
      userId,
      receivedAtMs: input.at,
      failed: input.processingFailed ?? false,
    },
    processingFailed: input.processingFailed ?? false,
    observedAtMs: input.at,
  };
  const batch = emptyBatch();
  batch.triggers.push(trigger);
  const rootKind = type === 'event' ? 'trigger_event' : 'trigger_subscription';
  batch.logs.push(
    spanLog({
      traceId,
      spanId: rootSpanId,
      parentSpanId: null,
      at: input.at,
      kind: rootKind,
      name: rootKind,
      error: input.processingFailed,
    }),
  );
  const delivery = input.delivery ?? 'succeeded';
  if (delivery !== 'none' && type === 'event') {
    const spanId = newSpanId();
    const attempt: DeliveryAttemptFact = {
      traceId,
      spanId,
      deliveryId: `dlv_${randomBytes(6).toString('hex')}`,
      eventId,
      triggerId: 'trg_1',
      attempt: 1,
      final: true,
      userId,
      webhookUrl: 'https://customer.example/webhook',
      httpStatus: delivery === 'succeeded' ? 200 : 500,
      succeeded: delivery === 'succeeded',
      startedAtMs: input.at + 20,
      durationMs: 30,
    };
    batch.deliveryAttempts.push(attempt);
    batch.logs.push(
      spanLog({
        traceId,
        spanId,
        parentSpanId: rootSpanId,
        at: input.at + 20,
        kind: 'trigger_delivery',
        name: 'deliver',
        error: delivery === 'failed',
      }),
    );
  }
  return { traceId, eventId, batch };
}

/** Merges batches into one (one store write). */
export function merge(batches: IngestBatch[]): IngestBatch {
  const out = emptyBatch();
  for (const b of batches) {
    out.toolCalls.push(...b.toolCalls);
    out.triggers.push(...b.triggers);
    out.deliveryAttempts.push(...b.deliveryAttempts);
    out.logs.push(...b.logs);
  }
  return out;
}
