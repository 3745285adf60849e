import type { DeliveryAttemptFact, TriggerFact } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import * as f from '../conformance/fixtures.ts';
import {
  deliveriesOf,
  logFromDocument,
  logToDocument,
  mergeTriggerDocument,
  type TriggerDocument,
  toolCallFromDocument,
  toolCallToDocument,
  triggerEventFromDocument,
} from './documents.ts';

const at = Date.UTC(2026, 0, 1, 12);

/** Applies facts one per write, in the given order, as separate batches would. */
function applyInOrder(traceId: string, facts: (TriggerFact | DeliveryAttemptFact)[]): TriggerDocument {
  let doc: TriggerDocument | null = null;
  for (const fact of facts) {
    const isAttempt = 'deliveryId' in fact;
    doc = mergeTriggerDocument(doc, 'prj_a', traceId, isAttempt ? [] : [fact], isAttempt ? [fact] : []);
  }
  if (!doc) throw new Error('no facts');
  return doc;
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [item, ...p]),
  );
}

describe('log and tool call documents', () => {
  it('when a log goes to a document and back, then it is unchanged and the document has @timestamp', () => {
    const log = f.log({ traceId: f.newTraceId(), at });
    const doc = logToDocument('prj_a', log);
    expect(doc['@timestamp']).toBe(log.timestamp);
    expect(logFromDocument(doc)).toEqual({ ...log, projectId: 'prj_a' });
  });

  it('when a tool call goes to a document and back, then it is unchanged', () => {
    const call = f.toolCall({ at });
    expect(toolCallFromDocument(toolCallToDocument('prj_a', call))).toEqual({ ...call, projectId: 'prj_a' });
  });
});

describe('trigger documents', () => {
  const traceId = f.newTraceId();
  const root = f.triggerRoot({ traceId, at, userId: 'root-user' });
  const poll = f.triggerChild({ traceId, at: at - 5 });
  const failedTry = f.attempt({
    traceId,
    deliveryId: 'd1',
    at: at + 10,
    succeeded: false,
    httpStatus: 500,
    final: false,
  });
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

  it('when the same facts arrive in any order, then the document is the same', () => {
    const facts = [root, poll, failedTry, retry, other];
    const expected = applyInOrder(traceId, facts);
    for (const order of permutations(facts)) {
      const doc = applyInOrder(traceId, order);
      expect({ ...doc, state: { ...doc.state, attempts: [] } }).toEqual({
        ...expected,
        state: { ...expected.state, attempts: [] },
      });
      expect(deliveriesOf(doc)).toEqual(deliveriesOf(expected));
    }
    expect(expected.status).toBe('delivery_failures');
    expect(expected.receivedAt).toBe(root.root?.receivedAt);
    expect(expected.firstSeenAt).toBe(poll.observedAt);
    expect(expected.userIds).toEqual(['root-user', 'hook-user', 'user-1']);
  });

  it('when the same batch is merged twice, then nothing changes', () => {
    const once = mergeTriggerDocument(null, 'prj_a', traceId, [root, poll], [failedTry, retry]);
    const twice = mergeTriggerDocument(once, 'prj_a', traceId, [root, poll], [failedTry, retry]);
    expect(twice).toEqual(once);
  });

  it('when a delivery arrives before the root, then the event is queued and turns success when the root arrives', () => {
    const ok = f.attempt({ traceId, deliveryId: 'd9', at: at + 1, final: true });
    const early = mergeTriggerDocument(null, 'prj_a', traceId, [], [ok]);
    expect(early.status).toBe('success');
    const childOnly = mergeTriggerDocument(null, 'prj_a', traceId, [poll], []);
    expect(childOnly.status).toBe('queued');
    expect(childOnly.eventId).toBeNull();
    const complete = mergeTriggerDocument(childOnly, 'prj_a', traceId, [root], [ok]);
    expect(complete.status).toBe('success');
    expect(complete.eventId).toBe(root.root?.eventId);
  });

  it('when a late child reports a processing failure, then the status sticks to processing_failure', () => {
    const done = mergeTriggerDocument(null, 'prj_a', traceId, [root], [other]);
    expect(done.status).toBe('success');
    const failed = mergeTriggerDocument(
      done,
      'prj_a',
      traceId,
      [f.triggerChild({ traceId, at, processingFailed: true })],
      [],
    );
    expect(failed.status).toBe('processing_failure');
    const later = mergeTriggerDocument(failed, 'prj_a', traceId, [root], [other]);
    expect(later.status).toBe('processing_failure');
  });

  it('when a delivery has several attempts, then the latest gives status, duration and HTTP status', () => {
    const doc = mergeTriggerDocument(null, 'prj_a', traceId, [root], [retry, failedTry]);
    const [delivery] = deliveriesOf(doc);
    expect(delivery).toMatchObject({
      deliveryId: 'd1',
      status: 'failed',
      attempts: 2,
      lastHttpStatus: 502,
      createdAt: failedTry.startedAt,
      lastAttemptAt: retry.startedAt,
      userId: 'hook-user',
      eventId: root.root?.eventId,
      traceId,
    });
    expect(triggerEventFromDocument(doc)).toMatchObject({ traceId, projectId: 'prj_a', status: 'delivery_failures' });
  });
});
