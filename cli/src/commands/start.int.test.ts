import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '@tooltrace/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Started, startTooltrace as start, stopTooltrace as stop } from '../testing/processes.ts';

describe('tooltrace start', () => {
  let dataDir: string;
  let started: Started | undefined;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tooltrace-start-'));
    started = await start(dataDir, { TOOLTRACE_DEMO: 'on', TOOLTRACE_LOG_LEVEL: 'info' }, /^demo {7}(done|failed):/);
  }, 120_000);

  afterAll(async () => {
    await stop(started);
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('when the demo has run, then the printed read key lists its tool calls and trigger events through the API', async () => {
    const ui = new URL(started!.field('ui'));
    const readKey = started!.field('read key');
    expect(ui.hash).toBe(`#readKey=${readKey}`);
    const demoLine = started!.field('demo');
    const [, toolCalls, triggerEvents] = /done: (\d+) tool calls, (\d+) trigger events/.exec(demoLine) ?? [];

    const headers = { authorization: `Bearer ${readKey}` };
    const calls = await fetch(new URL('/api/v1/tool-calls?limit=500', ui.origin), { headers });
    expect(calls.status).toBe(200);
    const callsBody = (await calls.json()) as { items: unknown[] };
    expect(callsBody.items.length).toBe(Number(toolCalls));

    const events = await fetch(new URL('/api/v1/trigger-events?limit=500', ui.origin), { headers });
    const eventsBody = (await events.json()) as { items: unknown[] };
    expect(eventsBody.items.length).toBe(Number(triggerEvents));
  });

  it('when the demo sent OTLP requests, then the collector logged one JSON line per request on stderr, without the key', async () => {
    const ingestLines = () =>
      started!
        .stderr()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((r) => r.component === 'collector' && r.protocol === 'http');
    // stderr and stdout are two pipes: the lines may arrive after "demo done". Bounded: 100 polls of 50 ms.
    for (let i = 0; i < 100 && !ingestLines().some((r) => r.signal === 'traces'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const traces = ingestLines().find((r) => r.signal === 'traces');
    expect(traces).toMatchObject({ level: 30, name: 'tooltrace', status: 200, projectId: expect.any(String) });
    expect(traces?.accepted).toBeGreaterThan(0);
    expect(started!.stderr()).not.toContain(started!.field('ingest key'));
  });

  it('when started, then the OTLP/gRPC address is printed and takes connections', async () => {
    const [host, port] = started!.field('grpc').split(/:(?=\d+$)/);
    expect(Number(port)).toBeGreaterThan(0);
    const socket = net.connect(Number(port), host);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.destroy();
  });

  it('when the UI is requested, then the built page is served', async () => {
    const ui = new URL(started!.field('ui'));
    const page = await fetch(ui.origin);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });

  it('when started again on the same data dir, then the same demo keys are printed', async () => {
    const first = started!.field('read key');
    await stop(started);
    started = await start(dataDir, { TOOLTRACE_DEMO: 'off' }, /^read key/);
    expect(started.field('read key')).toBe(first);
  }, 60_000);

  it('when started with TOOLTRACE_DEMO=off on a fresh data dir, then no project is made and the UI link carries no key', async () => {
    const fresh = await fs.mkdtemp(path.join(os.tmpdir(), 'tooltrace-start-nodemo-'));
    let plain: Started | undefined;
    try {
      plain = await start(fresh, { TOOLTRACE_DEMO: 'off' }, /^data/);
      const ui = plain.field('ui');
      expect(ui).not.toContain('#');
      expect(ui).toMatch(/tooltrace project create/);
      expect(plain.lines.some((line) => line.startsWith('read key'))).toBe(false);
      await expect(fs.access(path.join(fresh, 'demo-project.json'))).rejects.toThrow();
    } finally {
      await stop(plain);
      await fs.rm(fresh, { recursive: true, force: true });
    }
  }, 60_000);

  it('when a variable is invalid, then start stops with a message naming it', async () => {
    const failed = start(dataDir, { TOOLTRACE_API_PORT: 'eighty' }, /^never$/);
    await expect(failed).rejects.toThrow(/TOOLTRACE_API_PORT/);
  });
});

describe('tooltrace start, killed with SIGKILL', () => {
  it('when the process is killed while batches are in flight, then every batch answered 200 is in the store', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tooltrace-kill-'));
    const setup = openSqliteStore({ path: path.join(dataDir, 'tooltrace.db') });
    const { ingestKey } = await setup.createProject({ name: 'kill -9', plan: 'pro' });
    await setup.close();
    const started = await start(dataDir, { TOOLTRACE_DEMO: 'off' }, /^collector/);
    const collector = started.field('collector');
    const traceIds = Array.from({ length: 40 }, (_, i) => `${(i + 1).toString(16).padStart(8, '0')}${'ab'.repeat(12)}`);
    let acknowledged = 0;
    const exited = new Promise((resolve) => started.child.once('exit', resolve));
    let killed = false;
    const outcomes = await Promise.all(
      traceIds.map(async (traceId) => {
        const body = JSON.stringify({
          resourceSpans: [
            { scopeSpans: [{ spans: [{ traceId, spanId: '0102030405060708', name: 'acknowledged?' }] }] },
          ],
        });
        try {
          const response = await fetch(`${collector}/v1/traces`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
            body,
          });
          await response.arrayBuffer();
          if (response.status === 200 && ++acknowledged === 10 && !killed) {
            killed = true;
            started.child.kill('SIGKILL');
          }
          return { traceId, status: response.status };
        } catch {
          return { traceId, status: 0 };
        }
      }),
    );
    if (!killed) started.child.kill('SIGKILL');
    await exited;

    const store = openSqliteStore({ path: path.join(dataDir, 'tooltrace.db') });
    try {
      const identity = await store.authenticate(ingestKey);
      const ok = outcomes.filter((o) => o.status === 200);
      expect(ok.length).toBeGreaterThanOrEqual(10);
      for (const { traceId } of ok) {
        expect(await store.getTrace(identity!.project.projectId, traceId), traceId).not.toBeNull();
      }
    } finally {
      await store.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
