/** Trigger traces: events (detection, mapping, deliveries with retries) and subscriptions (webhook creation). */
import {
  ATTR_DELIVERY_ATTEMPT,
  ATTR_DELIVERY_FINAL,
  ATTR_DELIVERY_ID,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_TRIGGER_EVENT_ID,
  ATTR_TRIGGER_ID,
  ATTR_TRIGGER_NAME,
  ATTR_TRIGGER_RECORDS_NEW,
  ATTR_TRIGGER_RECORDS_UPDATED,
  ATTR_TRIGGER_SUBSCRIPTION_ACTION,
  ATTR_TRIGGER_SUBSCRIPTION_MODEL,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
  ATTR_USER_ID,
  ATTR_WEBHOOK_CREATE_FINAL,
  type SubscriptionModel,
} from '@tooltrace/conventions';
import { INTERNAL_STEPS, WEBHOOK_URLS } from './catalog.ts';
import { type ModelLogRecord, type ModelSpan, type ModelTrace, newSpan, type TraceContext } from './trace-model.ts';

const triggerIds = new Map<string, string>();
/** A trigger's ID is stable per trigger name, like a real subscription catalogue. */
function triggerIdFor(name: string): string {
  let id = triggerIds.get(name);
  if (!id) {
    let h = 2166136261;
    for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
    id = `trg_${(h >>> 0).toString(16).padStart(8, '0')}`;
    triggerIds.set(name, id);
  }
  return id;
}

export function triggerEventTrace(ctx: TraceContext): ModelTrace {
  const { rng, integration } = ctx;
  const triggerName = rng.pick(integration.triggers);
  const model: SubscriptionModel = rng.chance(0.6) ? 'POLLING' : 'WEBHOOK';
  const eventId = `evt_${rng.hex(24)}`;
  const processingFails = rng.chance(0.03);
  const root = newSpan(ctx, null, {
    name: `trigger_event ${triggerName}`,
    spanKind: 'consumer',
    kind: 'trigger_event',
    startUs: ctx.startUs,
    durationUs: 0,
    attributes: {
      [ATTR_TRIGGER_EVENT_ID]: eventId,
      [ATTR_TRIGGER_ID]: triggerIdFor(triggerName),
      [ATTR_TRIGGER_NAME]: triggerName,
      [ATTR_TRIGGER_SUBSCRIPTION_MODEL]: model,
      [ATTR_USER_ID]: ctx.userId,
    },
  });
  const spans: ModelSpan[] = [root];
  const logRecords: ModelLogRecord[] = [];
  let cursorUs = ctx.startUs + rng.int(100, 900);

  const detectionUs = rng.int(5_000, 400_000);
  spans.push(
    model === 'POLLING'
      ? newSpan(ctx, root, {
          name: 'trigger_poll',
          spanKind: 'internal',
          kind: 'trigger_poll',
          startUs: cursorUs,
          durationUs: detectionUs,
          attributes: { [ATTR_TRIGGER_RECORDS_NEW]: rng.int(0, 20), [ATTR_TRIGGER_RECORDS_UPDATED]: rng.int(0, 40) },
        })
      : newSpan(ctx, root, {
          name: 'trigger_webhook_received',
          spanKind: 'server',
          kind: 'trigger_webhook_received',
          startUs: cursorUs,
          durationUs: detectionUs,
          attributes: {
            [ATTR_HTTP_REQUEST_METHOD]: 'POST',
            [ATTR_URL_PATH]: `/webhooks/${integration.name}/${rng.hex(12)}`,
          },
        }),
  );
  cursorUs += detectionUs;
  logRecords.push({
    traceId: ctx.traceId,
    spanId: root.spanId,
    timeUs: cursorUs,
    severity: 'INFO',
    body: `${triggerName} event detected`,
    attributes: {
      'tooltrace.trigger.payload': JSON.stringify({ id: rng.hex(18), summary: rng.text(rng.int(80, 500)) }),
    },
  });

  const mapUs = rng.int(200, 8_000);
  const mapping = newSpan(ctx, root, {
    name: 'map_records',
    spanKind: 'internal',
    kind: 'internal',
    startUs: cursorUs,
    durationUs: mapUs,
    attributes: {},
    error: processingFails,
    statusMessage: processingFails ? 'record mapping failed: unexpected null in required field' : null,
  });
  spans.push(mapping);
  cursorUs += mapUs;
  root.durationUs = cursorUs - ctx.startUs + rng.int(100, 500);

  if (!processingFails) {
    const deliveries = rng.int(1, 4);
    for (let d = 0; d < deliveries; d++) {
      const deliveryId = `dlv_${rng.hex(20)}`;
      const webhookUrl = rng.pick(WEBHOOK_URLS);
      const roll = rng.next();
      // 85% succeed first time, 9% after a retry, 4% fail for good, 2% still pending a retry.
      const outcomes: boolean[] =
        roll < 0.85 ? [true] : roll < 0.94 ? [false, true] : roll < 0.98 ? [false, false, false] : [false];
      const pendingRetry = roll >= 0.98;
      // Deliveries start after the root ended, attempts minutes apart (a child may start after its parent ended).
      let attemptUs = cursorUs + rng.int(1_000, 50_000);
      outcomes.forEach((ok, a) => {
        const final = ok || (a === outcomes.length - 1 && !pendingRetry);
        const httpStatus = ok ? 200 : rng.pick([500, 502, 503, 504, 410, 404]);
        const durationUs = rng.int(20_000, 1_500_000);
        const span = newSpan(ctx, root, {
          name: 'trigger_delivery',
          spanKind: 'client',
          kind: 'trigger_delivery',
          startUs: attemptUs,
          durationUs,
          attributes: {
            [ATTR_DELIVERY_ID]: deliveryId,
            [ATTR_DELIVERY_ATTEMPT]: a + 1,
            [ATTR_DELIVERY_FINAL]: final,
            [ATTR_URL_FULL]: webhookUrl,
            [ATTR_USER_ID]: ctx.userId,
            [ATTR_HTTP_RESPONSE_STATUS_CODE]: httpStatus,
          },
          error: !ok,
          statusMessage: ok ? null : `webhook answered ${httpStatus}`,
        });
        if (!final)
          span.events.push({
            name: 'delivery.retry_scheduled',
            timeUs: attemptUs + durationUs,
            attributes: { 'retry.delay_ms': 60_000 * 2 ** a },
          });
        spans.push(span);
        attemptUs += durationUs + 60_000_000 * 2 ** a;
      });
    }
  }
  return { traceId: ctx.traceId, kind: 'trigger_event', startUs: ctx.startUs, spans, logRecords };
}

