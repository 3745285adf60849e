/** mapTracesRequest: the trigger root, processing-failure and delivery-attempt facts of trigger traces. */
import { describe, expect, it } from 'vitest';
import { MAPPING_OPTIONS, makeSpan, TRACE_ID, tracesOf } from '../testing/otlp-builders.ts';
import { mapTracesRequest } from './map-spans.ts';
import type { MappingOptions } from './options.ts';

const map = (spans = [makeSpan()], opts: Partial<MappingOptions> = {}) =>
  mapTracesRequest(tracesOf(spans), { ...MAPPING_OPTIONS, ...opts });

const ERROR = { code: 2, message: '' };

describe('trigger facts', () => {
  const root = (kind: 'trigger_event' | 'trigger_subscription', extra: Record<string, string> = {}) =>
    makeSpan({
      name: `${kind} SALESFORCE_RECORD_CREATED`,
      attributes: {
        'tooltrace.kind': kind,
        'tooltrace.trigger.event_id': 'evt_1',
        'tooltrace.trigger.id': 'trg_1',
        'tooltrace.trigger.name': 'SALESFORCE_RECORD_CREATED',
        'tooltrace.trigger.subscription_model': 'polling',
        'tooltrace.integration': 'salesforce',
        'user.id': 'u1',
        ...extra,
      },
    });

  it('when a trigger_event root arrives, then it yields a root fact', () => {
    const span = root('trigger_event');
    expect(map([span]).batch.triggers).toEqual([
      {
        traceId: TRACE_ID,
        spanId: span.spanId,
        type: 'event',
        observedAtMs: Date.parse('2025-11-28T12:00:00.000Z'),
        processingFailed: false,
        root: {
          eventId: 'evt_1',
          triggerId: 'trg_1',
          triggerName: 'SALESFORCE_RECORD_CREATED',
          integration: 'salesforce',
          subscriptionModel: 'POLLING',
          userId: 'u1',
          receivedAtMs: Date.parse('2025-11-28T12:00:00.000Z'),
          failed: false,
        },
      },
    ]);
    expect(map([span]).batch.logs[0]!.message).toBe('SALESFORCE_RECORD_CREATED event evt_1 received');
  });

  it('when a subscription root carries no event ID, then its trace ID identifies it', () => {
    const span = makeSpan({ attributes: { 'tooltrace.kind': 'trigger_subscription', 'user.id': 'u1' } });
    const fact = map([span]).batch.triggers[0]!;
    expect(fact.type).toBe('subscription');
    expect(fact.root?.eventId).toBe(TRACE_ID);
  });

  it('when a root ended in ERROR, then the root fact says it failed', () => {
    const span = { ...root('trigger_event'), status: { code: 2, message: 'mapping failed' } };
    expect(map([span]).batch.triggers[0]!.root?.failed).toBe(true);
  });

  it.each([
    ['its trigger root is in the same request', true, {}, true],
    [
      'it carries trigger attributes (root sent earlier or later)',
      false,
      { 'tooltrace.trigger.event_id': 'evt_1' },
      true,
    ],
    ['nothing says the trace is a trigger trace', false, {}, false],
  ])(
    'when a failing internal span arrives and %s, then processing failure is reported: %s',
    (_, withRoot, attrs, expected) => {
      const failing = makeSpan({ status: ERROR, attributes: { 'tooltrace.kind': 'internal', ...attrs } });
      const spans = withRoot ? [root('trigger_event'), failing] : [failing];
      const facts = map(spans).batch.triggers.filter((t) => t.spanId === failing.spanId);
      expect(facts).toEqual(
        expected
          ? [
              {
                traceId: TRACE_ID,
                spanId: failing.spanId,
                type: 'event',
                root: null,
                processingFailed: true,
                observedAtMs: Date.parse('2025-11-28T12:00:00.000Z'),
              },
            ]
          : [],
      );
    },
  );

  it('when a failing internal span belongs to a tool call trace, then no trigger fact appears', () => {
    const call = makeSpan({ attributes: { 'tooltrace.kind': 'tool_call' } });
    const failing = makeSpan({ status: ERROR, attributes: { 'tooltrace.kind': 'internal' } });
    expect(map([call, failing]).batch.triggers).toEqual([]);
  });

  it.each([
    [true, true, true],
    [true, false, false],
    [false, true, false],
  ])('when a webhook creation (final=%s, failed=%s) arrives, then processing failure=%s', (final, failed, expected) => {
    const span = makeSpan({
      status: failed ? ERROR : { code: 0, message: '' },
      attributes: { 'tooltrace.kind': 'trigger_webhook_create', 'tooltrace.webhook_create.final': final },
    });
    const facts = map([span]).batch.triggers;
    expect(facts).toEqual(
      expected ? [expect.objectContaining({ type: 'subscription', processingFailed: true, root: null })] : [],
    );
  });

  it('when delivery spans arrive, then each is an attempt fact, taking the event from the root when it lacks one', () => {
    const r = root('trigger_event');
    const first = makeSpan({
      parentSpanId: r.spanId,
      status: ERROR,
      attributes: {
        'tooltrace.kind': 'trigger_delivery',
        'tooltrace.delivery.id': 'dlv_1',
        'tooltrace.delivery.attempt': 1,
        'tooltrace.delivery.final': false,
        'url.full': 'https://hooks.example.com/in',
        'user.id': 'u1',
        'http.response.status_code': 500,
      },
    });
    const second = makeSpan({
      parentSpanId: r.spanId,
      attributes: {
        'tooltrace.kind': 'trigger_delivery',
        'tooltrace.delivery.id': 'dlv_1',
        'tooltrace.delivery.attempt': '2',
        'tooltrace.delivery.final': 'true',
        'tooltrace.trigger.event_id': 'evt_other',
        'http.response.status_code': 204,
      },
    });
    const attempts = map([second, first, r]).batch.deliveryAttempts;
    expect(attempts).toEqual([
      expect.objectContaining({
        spanId: second.spanId,
        attempt: 2,
        final: true,
        succeeded: true,
        eventId: 'evt_other',
        httpStatus: 204,
      }),
      expect.objectContaining({
        spanId: first.spanId,
        deliveryId: 'dlv_1',
        eventId: 'evt_1',
        triggerId: 'trg_1',
        attempt: 1,
        final: false,
        succeeded: false,
        userId: 'u1',
        webhookUrl: 'https://hooks.example.com/in',
        httpStatus: 500,
        startedAtMs: Date.parse('2025-11-28T12:00:00.000Z'),
        durationMs: 250,
      }),
    ]);
  });
});
