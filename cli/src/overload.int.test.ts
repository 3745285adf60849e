/**
 * The query API keeps answering while ingest is overloaded: a real collector
 * and query API in one process on one SQLite store, its writes in a writer
 * thread (as `tooltrace start` wires
 * them), the store's write held at a gate (a slow disk cannot be produced on
 * demand here) so the write queue fills and the collector refuses with 429.
 * No time bound: the lookup must simply be answered, with the trace.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCollector } from '@tooltrace/collector';
import { startQueryApi } from '@tooltrace/query-api';
import { openSqliteStore, type Store } from '@tooltrace/store';
import { afterEach, expect, it } from 'vitest';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** The real store, whose writes wait while `held` is set. */
function gatedStore(store: Store) {
  let release: (() => void) | null = null;
  let held: Promise<void> | null = null;
  const gated = new Proxy(store, {
    get(target, property) {
      if (property === 'write') {
        return async (...args: Parameters<Store['write']>) => {
          if (held) await held;
          return target.write(...args);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    gated,
    hold() {
      held = new Promise<void>((resolve) => {
        release = resolve;
      });
    },
    open() {
      release?.();
      held = null;
    },
  };
}

function spans(traceId: string) {
  return JSON.stringify({
    resourceSpans: [{ scopeSpans: [{ spans: [{ traceId, spanId: '0102030405060708', name: `span of ${traceId}` }] }] }],
  });
}

it('when the writer is held and the collector refuses with 429, then the query API still answers a trace lookup', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-overload-'));
  const store = openSqliteStore({ path: path.join(dir, 'tooltrace.db'), writer: 'worker' });
  closers.push(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const { project, ingestKey, readKey } = await store.createProject({ name: 'overload', plan: 'pro' });
  const gate = gatedStore(store);
  const collector = await startCollector({
    store: gate.gated,
    host: '127.0.0.1',
    port: 0,
    writeQueue: { maxPendingBatches: 1 },
  });
  closers.push(() => collector.close());
  const api = await startQueryApi({ store, host: '127.0.0.1', port: 0, rateLimit: false, logger: false });
  closers.push(() => api.close());
  const send = (traceId: string) =>
    fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
      body: spans(traceId),
    });

  const stored = '4c7445d219724ed69e4746053bf1d45f';
  expect((await send(stored)).status).toBe(200);

  gate.hold();
  const held = send('5c7445d219724ed69e4746053bf1d45f');
  // Bounded by the test's timeout, like every wait here: until the held batch occupies the queue.
  const pending = async () =>
    ((await (await fetch(`${collector.url}/health`)).json()) as { writeQueue: { pendingBatches: number } }).writeQueue
      .pendingBatches;
  while ((await pending()) < 1) await new Promise((resolve) => setTimeout(resolve, 10));
  const refused = await send('6c7445d219724ed69e4746053bf1d45f');
  expect(refused.status).toBe(429);
  expect(refused.headers.get('retry-after')).toBe('1');

  const lookup = await fetch(`${api.url}/api/v1/traces/${stored}`, { headers: { authorization: `Bearer ${readKey}` } });
  expect(lookup.status).toBe(200);
  expect(((await lookup.json()) as { logs: { name: string }[] }).logs.map((l) => l.name)).toEqual([
    `span of ${stored}`,
  ]);

  gate.open();
  expect((await held).status).toBe(200);
  expect(await store.getTrace(project.projectId, '5c7445d219724ed69e4746053bf1d45f')).not.toBeNull();
});
