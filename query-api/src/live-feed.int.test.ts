/** SSE live feeds against a real SQLite store written while the client listens. */
import type { ToolCall, TriggerEvent } from '@tooltrace/conventions';
import { emptyBatch } from '@tooltrace/conventions';
import type { Store } from '@tooltrace/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedToolCallJson, merge, newSpanId, toolCallTrace, triggerTrace } from './testing/fixtures.ts';
import { startTestApi, type TestApi } from './testing/harness.ts';
import { SseReader } from './testing/sse.ts';

let t: TestApi;

beforeAll(async () => {
  t = await startTestApi({ liveFeed: { pollMs: 50, heartbeatMs: 100 } });
});
afterAll(() => t?.close());

type Feed = { reader: SseReader; close: () => void };

async function subscribe(pathAndQuery: string, key = t.a.readKey, api = t): Promise<Feed> {
  const feed = await tryToSubscribe(pathAndQuery, key, api);
  if (feed === 429) throw new Error(`${pathAndQuery}: refused with 429`);
  return feed;
}

async function tryToSubscribe(pathAndQuery: string, key: string, api: TestApi): Promise<Feed | 429> {
  const controller = new AbortController();
  const response = await api.call(pathAndQuery, { key, signal: controller.signal });
  if (response.status === 429) {
    controller.abort();
    return 429;
  }
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const reader = new SseReader(response);
  await reader.until((m) => m.comment === 'connected');
  return { reader, close: () => controller.abort() };
}

/**
 * Subscribes as soon as the project has a free feed slot again. The server frees a slot in the same step
 * that stops the feed's timers, so a feed that got its slot back can poll no more. Each try is a real
 * request answered by the server, so the server's own close handling runs in between; the tries are bounded.
 */
async function subscribeOnceFree(pathAndQuery: string, key: string, api: TestApi): Promise<Feed> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const feed = await tryToSubscribe(pathAndQuery, key, api);
    if (feed !== 429) return feed;
  }
  throw new Error(`${pathAndQuery}: the feed slot was not freed after 200 tries`);
}

/**
 * The real store with its list calls recorded by the `userId` filter they carry, so a test can wait for
 * a feed's Nth poll (an event, not a sleep) and count the polls of a feed that should have stopped.
 */
function recordPolls(store: Store) {
  const calls: (string | undefined)[] = [];
  const waiters: { userId: string; count: number; resolve: () => void }[] = [];
  const count = (userId: string) => calls.filter((u) => u === userId).length;
  const original = store.listToolCalls.bind(store);
  store.listToolCalls = (projectId, filters, page) => {
    calls.push(filters.userId);
    for (const w of waiters.splice(0)) {
      if (count(w.userId) >= w.count) w.resolve();
      else waiters.push(w);
    }
    return original(projectId, filters, page);
  };
  return {
    count,
    /** Resolves once `userId`'s feed has polled `more` more times (the test's timeout bounds the wait). */
    more(userId: string, more: number): Promise<void> {
      const target = count(userId) + more;
      return new Promise((resolve) => waiters.push({ userId, count: target, resolve }));
    },
  };
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
      expect(row).toEqual(expectedToolCallJson(t.a.project.projectId, wanted.fact));
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
    // One feed per project, so the freed slot shows when the server has stopped the first feed.
    const single = await startTestApi({ liveFeed: { pollMs: 20, maxStreamsPerProject: 1 } });
    const polls = recordPolls(single.store);
    try {
      const gone = await subscribe('/api/v1/tool-calls/stream?userId=gone', single.a.readKey, single);
      await polls.more('gone', 3); // polling visibly runs
      gone.close();
      // A second feed, polling at the same pace, is the clock: three of its polls are three chances for
      // the first feed's timer to fire, had it survived the disconnect.
      const clock = await subscribeOnceFree('/api/v1/tool-calls/stream?userId=clock', single.a.readKey, single);
      const afterStop = polls.count('gone');
      await polls.more('clock', 3);
      clock.close();
      expect(polls.count('gone')).toBe(afterStop);
      expect(polls.count('clock')).toBeGreaterThanOrEqual(3);
    } finally {
      await single.close();
    }
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
      const third = await subscribeOnceFree('/api/v1/tool-calls/stream', limited.a.readKey, limited);
      third.close();
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
        startedAtMs: Date.now(),
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
