import { context, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { traceInternalStep } from './internal-step.ts';
import { logger } from './logger.ts';
import { fromSerializedContext, InvalidSerializedContextError, serializeContext } from './serialized-context.ts';
import { type InMemorySdk, initInMemory, spanByKind, startTestServer } from './test-support.ts';
import {
  recordPollDetection,
  recordWebhookCreation,
  recordWebhookReceived,
  traceDeliveryAttempt,
  traceSubscription,
  traceTriggerEvent,
} from './triggers.ts';

let sdk: InMemorySdk | undefined;
afterEach(async () => {
  await sdk?.handle.shutdown();
  sdk = undefined;
});

const EVENT = {
  eventId: 'evt-1',
  triggerId: 'trg-1',
  triggerName: 'SALESFORCE_RECORD_CREATED',
  integration: 'salesforce',
  subscriptionModel: 'POLLING' as const,
};

describe('trigger events', () => {
  it('when deliveries run after the root ended, from its saved context, then they land in the event trace', async () => {
    sdk = initInMemory();
    const event = await traceTriggerEvent(EVENT, () => {
      recordPollDetection({ newRecords: 2, updatedRecords: 1, records: [{ id: 'a' }] });
      return 'queued';
    });
    expect(event.result).toBe('queued');
    expect(event.savedContext).toBeTypeOf('string');

    // Later, outside any context: a retry worker with only the saved text.
    const first = await context.with(context.active(), () =>
      traceDeliveryAttempt(
        {
          deliveryId: 'dlv-1',
          attempt: 1,
          final: false,
          webhookUrl: 'https://customer.test/hook',
          userId: 'u1',
          parent: event.savedContext!,
        },
        (attempt) => attempt.setHttpStatus(503),
      ),
    );
    const second = await traceDeliveryAttempt(
      {
        deliveryId: 'dlv-1',
        attempt: 2,
        final: true,
        webhookUrl: 'https://customer.test/hook',
        userId: 'u1',
        parent: event.savedContext!,
      },
      () => new Response('ok', { status: 200 }),
    );
    expect(first.succeeded).toBe(false);
    expect(second).toMatchObject({ succeeded: true, httpStatus: 200 });

    const spans = await sdk.finished();
    const [root] = spanByKind(spans, 'trigger_event');
    const deliveries = spanByKind(spans, 'trigger_delivery');
    const [poll] = spanByKind(spans, 'trigger_poll');
    expect(root?.attributes).toMatchObject({
      'tooltrace.trigger.event_id': 'evt-1',
      'tooltrace.trigger.id': 'trg-1',
      'tooltrace.trigger.name': 'SALESFORCE_RECORD_CREATED',
      'tooltrace.trigger.subscription_model': 'POLLING',
      'tooltrace.integration': 'salesforce',
    });
    expect(poll?.attributes).toMatchObject({
      'tooltrace.trigger.records.new': 2,
      'tooltrace.trigger.records.updated': 1,
    });
    const traceId = root?.spanContext().traceId;
    expect(traceId).toBe(event.traceId);
    expect(new Set([poll, ...deliveries].map((span) => span?.spanContext().traceId))).toEqual(new Set([traceId]));
    expect(deliveries.map((span) => span.parentSpanContext?.spanId)).toEqual([
      root?.spanContext().spanId,
      root?.spanContext().spanId,
    ]);
    expect(deliveries[0]?.attributes).toMatchObject({
      'tooltrace.delivery.id': 'dlv-1',
      'tooltrace.delivery.attempt': 1,
      'tooltrace.delivery.final': false,
      'tooltrace.trigger.event_id': 'evt-1',
      'tooltrace.trigger.id': 'trg-1',
      'http.response.status_code': 503,
      'url.full': 'https://customer.test/hook',
      'user.id': 'u1',
    });
    expect(deliveries[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(deliveries[1]?.attributes).toMatchObject({
      'tooltrace.delivery.final': true,
      'http.response.status_code': 200,
    });
    expect(deliveries[1]?.status.code).not.toBe(SpanStatusCode.ERROR);
    // The delivery started after its parent ended: that is allowed and expected.
    expect(Number(deliveries[1]?.startTime[0]) * 1e9 + Number(deliveries[1]?.startTime[1])).toBeGreaterThanOrEqual(
      Number(root?.endTime[0]) * 1e9 + Number(root?.endTime[1]),
    );
  });

  it('when a delivery attempt fetches the customer webhook, then the attempt is the only span of that request', async () => {
    sdk = initInMemory();
    const customer = await startTestServer((_req, res) => {
      res.statusCode = 500;
      res.end('{"error":"down"}');
    });
    try {
      const event = await traceTriggerEvent(EVENT, () => null);
      const outcome = await traceDeliveryAttempt(
        {
          deliveryId: 'd',
          attempt: 1,
          final: true,
          webhookUrl: customer.url,
          userId: 'u',
          parent: event.savedContext!,
        },
        () => fetch(customer.url, { method: 'POST' }),
      );
      expect(outcome).toMatchObject({ succeeded: false, httpStatus: 500 });
      expect(await outcome.result.text()).toBe('{"error":"down"}');
    } finally {
      await customer.close();
    }
    const spans = await sdk.finished();
    expect(spans.map((span) => span.attributes['tooltrace.kind']).sort()).toEqual([
      'trigger_delivery',
      'trigger_event',
    ]);
    const [delivery] = spanByKind(spans, 'trigger_delivery');
    expect(delivery?.attributes['tooltrace.http.response.body']).toBe('{"error":"down"}');
  });

  it('when processing throws, then the root is an error (processing failure) and the error is rethrown', async () => {
    sdk = initInMemory();
    await expect(
      traceTriggerEvent({ ...EVENT, subscriptionModel: 'WEBHOOK' }, async () => {
        recordWebhookReceived({ payload: { object: 'contact', client_secret: 's3cr3t' } });
        await traceInternalStep('map record', () => {
          throw new Error('field Email missing');
        });
      }),
    ).rejects.toThrow('field Email missing');
    const spans = await sdk.finished();
    const [root] = spanByKind(spans, 'trigger_event');
    const [step] = spanByKind(spans, 'internal');
    const [received] = spanByKind(spans, 'trigger_webhook_received');
    expect(root?.status.code).toBe(SpanStatusCode.ERROR);
    expect(step?.status.code).toBe(SpanStatusCode.ERROR);
    // Names its event, so the failure counts even if exported before the root.
    expect(step?.attributes['tooltrace.trigger.event_id']).toBe('evt-1');
    expect(JSON.parse(String(received?.attributes['tooltrace.trigger.payload']))).toEqual({
      object: 'contact',
      client_secret: '[REDACTED]',
    });
  });

  it('when a step runs outside any trigger, then it names no trigger event', async () => {
    sdk = initInMemory();
    await traceInternalStep('refresh token', () => 'ok');
    const [step] = spanByKind(await sdk.finished(), 'internal');
    expect(step?.attributes['tooltrace.kind']).toBe('internal');
    expect(step?.attributes).not.toHaveProperty('tooltrace.trigger.event_id');
  });

  it('when a subscription fails to create its webhook for good, then the last attempt is final and an error', async () => {
    sdk = initInMemory();
    await traceSubscription(
      {
        subscriptionId: 'sub-1',
        triggerId: 'trg-2',
        triggerName: 'HUBSPOT_CONTACT_CREATED',
        integration: 'hubspot',
        subscriptionModel: 'WEBHOOK',
        userId: 'u2',
      },
      () => {
        recordWebhookCreation({ attempt: 1, final: false, httpStatus: 500 });
        recordWebhookCreation({ attempt: 2, final: true, httpStatus: 403, responseBody: { message: 'missing scope' } });
      },
    );
    const spans = await sdk.finished();
    const [root] = spanByKind(spans, 'trigger_subscription');
    const creates = spanByKind(spans, 'trigger_webhook_create');
    expect(root?.attributes).toMatchObject({
      'tooltrace.trigger.event_id': 'sub-1',
      'tooltrace.trigger.subscription.action': 'subscribe',
      'user.id': 'u2',
    });
    expect(creates.map((span) => span.attributes['tooltrace.webhook_create.final'])).toEqual([false, true]);
    expect(creates.every((span) => span.status.code === SpanStatusCode.ERROR)).toBe(true);
    expect(creates[1]?.attributes['tooltrace.http.response.body']).toBe('{"message":"missing scope"}');
  });
});

describe('serialized context', () => {
  it('when there is no active span, then serializeContext says so', () => {
    expect(() => serializeContext()).toThrow(InvalidSerializedContextError);
  });

  it.each([
    ['not json', /not JSON/],
    ['{"v":9,"traceparent":"x"}', /version/],
    ['{"v":1}', /traceparent/],
    ['{"v":1,"traceparent":"00-zz-00f067aa0ba902b7-01"}', /invalid traceparent/],
    ['{"v":1,"traceparent":"00-4c7445d219724ed69e4746053bf1d45f-00f067aa0ba902b7-01","trigger":{}}', /eventId/],
  ])('when the saved text is %s, then fromSerializedContext names the problem', (text, message) => {
    expect(() => fromSerializedContext(text)).toThrow(message);
  });
});

describe('logger', () => {
  it('when logging inside a trigger event, then the record carries its trace and span', async () => {
    sdk = initInMemory();
    const event = await traceTriggerEvent(EVENT, () => {
      logger.info('polled 3 records', { 'records.count': 3 });
      logger.error('mapping failed', new Error('boom'), { password: 'x' });
    });
    await sdk.handle.forceFlush();
    const records = sdk.logs.getFinishedLogRecords();
    expect(records.map((record) => record.body)).toEqual(['polled 3 records', 'mapping failed']);
    expect(records.every((record) => record.spanContext?.traceId === event.traceId)).toBe(true);
    expect(records[1]?.severityText).toBe('ERROR');
    expect(records[1]?.attributes).toMatchObject({
      'exception.type': 'Error',
      'exception.message': 'boom',
      password: '[REDACTED]',
    });
  });
});
