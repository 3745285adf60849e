/**
 * A/B of the Elasticsearch writer thread (issue 12), not part of `npm run bench` (it needs a node):
 *
 *   ELASTICSEARCH_URL=http://127.0.0.1:9200 node --conditions=@tooltrace/source --import tsx bench/es-writer-ab.ts
 *
 * The collector in a child process (bench/server-child.ts) with its store on Elasticsearch, written inline or
 * in the writer thread, with the write queue handing the store 1 or 2 writes at once: the variants of
 * VARIANTS (default `inline:1,worker:1,worker:2`; `inline:1` is how `tooltrace start` wired it before), in
 * rotating order, each round on a fresh project, after one warm-up round (the node's JIT); each round's first 4 bodies are sent untimed (the writer thread
 * loading, its JIT). The same
 * pre-encoded 500-span OTLP protobuf bodies from 4 keep-alive clients each round. Prints accepted spans/s
 * (every request answered 2xx; an answer means the bulks succeeded) per round, the median of each variant
 * and its ratio to the first, and the latency of a page of tool calls from the query API served by the same
 * process (`start` mode), requested every LIST_EVERY_MS (default 50; 0 = none) while the load runs. Env: ROUNDS (default 3 each), TARGET_LOGS (default 20 000).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Client } from '@elastic/elasticsearch';
import {
  bootstrapElasticsearch,
  openElasticsearchStore,
  removeElasticsearchResources,
  resourceNames,
} from '@tooltrace/store/elasticsearch';
import { encodeChunk, traffic } from './generator.ts';
import { startServerChild } from './lib/child.ts';
import { HttpClient } from './lib/http.ts';
import { type LatencySummary, median, summarize } from './lib/stats.ts';

const url = process.env.ELASTICSEARCH_URL;
if (!url) throw new Error('set ELASTICSEARCH_URL');
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CLIENTS = 4;
const LIST_EVERY_MS = Number(process.env.LIST_EVERY_MS ?? 50);
const PROTOBUF = { 'content-type': 'application/x-protobuf' };

const now = Date.now();
const chunks = [
  ...traffic({
    seed: 12,
    fromMs: now - 3_600_000,
    toMs: now - 60_000,
    targetLogs: Number(process.env.TARGET_LOGS ?? 20_000),
    spansPerChunk: 500,
  }),
].map(encodeChunk);
// The first few bodies warm each round's process up, untimed; the rest are timed.
const warmUpChunks = chunks.splice(0, 4);
const spans = chunks.reduce((n, c) => n + c.spans, 0);

const client = new Client({ node: url });
const names = resourceNames(`tooltrace-ab-${randomBytes(3).toString('hex')}`);
await bootstrapElasticsearch(client, names);
const admin = await openElasticsearchStore({
  client,
  prefix: names.prefix,
  bootstrap: false,
  retentionSweepIntervalMs: 0,
});

interface Round {
  spansPerSec: number;
  /** CPU seconds of the collector process (all its threads) per 100 000 spans. */
  cpuPer100k: number;
  /** A page of tool calls from the query API (same process) while the load runs. */
  listMs: LatencySummary;
}

/**
 * Pages of the project's newest tool calls, one every LIST_EVERY_MS (or right after a slower one), until
 * `done`: what a dashboard does, at a fixed rate so faster answers do not load the node more.
 */
async function listWhile(apiUrl: string, readKey: string, done: () => boolean): Promise<number[]> {
  const took: number[] = [];
  while (LIST_EVERY_MS > 0 && !done()) {
    const began = performance.now();
    const response = await fetch(`${apiUrl}/api/v1/tool-calls?limit=50`, {
      headers: { authorization: `Bearer ${readKey}` },
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`tool-calls: ${response.status}`);
    took.push(performance.now() - began);
    const rest = LIST_EVERY_MS - (performance.now() - began);
    if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
  }
  return took;
}

/** User + system CPU seconds of a process so far, from /proc (Linux, 100 ticks a second). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function round(variant: string): Promise<Round> {
  const [writer, concurrency] = variant.split(':');
  const { ingestKey, readKey } = await admin.createProject({ name: `ab-${writer}`, plan: 'enterprise' });
  const child = await startServerChild('start', names.prefix, {
    BENCH_STORE: 'elasticsearch',
    BENCH_WRITER: writer ?? 'inline',
    BENCH_WRITE_CONCURRENCY: concurrency ?? '1',
    BENCH_DECODE_WORKERS: '1',
  });
  const http = new HttpClient(child.url, { authorization: `Bearer ${ingestKey}` }, CLIENTS);
  const post = async (path: string, body: Uint8Array) => {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const res = await http.request('POST', path, body, PROTOBUF);
      if (res.status >= 200 && res.status < 300) return;
      if (res.status !== 429 && res.status !== 503) throw new Error(`${path}: ${res.status} ${res.body}`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(Number(res.headers['retry-after']) * 1000, 1000)));
    }
    throw new Error(`${path}: still refused after 1000 tries`);
  };
  try {
    // Untimed: the first write waits for the writer thread to load (a second from sources) and warms it up;
    // a long-running process pays that once.
    for (const chunk of warmUpChunks) {
      await post('/v1/traces', chunk.traces);
      if (chunk.logs) await post('/v1/logs', chunk.logs);
    }
    let next = 0;
    let loading = true;
    const cpuBefore = cpuSeconds(child.pid);
    const started = performance.now();
    const listing = listWhile(child.apiUrl as string, readKey, () => !loading);
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = next++; i < chunks.length; i = next++) {
          const chunk = chunks[i]!;
          await post('/v1/traces', chunk.traces);
          if (chunk.logs) await post('/v1/logs', chunk.logs);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpuPer100k = ((cpuSeconds(child.pid) - cpuBefore) / spans) * 100_000;
    loading = false;
    return { spansPerSec: spans / seconds, cpuPer100k, listMs: summarize(await listing) };
  } finally {
    http.close();
    await child.stop();
  }
}

try {
  const variants = (process.env.VARIANTS ?? 'inline:1,worker:1,worker:2').split(',');
  const warmUp = await round(variants[0] as string);
  console.log(`warm-up ${variants[0]}: ${Math.round(warmUp.spansPerSec)} accepted spans/s`);
  const rounds = new Map(variants.map((v) => [v, [] as Round[]]));
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + r) % variants.length] as string;
      const result = await round(variant);
      rounds.get(variant)?.push(result);
      const { p50, p99, runs } = result.listMs;
      console.log(
        `round ${r + 1} ${variant}: ${Math.round(result.spansPerSec)} accepted spans/s (${spans} spans), ` +
          `${result.cpuPer100k.toFixed(1)} CPU s per 100k spans; ` +
          `tool-call page p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (${runs} pages)`,
      );
    }
  }
  const base = median((rounds.get(variants[0] as string) ?? []).map((r) => r.spansPerSec));
  for (const [variant, results] of rounds) {
    const rate = median(results.map((r) => r.spansPerSec));
    const p50 = median(results.map((r) => r.listMs.p50));
    const p99 = median(results.map((r) => r.listMs.p99));
    const cpu = median(results.map((r) => r.cpuPer100k));
    console.log(
      `median ${variant}: ${Math.round(rate)} spans/s, ratio ${(rate / base).toFixed(2)}, ${cpu.toFixed(1)} CPU s per 100k; ` +
        `tool-call page p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
    );
  }
} finally {
  await admin.close();
  await removeElasticsearchResources(client, names);
  await client.close();
}
