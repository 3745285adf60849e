/**
 * Ingest end to end: pre-encoded 500-span OTLP protobuf requests posted by
 * concurrent clients to a real collector (child process) on loopback, into a
 * SQLite file; timed from the first request until the store holds every log.
 * The first request's bodies go once before the clock starts (a warm-up: the
 * child's decode and writer threads start loading only once it listens), and
 * again in the timed run, where they are stored once.
 */
import fs from 'node:fs';
import { openSqliteStore } from '@tooltrace/store';
import type { EncodedChunk } from '../generator.ts';
import { startServerChild } from '../lib/child.ts';
import { HttpClient, warmUp } from '../lib/http.ts';
import { Progress } from '../lib/progress.ts';
import { cpuSeconds, type ThreadShares, threadShares, threadSnapshot } from '../peers/proc.ts';
import { type BenchConfig, fileSizeMb, freshStore } from './context.ts';

export interface IngestResult {
  requests: number;
  spans: number;
  logs: number;
  logsStored: number;
  bodyMb: number;
  seconds: number;
  spansPerSec: number;
  logsPerSec: number;
  /** Requests the collector pushed back (429/503) and the clients re-sent. */
  pushedBack: number;
  /** The collector process's CPU (all threads) from the first timed request until every log was stored. */
  cpuSeconds: number;
  /** Where the collector's threads spent the same window, and how much of the machine stayed idle. */
  threads: ThreadShares;
  rssAtReadyMb: number;
  peakRssMb: number;
  dbMb: number;
}

const PROTOBUF = { 'content-type': 'application/x-protobuf' };

export interface IngestOptions {
  /** Forward the project to this OTLP/HTTP receiver (one destination) while ingesting. */
  forwardTo?: string;
  /** Decode worker threads; default 1 (`tooltrace start` on 2 cores). The store's writer has its own thread. */
  decodeWorkers?: number;
}

export async function runCollectorIngest(
  config: BenchConfig,
  chunks: readonly EncodedChunk[],
  options: IngestOptions = {},
): Promise<IngestResult> {
  const prepared = await freshStore(config, 'ingest');
  fs.rmSync(`${prepared.file}.outbox`, { force: true });
  if (options.forwardTo) {
    const settings = openSqliteStore({ path: prepared.file, retentionSweepIntervalMs: 0 });
    await settings.destinations.create(prepared.projectId, { name: 'bench receiver', endpoint: options.forwardTo });
    await settings.close();
  }
  const spans = chunks.reduce((n, c) => n + c.spans, 0);
  const logs = chunks.reduce((n, c) => n + c.logEntries, 0);
  const bodyBytes = chunks.reduce((n, c) => n + c.traces.byteLength + (c.logs?.byteLength ?? 0), 0);

  const child = await startServerChild('collector', prepared.file, {
    BENCH_WRITER: 'worker',
    BENCH_DECODE_WORKERS: String(options.decodeWorkers ?? 1),
    ...(options.forwardTo ? { BENCH_FORWARD: 'on' } : {}),
  });
  const reader = openSqliteStore({ path: prepared.file, retentionSweepIntervalMs: 0 });
  const auth = { authorization: `Bearer ${prepared.ingestKey}` };
  const first = chunks[0]!;
  await warmUp(child.url, auth, [
    { path: '/v1/traces', body: first.traces },
    ...(first.logs ? [{ path: '/v1/logs', body: first.logs }] : []),
  ]);
  const client = new HttpClient(child.url, auth, config.clients);
  let peakSampledKb = child.rssAtReadyKb;
  const sampler = setInterval(() => {
    peakSampledKb = Math.max(peakSampledKb, child.rssKb() ?? 0);
  }, 100);
  let pushedBack = 0;
  try {
    const progress = new Progress('ingest (collector)', spans, ' spans');
    const post = async (path: string, body: Uint8Array): Promise<void> => {
      for (let attempt = 0; ; attempt++) {
        const res = await client.request('POST', path, body, PROTOBUF);
        if (res.status >= 200 && res.status < 300) return;
        if ((res.status === 429 || res.status === 503) && attempt < 1000) {
          pushedBack++;
          const retryAfterS = Number(res.headers['retry-after']);
          await sleep(Number.isFinite(retryAfterS) && retryAfterS > 0 ? Math.min(retryAfterS * 1000, 1000) : 50);
          continue;
        }
        throw new Error(`POST ${path} answered ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
      }
    };
    let next = 0;
    const cpuBefore = cpuSeconds(child.pid);
    const threadsBefore = threadSnapshot(child.pid);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: config.clients }, async () => {
        for (let i = next++; i < chunks.length; i = next++) {
          const chunk = chunks[i]!;
          await post('/v1/traces', chunk.traces);
          if (chunk.logs) await post('/v1/logs', chunk.logs);
          progress.tick(chunk.spans);
        }
      }),
    );
    progress.finish();
    // The collector may acknowledge before its batch is written: end to end means stored.
    const { logCount: logsStored, reachedAt } = await waitForLogs(reader, prepared.projectId, logs);
    const seconds = (reachedAt - started) / 1000;
    const cpu = cpuSeconds(child.pid) - cpuBefore;
    const threads = threadShares(threadsBefore, threadSnapshot(child.pid));
    clearInterval(sampler);
    const { maxRssKb } = await child.stop();
    await reader.close();
    return {
      requests: chunks.length + chunks.filter((c) => c.logs).length,
      spans,
      logs,
      logsStored,
      bodyMb: bodyBytes / 1024 / 1024,
      seconds,
      spansPerSec: spans / seconds,
      logsPerSec: logs / seconds,
      pushedBack,
      cpuSeconds: cpu,
      threads,
      rssAtReadyMb: child.rssAtReadyKb / 1024,
      peakRssMb: Math.max(maxRssKb, peakSampledKb) / 1024,
      dbMb: fileSizeMb(prepared.file),
    };
  } finally {
    clearInterval(sampler);
    client.close();
    await reader.close();
  }
}

/**
 * Polls the store's log count until it reaches `expected`, or stops moving
 * for 5 s (then the time is when it last moved, so the wait is not counted).
 */
async function waitForLogs(
  reader: ReturnType<typeof openSqliteStore>,
  projectId: string,
  expected: number,
): Promise<{ logCount: number; reachedAt: number }> {
  let last = -1;
  let changedAt = performance.now();
  for (;;) {
    const { logCount } = await reader.retentionStatus(projectId);
    const now = performance.now();
    if (logCount >= expected) return { logCount, reachedAt: now };
    if (logCount !== last) {
      last = logCount;
      changedAt = now;
    } else if (now - changedAt > 5000) {
      return { logCount, reachedAt: changedAt };
    }
    await sleep(20);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
