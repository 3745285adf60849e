/** The status rules of DESIGN §4, as pure functions of the facts seen so far. */
import type { DeliveryStatus, ToolCallStatus, TriggerEventStatus, TriggerEventType } from './records.ts';

export interface DeliveryAttemptOutcome {
  succeeded: boolean;
  final: boolean;
}

/** `succeeded` when any attempt got 2xx, `failed` when a final attempt failed, `pending` otherwise. */
export function deliveryStatus(attempts: readonly DeliveryAttemptOutcome[]): DeliveryStatus {
  if (attempts.some((a) => a.succeeded)) return 'succeeded';
  if (attempts.some((a) => a.final)) return 'failed';
  return 'pending';
}

export interface TriggerStatusInput {
  type: TriggerEventType;
  /** The root ended in ERROR, an internal child failed, or a final webhook creation failed. */
  processingFailed: boolean;
  /** The root span has arrived (for a subscription: it completed). */
  rootSeen: boolean;
  deliveries: readonly DeliveryStatus[];
}

/** First match wins: processing failure, delivery failures, success, queued. */
export function triggerEventStatus(input: TriggerStatusInput): TriggerEventStatus {
  if (input.processingFailed) return 'processing_failure';
  if (input.deliveries.includes('failed')) return 'delivery_failures';
  if (input.type === 'subscription') return input.rootSeen ? 'success' : 'queued';
  if (input.deliveries.length > 0 && input.deliveries.every((d) => d === 'succeeded')) return 'success';
  return 'queued';
}

export const TRIGGER_EVENT_STATUS_LABELS: Record<TriggerEventStatus, string> = {
  processing_failure: 'Processing Failure',
  delivery_failures: 'Delivery Failures',
  success: 'Success',
  queued: 'Queued',
};

export const TOOL_CALL_STATUS_LABELS: Record<ToolCallStatus, string> = {
  success: 'Success',
  error: 'Error',
};

export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  pending: 'Pending',
};

/** An HTTP status counts as success when it is 2xx. */
export function isHttpSuccess(status: number | null | undefined): boolean {
  return typeof status === 'number' && status >= 200 && status < 300;
}