export function subscriptionTrace(ctx: TraceContext): ModelTrace {
  const { rng, integration } = ctx;
  const triggerName = rng.pick(integration.triggers);
  const failsForGood = rng.chance(0.1);
  const root = newSpan(ctx, null, {
    name: `trigger_subscription ${triggerName}`,
    spanKind: 'server',
    kind: 'trigger_subscription',
    startUs: ctx.startUs,
    durationUs: 0,
    attributes: {
      [ATTR_TRIGGER_EVENT_ID]: `sub_${rng.hex(24)}`,
      [ATTR_TRIGGER_ID]: triggerIdFor(triggerName),
      [ATTR_TRIGGER_NAME]: triggerName,
      [ATTR_TRIGGER_SUBSCRIPTION_MODEL]: 'WEBHOOK',
      [ATTR_TRIGGER_SUBSCRIPTION_ACTION]: 'subscribe',
      [ATTR_USER_ID]: ctx.userId,
    },
  });
  const spans: ModelSpan[] = [root];
  let cursorUs = ctx.startUs + rng.int(100, 900);
  const attempts = failsForGood ? 2 : rng.chance(0.1) ? 2 : 1;
  for (let a = 0; a < attempts; a++) {
    const last = a === attempts - 1;
    const ok = last && !failsForGood;
    const durationUs = rng.int(80_000, 900_000);
    spans.push(
      newSpan(ctx, root, {
        name: 'trigger_webhook_create',
        spanKind: 'client',
        kind: 'trigger_webhook_create',
        startUs: cursorUs,
        durationUs,
        attributes: {
          [ATTR_WEBHOOK_CREATE_FINAL]: last,
          [ATTR_HTTP_REQUEST_METHOD]: 'POST',
          [ATTR_URL_FULL]: `${integration.apiBase}/webhooks`,
          [ATTR_HTTP_RESPONSE_STATUS_CODE]: ok ? 201 : 403,
        },
        error: !ok,
        statusMessage: ok ? null : 'webhook creation refused: missing scope',
      }),
    );
    cursorUs += durationUs + rng.int(500, 5_000);
  }
  spans.push(
    newSpan(ctx, root, {
      name: INTERNAL_STEPS[0],
      spanKind: 'internal',
      kind: 'internal',
      startUs: cursorUs,
      durationUs: rng.int(100, 3_000),
      attributes: {},
    }),
  );
  root.durationUs = cursorUs - ctx.startUs + 4_000;
  return { traceId: ctx.traceId, kind: 'trigger_subscription', startUs: ctx.startUs, spans, logRecords: [] };
}
