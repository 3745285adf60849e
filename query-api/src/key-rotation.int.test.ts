/**
 * Rotating keys ends what the old keys opened: live feeds get a `key_rotated`
 * event and end, and streamed exports are cut, over real HTTP against a real
 * SQLite store rotated the way `tooltrace project rotate-keys` does it (the
 * store, not the API).
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryApp } from './app.ts';
import { merge, toolCallTrace } from './testing/fixtures.ts';
import { startTestApi, type TestApi } from './testing/harness.ts';
import { SseReader } from './testing/sse.ts';

/** The bound on how long a download opened with a rotated key may go on. */
const CUT_WITHIN_MS = 5_000;

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

interface StalledDownload {
  /** The server closed this download's connection. */
  serverClosed: Promise<void>;
  /** Reads the rest; resolves how the response ended: cut (closed before its end) or complete. */
  readRest(): Promise<'cut' | 'complete'>;
  destroy(): void;
}

/**
 * Opens a download with plain node:http and stops reading after the first
 * chunk, so the server is held on back-pressure (the export is far larger than
 * the socket buffers) and cannot finish on its own. A paused client cannot see
 * its connection end until it reads again, so the server's side of the
 * connection tells when the cut happened.
 */
function openStalledDownload(server: http.Server, url: string, key: string): Promise<StalledDownload> {
  return new Promise((resolve, reject) => {
    const serverSocket = once(server, 'connection').then(([socket]) => socket as Socket);
    const request = http.get(url, { headers: { authorization: `Bearer ${key}` } }, (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`export answered ${response.statusCode}`));
        return;
      }
      const ended = new Promise<'cut' | 'complete'>((settle) => {
        response.on('error', () => settle('cut'));
        response.on('close', () => settle(response.complete ? 'complete' : 'cut'));
      });
      response.once('data', () => {
        response.pause();
        resolve({
          serverClosed: serverSocket.then(async (socket) => {
            if (!socket.destroyed) await once(socket, 'close');
          }),
          readRest: () => {
            response.resume();
            return ended;
          },
          destroy: () => request.destroy(),
        });
      });
    });
    request.on('error', reject);
  });
}

describe('rotation ends downloads', () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    // The real app on a server of the test's own, whose connections the test can watch.
    server = http.createServer(createQueryApp({ store: t.store, logger: false, rateLimit: false }));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('when the keys are rotated, then CSV and NDJSON exports opened with the old keys are cut within 5 s', async () => {
    const project = await t.store.createProject({ name: 'export rotation', plan: 'pro' });
    const pid = project.project.projectId;
    // ~4 KB of parameters a row, 4 000 rows: ~16 MB per download, far over what loopback sockets buffer.
    const parameters = JSON.stringify({ text: 'y'.repeat(4_000) });
    const now = Date.now();
    for (let start = 0; start < 4_000; start += 1_000) {
      const batch = merge(
        Array.from({ length: 1_000 }, (_, i) => toolCallTrace({ at: now - (start + i) * 1_000, parameters }).batch),
      );
      batch.logs = [];
      await t.store.write(pid, batch);
    }
    const csv = await openStalledDownload(server, `${url}/api/v1/tool-calls?format=csv`, project.readKey);
    const ndjson = await openStalledDownload(server, `${url}/api/v1/tool-calls?format=ndjson`, project.adminKey);
    let deadline: NodeJS.Timeout | undefined;
    try {
      await t.store.rotateKeys(pid);
      const late = new Promise<'still open'>((settle) => {
        deadline = setTimeout(() => settle('still open'), CUT_WITHIN_MS);
      });
      const closed = Promise.all([csv.serverClosed, ndjson.serverClosed]).then(() => 'closed' as const);
      expect(await Promise.race([closed, late])).toBe('closed');
      // What the clients see once they read on: a download that broke off, not one that finished.
      expect(await csv.readRest()).toBe('cut');
      expect(await ndjson.readRest()).toBe('cut');
    } finally {
      clearTimeout(deadline);
      csv.destroy();
      ndjson.destroy();
    }
  }, 60_000);
});
