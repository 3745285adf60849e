/**
 * The collector and the query API as separate processes on one store
 * (TOOLTRACE_SERVE=collector and =api, as docker compose runs them): the API
 * shows each destination's forwarding status from the reports the collector
 * writes to the store. Real `tooltrace start` processes, a real SQLite file,
 * spans from the official OTLP exporter, a real HTTP server as the destination.
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { DestinationView } from '@tooltrace/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTooltrace, type Started, startTooltrace, stopTooltrace } from '../testing/processes.ts';
import { sendToolCalls } from '../testing/tool-calls.ts';
import { waitFor } from '../testing/wait.ts';

const ENV = { TOOLTRACE_DEMO: 'off', TOOLTRACE_FORWARD_ALLOW_PRIVATE: 'on' };
const READY = /^data /;

/** An OTLP/HTTP destination that takes everything and counts the requests. */
async function startReceiver(): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Child processes start slowly on a busy two-core machine; these limits are not assertions.
describe('forwarding status with the collector and the API in separate processes', { timeout: 240_000 }, () => {
  let dir: string;
  let collector: Started | undefined;
  let api: Started | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let keys: { projectId: string; ingestKey: string; readKey: string; adminKey: string };

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tooltrace-split-'));
    const created = await runTooltrace(dir, ['project', 'create', '--name', 'split', '--plan', 'pro', '--json'], ENV);
    expect(created.code).toBe(0);
    keys = JSON.parse(created.stdout);
    receiver = await startReceiver();
    [collector, api] = await Promise.all([
      startTooltrace(dir, { ...ENV, TOOLTRACE_SERVE: 'collector' }, READY),
      startTooltrace(dir, { ...ENV, TOOLTRACE_SERVE: 'api' }, READY),
    ]);
  }, 120_000);

  afterAll(async () => {
    await stopTooltrace(collector);
    await stopTooltrace(api);
    await receiver?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('when each process runs one part, then each prints only its own addresses', () => {
    expect(collector?.lines.some((l) => l.startsWith('collector '))).toBe(true);
    expect(collector?.lines.some((l) => l.startsWith('ui '))).toBe(false);
    expect(api?.lines.some((l) => l.startsWith('ui '))).toBe(true);
    expect(api?.lines.some((l) => l.startsWith('collector '))).toBe(false);
  });

  it('when the collector forwards, then the API shows its status: ok, then retrying with the error', async () => {
    const apiUrl = new URL(api!.field('ui')).origin;
    const destinationsUrl = `${apiUrl}/api/v1/forwarding/destinations`;
    const added = await fetch(destinationsUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'receiver', endpoint: receiver.url, compression: 'none' }),
    });
    expect(added.status).toBe(200);
    const read = async (): Promise<DestinationView> => {
      const response = await fetch(destinationsUrl, { headers: { authorization: `Bearer ${keys.readKey}` } });
      const body = (await response.json()) as { items: DestinationView[] };
      return body.items[0] as DestinationView;
    };
    expect((await read()).status).toMatchObject({ state: 'ok', spansSent: 0, lastSuccessAt: null });

    const collectorUrl = collector!.field('collector');
    await sendToolCalls(collectorUrl, keys.ingestKey, ['FIRST_TOOL', 'SECOND_TOOL']);
    const sent = await waitFor(read, (d) => d.status.spansSent >= 2);
    expect(sent.status).toMatchObject({ state: 'ok', spansSent: 2, batchesQueued: 0, lastError: null });
    expect(sent.status.lastSuccessAt).not.toBeNull();
    expect(receiver.requests()).toBeGreaterThanOrEqual(1);

    await receiver.close();
    await sendToolCalls(collectorUrl, keys.ingestKey, ['THIRD_TOOL']);
    const down = await waitFor(read, (d) => d.status.state !== 'ok' && d.status.batchesQueued >= 1);
    expect(['retrying', 'failing']).toContain(down.status.state);
    expect(down.status).toMatchObject({ spansSent: 2, batchesQueued: 1 });
    expect(down.status.queueBytes).toBeGreaterThan(0);
    expect(down.status.lagMs).toBeGreaterThan(0);
    expect(down.status.lastError?.httpStatus).toBeNull();
    expect(down.status.lastError?.message).toMatch(/ECONNREFUSED/);
  });
});
