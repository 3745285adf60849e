/** SSE live feeds against a real SQLite store written while the client listens. */
import type { ToolCall, TriggerEvent } from '@tooltrace/conventions';
import { emptyBatch } from '@tooltrace/conventions';
import type { Store } from '@tooltrace/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merge, newSpanId, toolCallTrace, triggerTrace } from './testing/fixtures.ts';
import { startTestApi, type TestApi } from './testing/harness.ts';
import { SseReader } from './testing/sse.ts';

let t: TestApi;
/** Counts store list calls, to see when a feed stops polling. The store itself is the real one. */
const listCalls = { count: 0 };

beforeAll(async () => {
  t = await startTestApi({ liveFeed: { pollMs: 50, heartbeatMs: 100 } });
  const store = t.store as Store & Record<string, unknown>;
  const original = store.listToolCalls.bind(store);
  store.listToolCalls = (...args) => {
    listCalls.count += 1;
    return original(...args);
  };
});
afterAll(() => t?.close());

async function subscribe(pathAndQuery: string, key = t.a.readKey, api = t) {
  const controller = new AbortController();
  const response = await api.call(pathAndQuery, { key, signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const reader = new SseReader(response);
  await reader.until((m) => m.comment === 'connected');
  return { reader, close: () => controller.abort() };
}

describe('GET /api/v1/tool-calls/stream', () => {
  it('when a matching call is written after subscribing, then it is pushed; earlier, filtered-out and other-project rows are not', async () => {
    await t.store.write(t.a.project.projectId, toolCallTrace({ at: Date.now(), integration: 'slack' }).batch);
    const feed = await subscribe('/api/v1/tool-calls/stream?integration=slack&status=error');
    try {
      await t.store.write(
        t.a.project.projectId,
        toolCallTrace({ at: Date.now(), integration: 'github', status: 'error' }).batch,
      );
      await t.store.write(
        t.b.project.projectId,
        toolCallTrace({ at: Date.now(), integration: 'slack', status: 'error' }).batch,
      );
      const wanted = toolCallTrace({ at: Date.now(), integration: 'slack', status: 'error' });
      await t.store.write(t.a.project.projectId, wanted.batch);
      const message = await feed.reader.until((m) => m.event !== null);
      expect(message.event).toBe('tool-call');
      const row = JSON.parse(message.data ?? '') as ToolCall;
      expect(row).toEqual({ ...wanted.fact, projectId: t.a.project.projectId });
    } finally {
      feed.close();
    }
  });

  it('when nothing happens, then heartbeats keep the stream alive', async () => {
    const feed = await subscribe('/api/v1/tool-calls/stream');
    try {
      expect((await feed.reader.until((m) => m.comment !== null)).comment).toBe('heartbeat');
    } finally {
      feed.close();
    }
  });

  it('when the client disconnects, then the feed stops polling the store', async () => {
    const feed = await subscribe('/api/v1/tool-calls/stream?userId=nobody');
    // Wait until polling is visibly running, then disconnect.
    const start = listCalls.count;
    while (listCalls.count < start + 3) await new Promise((resolve) => setTimeout(resolve, 20));
    feed.close();
    await new Promise((resolve) => setTimeout(resolve, 150));
    const afterClose = listCalls.count;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(listCalls.count).toBe(afterClose);
  });

  it('when the filters are invalid, then it is a 400 before any stream starts', async () => {
    const response = await t.call('/api/v1/tool-calls/stream?limit=5');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/json');
  });
});

describe('open feeds per project', () => {
  let limited: TestApi;
  beforeAll(async () => {
    limited = await startTestApi({ liveFeed: { pollMs: 50, maxStreamsPerProject: 2 } });
  });
  afterAll(() => limited?.close());

  it('when a project holds its limit of feeds, then one more is a 429 until one closes; other projects are unaffected', async () => {
    const first = await subscribe('/api/v1/tool-calls/stream', limited.a.readKey, limited);
    const second = await subscribe('/api/v1/trigger-events/stream', limited.a.readKey, limited);
    try {
      const refused = await limited.call('/api/v1/tool-calls/stream');
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ error: { code: 'too_many_streams' } });
      const other = await subscribe('/api/v1/tool-calls/stream', limited.b.readKey, limited);
      other.close();
      first.close();
      // The server frees the slot when it sees the disconnect.
      let status = 429;
      while (status === 429) {
        const controller = new AbortController();
        const response = await limited.call('/api/v1/tool-calls/stream', { signal: controller.signal });
        status = response.status;
        controller.abort();
        if (status === 429) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(status).toBe(200);
    } finally {
      first.close();
      second.close();
    }
  });
});

describe('GET /api/v1/trigger-events/stream', () => {
  it('when an event arrives and later its delivery succeeds, then it is pushed as queued and again as success', async () => {
    const feed = await subscribe('/api/v1/trigger-events/stream?integration=salesforce');
    try {
      const event = triggerTrace({ at: Date.now(), integration: 'salesforce', delivery: 'none' });
      await t.store.write(t.a.project.projectId, event.batch);
      const first = await feed.reader.until((m) => m.event === 'trigger-event');
      expect(JSON.parse(first.data ?? '')).toMatchObject({ traceId: event.traceId, status: 'queued' });

      const delivered = emptyBatch();
      delivered.deliveryAttempts.push({
        traceId: event.traceId,
        spanId: newSpanId(),
        deliveryId: 'dlv_live',
        eventId: event.eventId,
        triggerId: 'trg_1',
        attempt: 1,
        final: true,
        userId: 'alice',
        webhookUrl: 'https://customer.example/webhook',
        httpStatus: 200,
        succeeded: true,
        startedAt: new Date().toISOString(),
        durationMs: 12,
      });
      await t.store.write(t.a.project.projectId, merge([delivered]));
      const second = await feed.reader.until((m) => m.event === 'trigger-event');
      const row = JSON.parse(second.data ?? '') as TriggerEvent;
      expect(row).toMatchObject({ traceId: event.traceId, status: 'success' });
    } finally {
      feed.close();
    }
  });
});
