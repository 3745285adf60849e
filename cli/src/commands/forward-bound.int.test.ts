/**
 * The forwarding outbox bound, on a real `tooltrace start` process (collector
 * only): with its destination down, ten times the bound goes through the
 * collector; the oldest batches are dropped and counted, and the process's
 * memory stays flat — the queue lives on disk, not in memory — sampled from
 * /proc while the traffic flows.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readForwardingStatus } from '@tooltrace/collector';
import type { ForwardDestination } from '@tooltrace/conventions';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runTooltrace, type Started, startTooltrace, stopTooltrace } from '../testing/processes.ts';

const MiB = 1024 * 1024;
const BOUND = 8 * MiB;
/** One span of 100 attribute values of 8 000 characters (under the stored 8 KiB): ~800 KB a request. */
const VALUES = 100;
const WARM_UP_REQUESTS = 60;
const MEASURED_REQUESTS = 250;
/** Generous: GC timing alone moves RSS by tens of MiB; a queue in memory would add the ~200 MB sent. */
const BUDGET = 96 * MiB;
const ENV = { TOOLTRACE_DEMO: 'off', TOOLTRACE_FORWARD_ALLOW_PRIVATE: 'on' };

function bigSpanRequest(): string {
  const nowNanos = `${BigInt(Date.now()) * 1_000_000n}`;
  const attributes = Array.from({ length: VALUES }, (_, i) => ({
    key: `payload.${i}`,
    value: { stringValue: String.fromCharCode(97 + (i % 26)).repeat(8000) },
  }));
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'bound-test' } }] },
        scopeSpans: [
          {
            scope: { name: 'forward-bound' },
            spans: [
              {
                traceId: randomBytes(16).toString('hex'),
                spanId: randomBytes(8).toString('hex'),
                name: 'big',
                kind: 1,
                startTimeUnixNano: nowNanos,
                endTimeUnixNano: nowNanos,
                attributes,
              },
            ],
          },
        ],
      },
    ],
  });
}

/** The process's resident set, from /proc (Linux, where CI runs). */
function rssOf(pid: number): number {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? Number.NaN) * 1024;
}

/** Sends `count` requests one after another while sampling the process's RSS; returns the largest sample. */
async function sendSampling(collectorUrl: string, ingestKey: string, pid: number, count: number): Promise<number> {
  let peak = rssOf(pid);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssOf(pid));
  }, 100);
  try {
    for (let i = 0; i < count; i++) {
      const answer = await fetch(`${collectorUrl}/v1/traces`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
        body: bigSpanRequest(),
      });
      expect(answer.status).toBe(200);
      await answer.arrayBuffer();
    }
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, rssOf(pid));
}

// Child processes start slowly on a busy two-core machine; these limits are not assertions.
describe('forwarding past the outbox bound (real process)', { timeout: 300_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-bound-'));
  let collector: Started | undefined;

  afterAll(async () => {
    await stopTooltrace(collector);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when the destination is down for ten times the bound, then the oldest are dropped and memory stays flat', async () => {
    const created = await runTooltrace(dir, ['project', 'create', '--name', 'bound', '--plan', 'pro', '--json'], ENV);
    const keys = JSON.parse(created.stdout) as { projectId: string; ingestKey: string };
    // Nothing listens on this port: every attempt is refused and retried later.
    const added = await runTooltrace(
      dir,
      [
        'forward',
        'add',
        keys.projectId,
        '--name',
        'down',
        '--endpoint',
        `http://127.0.0.1:${await freePort()}`,
        '--json',
      ],
      ENV,
    );
    expect(added.code).toBe(0);
    const destination = JSON.parse(added.stdout) as ForwardDestination;
    collector = await startTooltrace(
      dir,
      { ...ENV, TOOLTRACE_SERVE: 'collector', TOOLTRACE_FORWARD_MAX_QUEUE_BYTES: String(BOUND) },
      /^data /,
    );
    const url = collector.field('collector');
    const pid = collector.child.pid as number;

    // Warm-up: past the bound already (~48 MB for 8 MiB), so the level reached is the one to stay at.
    const warmPeak = await sendSampling(url, keys.ingestKey, pid, WARM_UP_REQUESTS);
    const outbox = path.join(dir, 'forwarding-outbox.db');
    const [warm] = readForwardingStatus(outbox, [{ ...destination, headers: {} }]);
    expect(warm?.batchesDropped).toBeGreaterThan(0);

    const peak = await sendSampling(url, keys.ingestKey, pid, MEASURED_REQUESTS);
    const [after] = readForwardingStatus(outbox, [{ ...destination, headers: {} }]);
    expect(after?.queueBytes).toBeLessThanOrEqual(BOUND);
    expect(after?.batchesDropped).toBeGreaterThanOrEqual((warm?.batchesDropped ?? 0) + MEASURED_REQUESTS - 1);
    expect((after?.batchesQueued ?? 0) + (after?.batchesDropped ?? 0)).toBe(WARM_UP_REQUESTS + MEASURED_REQUESTS);
    expect(after?.spansSent).toBe(0);
    expect(['retrying', 'failing']).toContain(after?.state);
    expect(peak - warmPeak).toBeLessThanOrEqual(BUDGET);
  });
});
