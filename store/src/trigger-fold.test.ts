import type { DeliveryAttemptFact, TriggerFact } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import * as f from './conformance/fixtures.ts';
import {
  deriveEvent,
  foldDeliveries,
  mergeTriggerFact,
  noteAttempt,
  type TriggerTraceFacts,
  upsertAttempts,
} from './trigger-fold.ts';

const at = Date.UTC(2026, 0, 1, 12);

/** What a backend holds after these facts arrive one per write, in this order. */
function fold(facts: (TriggerFact | DeliveryAttemptFact)[]) {
  const traces = new Map<string, TriggerTraceFacts>();
  let attempts: DeliveryAttemptFact[] = [];
  for (const fact of facts) {
    const stored = traces.get(fact.traceId) ?? null;
    if ('deliveryId' in fact) {
      traces.set(fact.traceId, noteAttempt(stored, fact));
      attempts = upsertAttempts(attempts, [fact]);
    } else traces.set(fact.traceId, mergeTriggerFact(stored, fact));
  }
  const ownerOf = (traceId: string) => traces.get(traceId) ?? null;
  const deliveries = foldDeliveries(attempts, ownerOf);
  const events = [...traces.values()]
    .sort((a, b) => (a.traceId < b.traceId ? -1 : 1))
    .map((facts) => {
      const held = new Set(attempts.filter((a) => a.traceId === facts.traceId).map((a) => a.deliveryId));
      return {
        facts,
        ...deriveEvent(
          facts,
          deliveries.filter((d) => held.has(d.deliveryId)),
        ),
      };
    });
  return { events, deliveries };
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [item, ...p]),
  );
}

describe('the trigger/delivery fold (DESIGN §4)', () => {
  const traceId = f.newTraceId();
  const root = f.triggerRoot({ traceId, at, userId: 'root-user' });
  const poll = f.triggerChild({ traceId, at: at - 5 });
  const failedTry = f.attempt({ traceId, deliveryId: 'd1', at: at + 10, succeeded: false, httpStatus: 500 });
  const retry = f.attempt({
    traceId,
    deliveryId: 'd1',
    at: at + 20,
    attempt: 2,
    final: true,
    succeeded: false,
    httpStatus: 502,
    userId: 'hook-user',
  });
  const other = f.attempt({ traceId, deliveryId: 'd2', at: at + 15, final: true });

  it('when the same facts arrive in any order, then the event and deliveries are the same', () => {
    const facts = [root, poll, failedTry, retry, other];
    const expected = fold(facts);
    for (const order of permutations(facts)) expect(fold(order)).toEqual(expected);
    const [event] = expected.events;
    expect(event?.status).toBe('delivery_failures');
    expect(event?.facts.receivedAtMs).toBe(root.root?.receivedAtMs);
    expect(event?.userIds).toEqual(['root-user', 'hook-user', 'user-1']);
  });

  it('when the same facts arrive twice, then nothing changes', () => {
    const facts = [root, poll, failedTry, retry];
    expect(fold([...facts, ...facts])).toEqual(fold(facts));
  });

  it('when a delivery has several attempts, then the latest gives status, duration and HTTP status', () => {
    const { deliveries } = fold([root, retry, failedTry]);
    expect(deliveries).toEqual([
      expect.objectContaining({
        deliveryId: 'd1',
        status: 'failed',
        attempts: 2,
        lastHttpStatus: 502,
        createdAtMs: failedTry.startedAtMs,
        lastAttemptAtMs: retry.startedAtMs,
        userId: 'hook-user',
        eventId: root.root?.eventId,
        traceId,
      }),
    ]);
  });

  it('when a late child reports a processing failure, then the status sticks to processing_failure', () => {
    const failing = f.triggerChild({ traceId, at, processingFailed: true });
    expect(fold([root, other]).events[0]?.status).toBe('success');
    expect(fold([root, other, failing, root]).events[0]?.status).toBe('processing_failure');
  });

  it('when a delivery is retried from a later trace, then it is one delivery with every attempt, in any order', () => {
    const later = f.newTraceId();
    const redelivery = f.attempt({
      traceId: later,
      deliveryId: 'd1',
      eventId: root.root?.eventId,
      attempt: 3,
      at: at + 60_000,
      succeeded: true,
      httpStatus: 200,
      final: true,
    });
    const facts = [root, failedTry, redelivery];
    const expected = fold(facts);
    for (const order of permutations(facts)) expect(fold(order)).toEqual(expected);
    expect(expected.deliveries).toEqual([
      expect.objectContaining({ deliveryId: 'd1', attempts: 2, status: 'succeeded', traceId, lastHttpStatus: 200 }),
    ]);
    expect(expected.events.find((e) => e.facts.traceId === traceId)?.status).toBe('success');
  });
});
