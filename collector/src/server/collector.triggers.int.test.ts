/**
 * Trigger events and subscriptions, sent in several batches and out of order
 * by the official exporters to a real collector; the test then reads the real
 * SQLite store behind it.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExporterHarness, startExporterHarness } from '../testing/harness.ts';
import { EXPORT_SUCCESS, newSpanId, newTraceId, readableSpan } from '../testing/telemetry.ts';

let h: ExporterHarness;
beforeAll(async () => {
  h = await startExporterHarness();
});
afterAll(() => h?.close());

describe('trigger events arriving out of order, in several batches', () => {
  const traceId = newTraceId();
  const rootId = newSpanId();
  const attemptSpanIds = [newSpanId(), newSpanId(), newSpanId()];
  const delivery = (attempt: number, status: number, final: boolean) =>
    readableSpan({
      spanId: attemptSpanIds[attempt - 1],
      traceId,
      parentSpanId: rootId,
      name: `trigger_delivery attempt ${attempt}`,
      kind: SpanKind.PRODUCER,
      atMs: 1000 * attempt,
      status: status >= 400 ? { code: SpanStatusCode.ERROR } : { code: SpanStatusCode.UNSET },
      attributes: {
        'tooltrace.kind': 'trigger_delivery',
        'tooltrace.delivery.id': 'dlv_1',
        'tooltrace.delivery.attempt': attempt,
        'tooltrace.delivery.final': final,
        'tooltrace.trigger.event_id': 'evt_ooo',
        'url.full': 'https://hooks.example.com/in',
        'user.id': 'u1',
        'http.response.status_code': status,
      },
    });
  const root = readableSpan({
    traceId,
    spanId: rootId,
    name: 'trigger_event SALESFORCE_RECORD_CREATED',
    kind: SpanKind.CONSUMER,
    attributes: {
      'tooltrace.kind': 'trigger_event',
      'tooltrace.trigger.event_id': 'evt_ooo',
      'tooltrace.trigger.id': 'trg_1',
      'tooltrace.trigger.name': 'SALESFORCE_RECORD_CREATED',
      'tooltrace.trigger.subscription_model': 'POLLING',
      'tooltrace.integration': 'salesforce',
      'user.id': 'u1',
    },
  });

  it('then deliveries first, the root later and a final failed retry last give Delivery Failures', async () => {
    expect((await h.exporters.sendProto([delivery(2, 500, false)])).code).toBe(EXPORT_SUCCESS);
    expect((await h.exporters.sendJson([delivery(1, 503, false)])).code).toBe(EXPORT_SUCCESS);
    expect((await h.exporters.sendProtoGzip([root])).code).toBe(EXPORT_SUCCESS);

    let detail = await h.store.getTriggerEvent(h.projectId, 'evt_ooo');
    expect(detail?.event).toMatchObject({
      eventId: 'evt_ooo',
      traceId,
      type: 'event',
      triggerName: 'SALESFORCE_RECORD_CREATED',
      subscriptionModel: 'POLLING',
      status: 'queued',
    });
    expect(detail?.deliveries).toEqual([
      expect.objectContaining({ deliveryId: 'dlv_1', status: 'pending', attempts: 2, lastHttpStatus: 500 }),
    ]);

    expect((await h.exporters.sendProto([delivery(3, 502, true)])).code).toBe(EXPORT_SUCCESS);
    detail = await h.store.getTriggerEvent(h.projectId, 'evt_ooo');
    expect(detail?.event.status).toBe('delivery_failures');
    expect(detail?.deliveries[0]).toMatchObject({
      status: 'failed',
      attempts: 3,
      webhookUrl: 'https://hooks.example.com/in',
    });
    expect(detail?.logs.map((l) => l.message)).toContain('delivery 3 to https://hooks.example.com/in → 502 (final)');
  });

  it('then re-sending the same batches changes nothing', async () => {
    const before = await h.store.getTriggerEvent(h.projectId, 'evt_ooo');
    expect(before?.deliveries[0]?.attempts).toBe(3);
    for (let i = 0; i < 2; i++) {
      expect((await h.exporters.sendProto([root, delivery(1, 503, false), delivery(2, 500, false)])).code).toBe(
        EXPORT_SUCCESS,
      );
    }
    expect(await h.store.getTriggerEvent(h.projectId, 'evt_ooo')).toEqual(before);
  });
});

describe('a trigger event whose processing failed in an internal step', () => {
  it('when the failed internal step arrives in a batch before its root, then the event shows Processing Failure', async () => {
    const traceId = newTraceId();
    const rootId = newSpanId();
    const failedStep = readableSpan({
      traceId,
      parentSpanId: rootId,
      name: 'map record',
      atMs: 5,
      status: { code: SpanStatusCode.ERROR, message: 'field Amount missing' },
      attributes: { 'tooltrace.kind': 'internal', 'tooltrace.trigger.event_id': 'evt_pf' },
    });
    const root = readableSpan({
      traceId,
      spanId: rootId,
      name: 'trigger_event HUBSPOT_DEAL_CREATED',
      attributes: {
        'tooltrace.kind': 'trigger_event',
        'tooltrace.trigger.event_id': 'evt_pf',
        'tooltrace.trigger.name': 'HUBSPOT_DEAL_CREATED',
        'tooltrace.integration': 'hubspot',
      },
    });
    expect((await h.exporters.sendProto([failedStep])).code).toBe(EXPORT_SUCCESS);
    expect((await h.exporters.sendJson([root])).code).toBe(EXPORT_SUCCESS);
    const detail = await h.store.getTriggerEvent(h.projectId, 'evt_pf');
    expect(detail?.event).toMatchObject({ traceId, status: 'processing_failure', integration: 'hubspot' });
    expect(detail?.logs.find((l) => l.name === 'map record')).toMatchObject({
      level: 'error',
      message: 'map record → error: field Amount missing',
    });
  });
});

describe('a subscription whose webhook creation failed for good', () => {
  const traceId = newTraceId();
  it('then it is a subscription row with Processing Failure', async () => {
    const rootId = newSpanId();
    const spans = [
      readableSpan({
        traceId,
        spanId: rootId,
        name: 'trigger_subscription GITHUB_PUSH',
        attributes: {
          'tooltrace.kind': 'trigger_subscription',
          'tooltrace.trigger.event_id': 'sub_1',
          'tooltrace.trigger.name': 'GITHUB_PUSH',
          'tooltrace.trigger.subscription_model': 'WEBHOOK',
          'user.id': 'u9',
        },
      }),
      readableSpan({
        traceId,
        parentSpanId: rootId,
        name: 'trigger_webhook_create',
        atMs: 10,
        status: { code: SpanStatusCode.ERROR, message: 'forbidden' },
        attributes: {
          'tooltrace.kind': 'trigger_webhook_create',
          'tooltrace.webhook_create.final': true,
          'http.request.method': 'POST',
          'url.full': 'https://api.github.com/repos/x/y/hooks',
          'http.response.status_code': 403,
          'tooltrace.http.response.body': '{"message":"Resource not accessible"}',
        },
      }),
    ];
    expect((await h.exporters.sendProto(spans)).code).toBe(EXPORT_SUCCESS);
    const { items } = await h.store.listTriggerEvents(h.projectId, { type: 'subscription' }, { limit: 10 });
    expect(items).toEqual([expect.objectContaining({ traceId, type: 'subscription', status: 'processing_failure' })]);
    const { logs } = await h.trace(traceId);
    expect(logs.find((l) => l.kind === 'trigger_webhook_create')).toMatchObject({
      message: 'POST https://api.github.com/repos/x/y/hooks → 403',
      body: '{"message":"Resource not accessible"}',
    });
  });
});
