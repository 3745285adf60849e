/**
 * Builders of IngestBatch facts for the conformance suite. IDs are random per
 * call so tests sharing a store never collide; times are epoch ms relative to
 * the test's clock.
 */
import { randomBytes } from 'node:crypto';
import type {
  DeliveryAttemptFact,
  IngestBatch,
  LogFact,
  ToolCallFact,
  TriggerEventType,
  TriggerFact,
} from '@tooltrace/conventions';
import { toRequestId } from '@tooltrace/conventions';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const newTraceId = (): string => randomBytes(16).toString('hex');
export const newSpanId = (): string => randomBytes(8).toString('hex');
export const iso = (ms: number): string => new Date(ms).toISOString();

export function batch(parts: Partial<IngestBatch>): IngestBatch {
  return { toolCalls: [], triggers: [], deliveryAttempts: [], logs: [], ...parts };
}

export function toolCall(overrides: Partial<ToolCallFact> & { at: number }): ToolCallFact {
  const { at, ...rest } = overrides;
  const traceId = rest.traceId ?? newTraceId();
  return {
    traceId,
    spanId: newSpanId(),
    requestId: toRequestId(traceId),
    type: 'run_tool',
    toolName: 'SLACK_SEND_MESSAGE',
    integration: 'slack',
    userId: 'user-1',
    status: 'success',
    httpStatus: 200,
    errorCode: null,
    errorMessage: null,
    errorCategory: null,
    errorGroup: null,
    toolCallId: null,
    startedAtMs: at,
    durationMs: 12,
    parameters: '{"channel":"#general"}',
    ...rest,
  };
}

export function log(overrides: Partial<LogFact> & { traceId: string; at: number }): LogFact {
  const { at, ...rest } = overrides;
  return {
    id: `log-${randomBytes(6).toString('hex')}`,
    spanId: newSpanId(),
    parentSpanId: null,
    source: 'span',
    timeMs: at,
    subMsNanos: 0,
    level: 'info',
    kind: 'internal',
    name: 'step',
    message: 'did a step',
    attributes: { 'tooltrace.kind': 'internal' },
    durationMs: 1,
    body: null,
    serviceName: 'conformance',
    ...rest,
  };
}

/** A whole tool-call trace: the call, its root span log and `children` child span logs. */
export function toolCallTrace(
  overrides: Partial<ToolCallFact> & { at: number },
  children = 0,
): { call: ToolCallFact; logs: LogFact[]; batch: IngestBatch } {
  const call = toolCall(overrides);
  const root = log({
    traceId: call.traceId,
    spanId: call.spanId,
    at: overrides.at,
    kind: 'tool_call',
    name: `run_tool ${call.toolName}`,
    level: call.status === 'error' ? 'error' : 'info',
  });
  const logs = [root];
  for (let i = 0; i < children; i += 1) {
    logs.push(
      log({ traceId: call.traceId, parentSpanId: call.spanId, at: overrides.at + i + 1, kind: 'provider_request' }),
    );
  }
  return { call, logs, batch: batch({ toolCalls: [call], logs }) };
}

export interface RootOptions {
  traceId: string;
  at: number;
  type?: TriggerEventType;
  eventId?: string;
  triggerId?: string;
  triggerName?: string;
  integration?: string;
  userId?: string | null;
  failed?: boolean;
}

export function triggerRoot(o: RootOptions): TriggerFact {
  return {
    traceId: o.traceId,
    spanId: newSpanId(),
    type: o.type ?? 'event',
    root: {
      eventId: o.eventId ?? `evt_${randomBytes(6).toString('hex')}`,
      triggerId: o.triggerId ?? 'trg_1',
      triggerName: o.triggerName ?? 'SALESFORCE_RECORD_CREATED',
      integration: o.integration ?? 'salesforce',
      subscriptionModel: 'POLLING',
      userId: o.userId === undefined ? 'user-1' : o.userId,
      receivedAtMs: o.at,
      failed: o.failed ?? false,
    },
    processingFailed: false,
    observedAtMs: o.at,
  };
}

export function triggerChild(o: {
  traceId: string;
  at: number;
  type?: TriggerEventType;
  processingFailed?: boolean;
}): TriggerFact {
  return {
    traceId: o.traceId,
    spanId: newSpanId(),
    type: o.type ?? 'event',
    root: null,
    processingFailed: o.processingFailed ?? false,
    observedAtMs: o.at,
  };
}

export function attempt(
  overrides: Partial<DeliveryAttemptFact> & { traceId: string; deliveryId: string; at: number },
): DeliveryAttemptFact {
  const { at, ...rest } = overrides;
  return {
    spanId: newSpanId(),
    eventId: null,
    triggerId: 'trg_1',
    attempt: 1,
    final: false,
    userId: 'user-1',
    webhookUrl: 'https://customer.example/webhook',
    httpStatus: 200,
    succeeded: true,
    startedAtMs: at,
    durationMs: 30,
    ...rest,
  };
}

/** A trigger event with its root and `deliveries` successful single-attempt deliveries. */
export function triggerTrace(o: Omit<RootOptions, 'traceId'> & { traceId?: string; deliveries?: number }): {
  traceId: string;
  eventId: string;
  batch: IngestBatch;
} {
  const traceId = o.traceId ?? newTraceId();
  const root = triggerRoot({ ...o, traceId });
  const attempts = Array.from({ length: o.deliveries ?? 0 }, (_, i) =>
    attempt({ traceId, deliveryId: `dlv_${randomBytes(6).toString('hex')}`, at: o.at + i + 1, final: true }),
  );
  const logs = [log({ traceId, spanId: root.spanId, at: o.at, kind: 'trigger_event', name: 'trigger_event' })];
  return { traceId, eventId: root.root!.eventId, batch: batch({ triggers: [root], deliveryAttempts: attempts, logs }) };
}
