/**
 * tooltrace → tooltrace: two real `tooltrace start` processes, the first
 * forwarding a project to the second's collector, configured with the real
 * `tooltrace forward` commands; spans go in through the official OTLP
 * exporter and are read back through the second one's query API. Then the
 * outage: the destination is down for 30 s, the forwarding process is killed
 * with SIGKILL meanwhile and restarted, and everything acknowledged arrives
 * once the destination is back, duplicated at most as much as was in flight at the kill.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DestinationStatus } from '@tooltrace/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runTooltrace, type Started, startTooltrace, stopTooltrace } from '../testing/processes.ts';
import { sendToolCalls } from '../testing/tool-calls.ts';
import { waitFor } from '../testing/wait.ts';

const OUTAGE_MS = 30_000;
const ENV = { TOOLTRACE_DEMO: 'off', TOOLTRACE_FORWARD_ALLOW_PRIVATE: 'on' };
const READY = /^data /;

interface Keys {
  projectId: string;
  ingestKey: string;
  readKey: string;
}

async function createProject(dataDir: string, name: string): Promise<Keys> {
  const created = await runTooltrace(dataDir, ['project', 'create', '--name', name, '--plan', 'pro', '--json'], ENV);
  expect(created.code).toBe(0);
  return JSON.parse(created.stdout) as Keys;
}

async function toolNames(apiUrl: string, readKey: string): Promise<string[]> {
  const response = await fetch(`${apiUrl}/api/v1/tool-calls?limit=500`, {
    headers: { authorization: `Bearer ${readKey}` },
  });
  const body = (await response.json()) as { items: { toolName: string }[] };
  return body.items.map((call) => call.toolName).sort();
}

async function forwardStatus(dataDir: string, projectId: string): Promise<DestinationStatus> {
  const listed = await runTooltrace(dataDir, ['forward', 'list', projectId, '--json'], ENV);
  const [first] = JSON.parse(listed.stdout) as { status: DestinationStatus }[];
  if (!first) throw new Error(`no destination listed: ${listed.stdout}${listed.stderr}`);
  return first.status;
}

/** Spans a project accepted from one sender (`service.name`) in the last 24 h: every copy counts. */
async function acceptedFrom(apiUrl: string, readKey: string, serviceName: string): Promise<number> {
  const response = await fetch(`${apiUrl}/api/v1/project/ingest`, { headers: { authorization: `Bearer ${readKey}` } });
  const body = (await response.json()) as { last24h: { bySender: { serviceName: string; accepted: number }[] } };
  return body.last24h.bySender.find((s) => s.serviceName === serviceName)?.accepted ?? 0;
}

