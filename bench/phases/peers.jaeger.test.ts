/**
 * The peers phase at toy size against a real Jaeger v2 (built once from its Go
 * module, cached under ~/.cache/tooltrace) and a real `tooltrace start` child:
 * both take the same bodies, both find a trace by ID afterwards, and the report
 * carries the ratio line. Checks the harness, not speed. Not in `npm test`:
 * `.ci/jaeger-test.sh` runs it where Go is installed (a first build takes
 * minutes; with the cached binary this file takes well under a minute).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkBySpans, type EncodedChunk, encodeChunk, generateTraces } from '../generator.ts';
import { buildJaeger } from '../peers/jaeger.ts';
import { toyConfig } from './context.ts';
import { peersReport, runPeers } from './peers.ts';

const hasGo = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-peers-test-'));
const config = { ...toyConfig(dir, { seed: 9, queryLogs: 1000, runs: 1 }), peerRounds: 1 };

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasGo)('bench peers phase (toy size, real Jaeger v2)', () => {
  // Builds Jaeger once (minutes) or finds it in the cache, within the hook timeout rather than the test's.
  beforeAll(async () => {
    await buildJaeger();
  });

  it('sends the same bodies to tooltrace and Jaeger, both find a sent trace by ID, and reports the ratio', async () => {
    const now = Date.now();
    const chunks: EncodedChunk[] = [];
    const traceIds: string[] = [];
    const traces = generateTraces({ seed: 9, fromMs: now - 60_000, toMs: now, expectedTraces: 150 });
    for (const chunk of chunkBySpans(traces, 500)) {
      chunks.push(encodeChunk(chunk));
      traceIds.push(chunk.spans[0]!.traceId);
      if (chunks.length === 2) break;
    }
    const result = await runPeers(config, chunks, traceIds);
    if ('skipped' in result) throw new Error(`peers phase skipped although go is installed: ${result.skipped}`);
    expect(result.rounds).toHaveLength(1);
    const [round] = result.rounds;
    for (const side of [round!.tooltrace, round!.jaeger]) {
      expect(side.spans).toBe(1000);
      expect(side.acceptedSpansPerSec).toBeGreaterThan(0);
      // Every timed lookup found its trace (a miss throws inside the phase).
      expect(side.lookup.runs).toBe(50);
      // Both are real processes: some CPU, tens of MB resident at least, far below gigabytes at toy size.
      expect(side.cpuSeconds).toBeGreaterThan(0);
      expect(side.peakRssMb).toBeGreaterThan(10);
      expect(side.peakRssMb).toBeLessThan(4096);
    }
    // Jaeger's storage exporter metric was read and reached every span.
    expect(round!.jaeger.writtenSeconds).not.toBeNull();
    expect(peersReport(result)).toMatch(/\npeer ratio jaeger \d+\.\d\d$/);
  }, 120_000);
});
