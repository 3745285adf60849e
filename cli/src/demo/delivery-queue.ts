/**
 * The platform's delivery worker: sends trigger events to the customer's
 * webhook and retries failures. Each attempt continues the event's trace from
 * the context saved when the event was processed, although the event's root
 * span ended long before. Backoff is compressed to "now" so the demo finishes
 * in seconds, except when the receiver asks for a long Retry-After: that retry
 * stays queued past the end of the demo, as a pending delivery.
 */
import { traceDeliveryAttempt } from '@tooltrace/instrumentation';
import { DELIVERY_ID_HEADER } from './customer-webhooks.ts';

export interface QueuedDelivery {
  deliveryId: string;
  eventId: string;
  userId: string;
  webhookUrl: string;
  /** `serializeContext()` of the event, saved at enqueue time. */
  savedContext: string;
  payload: unknown;
}

interface Scheduled extends QueuedDelivery {
  attempt: number;
  notBefore: number;
}

/** Retry-After values up to this are waited for immediately (compressed); longer ones stay queued. */
const LONG_RETRY_AFTER_SECONDS = 60;

export class DeliveryQueue {
  private readonly due: Scheduled[] = [];
  private readonly deferred: Scheduled[] = [];

  constructor(
    private readonly maxAttempts = 3,
    private readonly now: () => number = Date.now,
  ) {}

  enqueue(delivery: QueuedDelivery): void {
    this.due.push({ ...delivery, attempt: 1, notBefore: this.now() });
  }

  /** Deliveries waiting for a later retry (pending when the demo ends). */
  get waiting(): number {
    return this.deferred.length;
  }

  /** Attempts every due delivery, one at a time, until none is due. */
  async drain(): Promise<void> {
    for (let next = this.due.shift(); next; next = this.due.shift()) {
      await this.attempt(next);
    }
  }

  private async attempt(delivery: Scheduled): Promise<void> {
    const final = delivery.attempt >= this.maxAttempts;
    let retryAfterSeconds = 0;
    let succeeded = false;
    try {
      const outcome = await traceDeliveryAttempt(
        {
          deliveryId: delivery.deliveryId,
          attempt: delivery.attempt,
          final,
          webhookUrl: delivery.webhookUrl,
          userId: delivery.userId,
          parent: delivery.savedContext,
        },
        () =>
          fetch(delivery.webhookUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', [DELIVERY_ID_HEADER]: delivery.deliveryId },
            body: JSON.stringify(delivery.payload),
          }),
      );
      await outcome.result.arrayBuffer();
      succeeded = outcome.succeeded;
      retryAfterSeconds = Number(outcome.result.headers.get('retry-after') ?? 0) || 0;
    } catch {
      // A network failure is a failed attempt; the span already recorded it.
    }
    if (succeeded || final) return;
    const retry = { ...delivery, attempt: delivery.attempt + 1 };
    if (retryAfterSeconds > LONG_RETRY_AFTER_SECONDS) {
      this.deferred.push({ ...retry, notBefore: this.now() + retryAfterSeconds * 1000 });
    } else {
      this.due.push({ ...retry, notBefore: this.now() });
    }
  }
}
