/**
 * Rotating keys ends what the old keys opened: live feeds get a `key_rotated`
 * event and end, over real HTTP against a real SQLite store rotated the way
 * `tooltrace project rotate-keys` does it (the store, not the API).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './testing/harness.ts';
import { SseReader } from './testing/sse.ts';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ liveFeed: { pollMs: 50, heartbeatMs: 100 } });
});
afterAll(() => t?.close());

async function openFeed(key: string) {
  const controller = new AbortController();
  const response = await t.call('/api/v1/tool-calls/stream', { key, signal: controller.signal });
  expect(response.status).toBe(200);
  const reader = new SseReader(response);
  await reader.until((m) => m.comment === 'connected');
  return { reader, close: () => controller.abort() };
}

describe('rotation ends sessions', () => {
  it('when the keys are rotated, then feeds opened with the old read and admin keys get key_rotated and end; the new key opens a feed', async () => {
    const asReader = await openFeed(t.a.readKey);
    const asAdmin = await openFeed(t.a.adminKey);
    const other = await openFeed(t.b.readKey);
    try {
      const rotated = await t.store.rotateKeys(t.a.project.projectId);
      for (const feed of [asReader, asAdmin]) {
        // Heartbeats come every 100 ms and the key is re-checked every 2 s: 200 messages bound the wait.
        const message = await feed.reader.until((m) => m.event === 'key_rotated', 200);
        expect(JSON.parse(message.data ?? '{}')).toMatchObject({ error: { code: 'key_rotated' } });
        expect(await feed.reader.next()).toBeNull();
      }
      expect((await t.call('/api/v1/tool-calls', { key: t.a.readKey })).status).toBe(401);
      const renewed = await openFeed(rotated.readKey);
      renewed.close();
      // Another project's feed is untouched: it still gets heartbeats.
      expect((await other.reader.until((m) => m.comment === 'heartbeat')).comment).toBe('heartbeat');
    } finally {
      for (const feed of [asReader, asAdmin, other]) feed.close();
    }
  });
});
