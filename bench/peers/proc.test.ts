import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { describeThreads } from '../lib/report.ts';
import { cpuSeconds, threadShares, threadSnapshot } from './proc.ts';

describe('thread shares from /proc', () => {
  it('measures the main thread, the machine and nothing beyond what the process used', () => {
    const before = threadSnapshot(process.pid);
    expect(before.cores).toBeGreaterThan(0);
    expect(before.threads.has(process.pid)).toBe(true);
    const end = Date.now() + 300;
    while (Date.now() < end);
    const shares = threadShares(before, threadSnapshot(process.pid));

    expect(shares.seconds).toBeGreaterThan(0.29);
    expect(shares.main.cpu).toBeGreaterThan(0);
    expect(shares.main.cpu).toBeLessThanOrEqual(1.05);
    expect(shares.main.waiting).toBeGreaterThanOrEqual(0);
    expect(shares.idle).toBeGreaterThanOrEqual(0);
    expect(shares.idle).toBeLessThanOrEqual(shares.cores * 1.05);
    const total = shares.main.cpu + shares.others.reduce((n, t) => n + t.cpu, 0) + shares.rest;
    expect(total * shares.seconds).toBeLessThanOrEqual(cpuSeconds(process.pid) + 0.05);
  });

  it('counts a thread that is still running among the busiest', async () => {
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads'); parentPort.postMessage('go');
       const end = Date.now() + 3000; while (Date.now() < end);`,
      { eval: true },
    );
    await new Promise((resolve) => worker.once('message', resolve));
    const before = threadSnapshot(process.pid);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const shares = threadShares(before, threadSnapshot(process.pid));
    await worker.terminate();

    expect(shares.others.length).toBeGreaterThanOrEqual(1);
    expect(shares.others[0]!.cpu).toBeGreaterThan(shares.main.cpu);
    expect(describeThreads(shares)).toMatch(
      /^main \d\.\d\d \(\+\d\.\d\d waiting\); busiest others \d\.\d\d \(\+\d\.\d\d waiting\).*; helpers \d\.\d\d; machine idle \d\.\d\d of \d+ cores \(\d\.\d s\)$/,
    );
  });
});