// Child processes start slowly on a busy two-core machine; these limits are not assertions.
describe('tooltrace → tooltrace forwarding (real processes)', { timeout: 240_000 }, () => {
  let dirA: string;
  let dirB: string;
  let a: Started | undefined;
  let b: Started | undefined;
  let portB: number;
  let keysA: Keys;
  let keysB: Keys;

  const startB = async () => {
    b = await startTooltrace(dirB, { ...ENV, TOOLTRACE_COLLECTOR_PORT: String(portB) }, READY);
  };
  const startA = async () => {
    a = await startTooltrace(dirA, ENV, READY);
  };

  beforeAll(async () => {
    dirA = await fs.mkdtemp(path.join(os.tmpdir(), 'tooltrace-fwd-a-'));
    dirB = await fs.mkdtemp(path.join(os.tmpdir(), 'tooltrace-fwd-b-'));
    portB = await freePort();
    keysA = await createProject(dirA, 'source');
    keysB = await createProject(dirB, 'destination');
    await Promise.all([startA(), startB()]);
  }, 120_000);

  afterAll(async () => {
    await stopTooltrace(a);
    await stopTooltrace(b);
    await fs.rm(dirA, { recursive: true, force: true });
    await fs.rm(dirB, { recursive: true, force: true });
  });

  it('when a bad destination is added, then the CLI names the flag and stores nothing', async () => {
    const bad = await runTooltrace(
      dirA,
      ['forward', 'add', keysA.projectId, '--name', 'x', '--endpoint', 'https://u:p@example.com'],
      ENV,
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--endpoint: must not contain credentials/);
    const private_ = await runTooltrace(
      dirA,
      ['forward', 'add', keysA.projectId, '--name', 'x', '--endpoint', 'http://10.1.2.3'],
      { ...ENV, TOOLTRACE_FORWARD_ALLOW_PRIVATE: 'off' },
    );
    expect(private_.stderr).toMatch(/--endpoint: .*TOOLTRACE_FORWARD_ALLOW_PRIVATE=on/);
    const listed = await runTooltrace(dirA, ['forward', 'list', keysA.projectId, '--json'], ENV);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });

  it('when a project forwards to another tooltrace, then its spans are found through the other one’s API', async () => {
    const added = await runTooltrace(
      dirA,
      [
        'forward',
        'add',
        keysA.projectId,
        '--name',
        'tooltrace b',
        '--endpoint',
        `http://127.0.0.1:${portB}`,
        '--header',
        `authorization=Bearer ${keysB.ingestKey}`,
        '--json',
      ],
      ENV,
    );
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ headerNames: ['authorization'], encoding: 'protobuf' });
    expect(added.stdout).not.toContain(keysB.ingestKey);
    const tested = await runTooltrace(dirA, ['forward', 'test', keysA.projectId, JSON.parse(added.stdout).id], ENV);
    expect(tested.stdout).toMatch(/^ok: HTTP 200/);

    await sendToolCalls(a!.field('collector'), keysA.ingestKey, ['FIRST_TOOL', 'SECOND_TOOL']);
    const apiB = new URL(b!.field('ui')).origin;
    expect(
      await waitFor(
        () => toolNames(apiB, keysB.readKey),
        (n) => n.length >= 2,
      ),
    ).toEqual(['FIRST_TOOL', 'SECOND_TOOL']);
    const status = await waitFor(
      () => forwardStatus(dirA, keysA.projectId),
      (s) => s.spansSent >= 2,
    );
    expect(status).toMatchObject({ state: 'ok', batchesQueued: 0, lastError: null });
  });

  it('when the destination is down 30 s and the source is killed meanwhile, then everything acknowledged arrives', async () => {
    const downSince = Date.now();
    await stopTooltrace(b);
    const during = ['OUTAGE_ONE', 'OUTAGE_TWO', 'OUTAGE_THREE'];
    await sendToolCalls(a!.field('collector'), keysA.ingestKey, during.slice(0, 2));
    const retrying = await waitFor(
      () => forwardStatus(dirA, keysA.projectId),
      (s) => s.state !== 'ok' && s.batchesQueued >= 1,
    );
    expect(['retrying', 'failing']).toContain(retrying.state);
    expect(retrying.lastError?.httpStatus).toBeNull();
    expect(retrying.lastError?.message).toMatch(/ECONNREFUSED/);
    // What the killed process may have had in flight: the one queued batch, both spans of it.
    expect(retrying.batchesQueued).toBe(1);
    const inFlightAtKill = 2;

    await stopTooltrace(a, 'SIGKILL');
    await startA();
    await sendToolCalls(a!.field('collector'), keysA.ingestKey, during.slice(2));
    const queued = await waitFor(
      () => forwardStatus(dirA, keysA.projectId),
      (s) => s.batchesQueued >= 2 && s.lagMs > 0,
    );
    expect(queued.batchesDropped).toBe(0);
    expect(queued.lagMs).toBeLessThanOrEqual(Date.now() - downSince + 1000);

    // The rest of the 30 s outage, then the destination comes back on the same port.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - downSince))));
    await startB();
    const apiB = new URL(b!.field('ui')).origin;
    const names = await waitFor(
      () => toolNames(apiB, keysB.readKey),
      (n) => during.every((name) => n.includes(name)),
    );
    expect(names.filter((name) => during.includes(name)).sort()).toEqual([...during].sort());
    // The destination upserts by span ID, so its tool calls are the distinct spans; its ingest status counts
    // every copy that arrived (flushed every 5 s). Copies beyond the distinct spans are duplicates.
    const distinct = names.length;
    const received = await waitFor(
      () => acceptedFrom(apiB, keysB.readKey, 'forwarding-e2e'),
      (n) => n >= distinct,
    );
    expect(received - distinct).toBeLessThanOrEqual(inFlightAtKill);
    const after = await waitFor(
      () => forwardStatus(dirA, keysA.projectId),
      (s) => s.batchesQueued === 0,
    );
    expect(after).toMatchObject({ state: 'ok', batchesDropped: 0, batchesRejected: 0, lagMs: 0 });
  });
});
