/**
 * Run as a separate process by the integration test: a delivery worker that
 * only has the event's saved context (as a retry worker hours later would),
 * makes one delivery attempt, and exits after flushing.
 *
 * env: COLLECTOR_URL, INGEST_KEY, SAVED_CONTEXT, WEBHOOK_URL, DELIVERY_ID
 */
import { init, traceDeliveryAttempt } from '@tooltrace/instrumentation';

const need = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const handle = init({ serviceName: 'delivery-worker', endpoint: need('COLLECTOR_URL'), apiKey: need('INGEST_KEY') });
try {
  const outcome = await traceDeliveryAttempt(
    {
      deliveryId: need('DELIVERY_ID'),
      attempt: 2,
      final: true,
      webhookUrl: need('WEBHOOK_URL'),
      userId: 'user-child',
      parent: need('SAVED_CONTEXT'),
    },
    (attempt) => {
      process.stdout.write(`${JSON.stringify({ traceId: attempt.span.spanContext().traceId })}\n`);
      return fetch(need('WEBHOOK_URL'), { method: 'POST', body: '{}' });
    },
  );
  await outcome.result.arrayBuffer();
} finally {
  await handle.shutdown();
}
