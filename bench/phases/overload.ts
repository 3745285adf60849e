/**
 * Overload (DESIGN §10): `tooltrace start`'s wiring (collector with decode
 * workers + query API on one SQLite file, in a child process) is measured
 * for capacity (closed loop, a few clients), then offered twice that for a
 * while by paced clients that honour Retry-After like the official
 * exporters. Meanwhile a trace lookup runs on the query API. Reports accepted
 * spans/s as a share of capacity, the share of 429s, time-outs, peak RSS and
 * the lookup p99. Pre-encoded bodies are re-sent in a cycle (upserts: the
 * store's work per request stays that of a write).
 */
import type { EncodedChunk } from '../generator.ts';
import { startServerChild } from '../lib/child.ts';
import { HttpClient } from '../lib/http.ts';
import { type LatencySummary, summarize } from '../lib/stats.ts';
import { type BenchConfig, freshStore } from './context.ts';

export interface OverloadResult {
  decodeWorkers: number;
  capacitySpansPerSec: number;
  offeredSpansPerSec: number;
  acceptedSpansPerSec: number;
  acceptedShareOfCapacity: number;
  answers: number;
  share429: number;
  share503: number;
  retryAfterSeen: boolean;
  timeouts: number;
  peakRssMb: number;
  lookup: LatencySummary;
  seconds: number;
}

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const CLIENT_TIMEOUT_MS = 30_000;
const WARM_UP_SECONDS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Tally {
  acceptedSpans: number;
  answers: number;
  refused429: number;
  refused503: number;
  retryAfterSeen: boolean;
  timeouts: number;
}

/** One client: sends bodies in turn; a 429/503 waits its Retry-After and sends the same body again. */
async function client(
  http: HttpClient,
  chunks: readonly EncodedChunk[],
  next: () => number,
  until: number,
  paceMs: number,
  tally: Tally,
): Promise<void> {
  while (performance.now() < until) {
    const chunk = chunks[next() % chunks.length]!;
    const sentAt = performance.now();
    for (;;) {
      const answer = await Promise.race([
        http.request('POST', '/v1/traces', chunk.traces, PROTOBUF),
        sleep(CLIENT_TIMEOUT_MS).then(() => null),
      ]);
      if (answer === null) {
        tally.timeouts++;
        break;
      }
      tally.answers++;
      if (answer.status === 200) {
        tally.acceptedSpans += chunk.spans;
        break;
      }
      if (answer.status !== 429 && answer.status !== 503) throw new Error(`collector answered ${answer.status}`);
      if (answer.status === 429) tally.refused429++;
      else tally.refused503++;
      const retryAfterS = Number(answer.headers['retry-after']);
      if (Number.isFinite(retryAfterS) && retryAfterS > 0) tally.retryAfterSeen = true;
      if (performance.now() >= until) return;
      await sleep(Number.isFinite(retryAfterS) && retryAfterS > 0 ? retryAfterS * 1000 : 1000);
    }
    const wait = paceMs - (performance.now() - sentAt);
    if (wait > 0) await sleep(wait);
  }
}

async function drive(
  url: string,
  ingestKey: string,
  chunks: readonly EncodedChunk[],
  clients: number,
  seconds: number,
  paceMs: number,
): Promise<Tally> {
  const http = new HttpClient(url, { authorization: `Bearer ${ingestKey}` }, clients);
  const tally: Tally = {
    acceptedSpans: 0,
    answers: 0,
    refused429: 0,
    refused503: 0,
    retryAfterSeen: false,
    timeouts: 0,
  };
  let i = 0;
  const until = performance.now() + seconds * 1000;
  try {
    await Promise.all(Array.from({ length: clients }, () => client(http, chunks, () => i++, until, paceMs, tally)));
  } finally {
    http.close();
  }
  return tally;
}

export async function runOverload(
  config: BenchConfig,
  chunks: readonly EncodedChunk[],
  /** `lookupTraceId`: a trace the first chunk holds, looked up on the query API during the overload. */
  options: { decodeWorkers: number; capacitySeconds: number; overloadSeconds: number; lookupTraceId: string },
): Promise<OverloadResult> {
  const prepared = await freshStore(config, `overload-${options.decodeWorkers}`);
  const child = await startServerChild('start', prepared.file, { BENCH_DECODE_WORKERS: String(options.decodeWorkers) });
  let peakKb = child.rssAtReadyKb;
  const sampler = setInterval(() => {
    peakKb = Math.max(peakKb, child.rssKb() ?? 0);
  }, 100);
  try {
    const spansPerChunk = chunks[0]!.spans;
    const clients = Math.max(config.clients * 4, 16);
    // Capacity: what the collector accepts when the same clients send as fast as it answers (refused ones
    // wait their Retry-After), after a warm-up (workers starting, JIT) that is not counted. Fewer clients in
    // a closed loop under-measure it (they wait on each other's round trips).
    await drive(child.url, prepared.ingestKey, chunks, clients, WARM_UP_SECONDS, 0);
    const capacity = await drive(child.url, prepared.ingestKey, chunks, clients, options.capacitySeconds, 0);
    const capacitySpansPerSec = capacity.acceptedSpans / options.capacitySeconds;

    // Twice that, paced, with a lookup of a stored trace running beside it.
    const offered = 2 * capacitySpansPerSec;
    const paceMs = (clients * spansPerChunk * 1000) / offered;
    const traceId = options.lookupTraceId;
    const api = new HttpClient(child.apiUrl!, { authorization: `Bearer ${prepared.readKey}` }, 1);
    const lookups: number[] = [];
    let loading = true;
    const lookupLoop = (async () => {
      while (loading) {
        const started = performance.now();
        const answer = await api.request('GET', `/api/v1/traces/${traceId}`);
        if (answer.status !== 200) throw new Error(`trace lookup answered ${answer.status}`);
        lookups.push(performance.now() - started);
        await sleep(20);
      }
    })();
    const load = await drive(child.url, prepared.ingestKey, chunks, clients, options.overloadSeconds, paceMs).finally(
      () => {
        loading = false;
      },
    );
    await lookupLoop;
    api.close();
    const accepted = load.acceptedSpans / options.overloadSeconds;
    return {
      decodeWorkers: options.decodeWorkers,
      capacitySpansPerSec,
      offeredSpansPerSec: offered,
      acceptedSpansPerSec: accepted,
      acceptedShareOfCapacity: accepted / capacitySpansPerSec,
      answers: load.answers,
      share429: load.refused429 / Math.max(1, load.answers),
      share503: load.refused503 / Math.max(1, load.answers),
      retryAfterSeen: load.retryAfterSeen,
      timeouts: load.timeouts,
      peakRssMb: peakKb / 1024,
      lookup: summarize(lookups),
      seconds: options.overloadSeconds,
    };
  } finally {
    clearInterval(sampler);
    await child.stop();
  }
}
