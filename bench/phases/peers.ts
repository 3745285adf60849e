/**
 * Peers (issue 12): tooltrace as `tooltrace start` wires it (collector + query
 * API on one SQLite file, child process) against Jaeger v2 with its embedded
 * Badger store, on the same machine, with the same pre-encoded OTLP/HTTP
 * protobuf trace bodies from the same number of keep-alive clients, in
 * alternating rounds (the order flips every round). Each side starts fresh per
 * round. Then a trace lookup by ID on both (tooltrace `GET /api/v1/traces/{id}`,
 * Jaeger `GET /api/traces/{id}` on its query port).
 *
 * "Accepted" is the time until the last 2xx. tooltrace answers 200 only after
 * the write; Jaeger answers once its batch processor has the spans, so its
 * Badger writes may still run: its "written" time (its storage exporter's
 * sent-spans metric reaching the total) is reported beside it, and CPU is taken
 * until then. The ratio the issue asks for is on accepted spans/s.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EncodedChunk } from '../generator.ts';
import { startServerChild } from '../lib/child.ts';
import { HttpClient, warmUp } from '../lib/http.ts';
import { Progress } from '../lib/progress.ts';
import { fmt, table } from '../lib/report.ts';
import { type LatencySummary, median, summarize } from '../lib/stats.ts';
import { buildJaeger, JAEGER_MODULE_VERSION, jaegerSpansWritten, startJaeger } from '../peers/jaeger.ts';
import { cpuSeconds, peakRssKb } from '../peers/proc.ts';
import { type BenchConfig, freshStore } from './context.ts';

export interface PeerSide {
  spans: number;
  /** First request sent → last 2xx. */
  acceptedSeconds: number;
  acceptedSpansPerSec: number;
  /** First request sent → every span in storage (tooltrace: = accepted). Null if it could not be seen. */
  writtenSeconds: number | null;
  pushedBack: number;
  peakRssMb: number;
  cpuSeconds: number;
  cpuSecondsPer100kSpans: number;
  lookup: LatencySummary;
}

export interface PeerRound {
  round: number;
  first: 'tooltrace' | 'jaeger';
  tooltrace: PeerSide;
  jaeger: PeerSide;
  /** tooltrace ÷ Jaeger, accepted spans/s. */
  ratio: number;
}

export type PeersResult =
  | { skipped: string }
  | { jaeger: string; binary: string; clients: number; rounds: PeerRound[]; ratio: number };

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const LOOKUPS = 50;
const WRITTEN_DEADLINE_MS = 120_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts every trace body once with `clients` keep-alive clients; a 429/503 waits its Retry-After and re-sends. */
async function sendAll(
  label: string,
  url: string,
  headers: Record<string, string>,
  chunks: readonly EncodedChunk[],
  clients: number,
): Promise<{ seconds: number; pushedBack: number; started: number }> {
  const http = new HttpClient(url, headers, clients);
  const progress = new Progress(
    label,
    chunks.reduce((n, c) => n + c.spans, 0),
    ' spans',
  );
  let pushedBack = 0;
  let next = 0;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let i = next++; i < chunks.length; i = next++) {
          for (let attempt = 0; ; attempt++) {
            const res = await http.request('POST', '/v1/traces', chunks[i]!.traces, PROTOBUF);
            if (res.status >= 200 && res.status < 300) break;
            if ((res.status !== 429 && res.status !== 503) || attempt >= 1000)
              throw new Error(`${label}: POST /v1/traces answered ${res.status}: ${res.body.toString().slice(0, 300)}`);
            pushedBack++;
            const retryAfterS = Number(res.headers['retry-after']);
            await sleep(Number.isFinite(retryAfterS) && retryAfterS > 0 ? Math.min(retryAfterS * 1000, 1000) : 50);
          }
          progress.tick(chunks[i]!.spans);
        }
      }),
    );
    progress.finish();
    return { seconds: (performance.now() - started) / 1000, pushedBack, started };
  } finally {
    http.close();
  }
}

/** Waits (bounded) until every trace in `traceIds` is found, then times `LOOKUPS` lookups over them. */
async function timeLookups(
  label: string,
  traceIds: readonly string[],
  found: (traceId: string) => Promise<boolean>,
): Promise<LatencySummary> {
  const deadline = Date.now() + WRITTEN_DEADLINE_MS;
  for (const id of [traceIds[0]!, traceIds.at(-1)!]) {
    while (!(await found(id))) {
      if (Date.now() > deadline) throw new Error(`${label}: trace ${id} was never found`);
      await sleep(200);
    }
  }
  const times: number[] = [];
  for (let i = 0; i < LOOKUPS; i++) {
    const id = traceIds[(i * 7919) % traceIds.length]!;
    const started = performance.now();
    if (!(await found(id))) throw new Error(`${label}: trace ${id} not found after the load`);
    times.push(performance.now() - started);
  }
  return summarize(times);
}

function side(
  spans: number,
  sent: { seconds: number; pushedBack: number },
  extra: Omit<PeerSide, 'spans' | 'acceptedSeconds' | 'acceptedSpansPerSec' | 'pushedBack' | 'cpuSecondsPer100kSpans'>,
): PeerSide {
  return {
    spans,
    acceptedSeconds: sent.seconds,
    acceptedSpansPerSec: spans / sent.seconds,
    pushedBack: sent.pushedBack,
    cpuSecondsPer100kSpans: (extra.cpuSeconds / spans) * 100_000,
    ...extra,
  };
}

async function runTooltrace(
  config: BenchConfig,
  chunks: readonly EncodedChunk[],
  traceIds: readonly string[],
  round: number,
) {
  const spans = chunks.reduce((n, c) => n + c.spans, 0);
  const prepared = await freshStore(config, `peers-${round}`);
  const child = await startServerChild('start', prepared.file);
  try {
    const auth = { authorization: `Bearer ${prepared.ingestKey}` };
    await warmUp(child.url, auth, [{ path: '/v1/traces', body: chunks[0]!.traces }]);
    const cpuBefore = cpuSeconds(child.pid);
    const sent = await sendAll(`tooltrace round ${round}`, child.url, auth, chunks, config.clients);
    const cpu = cpuSeconds(child.pid) - cpuBefore;
    const api = new HttpClient(child.apiUrl!, { authorization: `Bearer ${prepared.readKey}` }, 1);
    const lookup = await timeLookups('tooltrace', traceIds, async (id) => {
      const res = await api.request('GET', `/api/v1/traces/${id}`);
      return res.status === 200;
    }).finally(() => api.close());
    const peak = peakRssKb(child.pid);
    return side(spans, sent, { writtenSeconds: sent.seconds, peakRssMb: peak / 1024, cpuSeconds: cpu, lookup });
  } finally {
    await child.stop();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${prepared.file}${suffix}`, { force: true });
  }
}

async function runJaeger(
  config: BenchConfig,
  binary: string,
  chunks: readonly EncodedChunk[],
  traceIds: readonly string[],
  round: number,
) {
  const spans = chunks.reduce((n, c) => n + c.spans, 0);
  const workDir = path.join(config.dir, `jaeger-${round}`);
  fs.rmSync(workDir, { recursive: true, force: true });
  const jaeger = await startJaeger(binary, workDir);
  try {
    await warmUp(jaeger.otlpUrl, {}, [{ path: '/v1/traces', body: chunks[0]!.traces }]);
    // Jaeger keeps the warm-up's spans a second time; its written count includes them.
    const writtenTarget = spans + chunks[0]!.spans;
    const cpuBefore = cpuSeconds(jaeger.pid);
    const sent = await sendAll(`jaeger round ${round}`, jaeger.otlpUrl, {}, chunks, config.clients);
    // Written: the storage exporter's own count reaches every span (bounded; null if the metric is missing).
    let writtenSeconds: number | null = null;
    const deadline = Date.now() + WRITTEN_DEADLINE_MS;
    for (;;) {
      const written = await jaegerSpansWritten(jaeger);
      if (written === null) break;
      if (written >= writtenTarget) {
        writtenSeconds = (performance.now() - sent.started) / 1000;
        break;
      }
      if (Date.now() > deadline) throw new Error(`jaeger wrote only ${written} of ${writtenTarget} spans`);
      await sleep(50);
    }
    const cpu = cpuSeconds(jaeger.pid) - cpuBefore;
    const api = new HttpClient(jaeger.queryUrl, {}, 1);
    const lookup = await timeLookups('jaeger', traceIds, async (id) => {
      const res = await api.request('GET', `/api/traces/${id}`);
      if (res.status !== 200) return false;
      const body = JSON.parse(res.body.toString('utf8')) as { data?: { spans?: unknown[] }[] };
      return (body.data?.[0]?.spans?.length ?? 0) > 0;
    }).finally(() => api.close());
    const peak = peakRssKb(jaeger.pid);
    return side(spans, sent, { writtenSeconds, peakRssMb: peak / 1024, cpuSeconds: cpu, lookup });
  } finally {
    await jaeger.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

export async function runPeers(
  config: BenchConfig & { peerRounds: number },
  chunks: readonly EncodedChunk[],
  traceIds: readonly string[],
): Promise<PeersResult> {
  const build = await buildJaeger();
  if ('skipped' in build) return build;
  const rounds: PeerRound[] = [];
  for (let round = 1; round <= config.peerRounds; round++) {
    const first = round % 2 === 1 ? 'tooltrace' : 'jaeger';
    const t = first === 'tooltrace' ? await runTooltrace(config, chunks, traceIds, round) : null;
    const j = await runJaeger(config, build.binary, chunks, traceIds, round);
    const tooltrace = t ?? (await runTooltrace(config, chunks, traceIds, round));
    rounds.push({ round, first, tooltrace, jaeger: j, ratio: tooltrace.acceptedSpansPerSec / j.acceptedSpansPerSec });
  }
  const ratio = median(rounds.map((r) => r.ratio));
  return {
    jaeger: `Jaeger v2 (module ${JAEGER_MODULE_VERSION}), Badger on disk`,
    binary: build.binary,
    clients: config.clients,
    rounds,
    ratio,
  };
}

export function peersReport(result: PeersResult): string {
  if ('skipped' in result) return `peers phase SKIPPED: ${result.skipped}\npeer ratio jaeger n/a`;
  const row = (r: PeerRound, name: 'tooltrace' | 'jaeger') => {
    const s = r[name];
    return [
      r.round,
      name,
      fmt.rate(s.acceptedSpansPerSec),
      fmt.s(s.acceptedSeconds),
      s.writtenSeconds === null ? 'n/a' : fmt.s(s.writtenSeconds),
      s.pushedBack,
      fmt.mb(s.peakRssMb),
      fmt.s(s.cpuSecondsPer100kSpans),
      fmt.ms(s.lookup.p50),
      fmt.ms(s.lookup.p99),
    ];
  };
  return [
    `${result.jaeger}; ${result.clients} clients, the same 500-span protobuf bodies; order flips each round`,
    table(
      [
        'round',
        'system',
        'accepted spans/s',
        'accepted s',
        'written s',
        '429/503',
        'peak RSS MB',
        'CPU s / 100k spans',
        'lookup p50 ms',
        'lookup p99 ms',
      ],
      result.rounds.flatMap((r) => [row(r, 'tooltrace'), row(r, 'jaeger')]),
      2,
    ),
    ...result.rounds.map((r) => `round ${r.round} (${r.first} first): tooltrace / jaeger = ${r.ratio.toFixed(2)}`),
    `peer ratio jaeger ${result.ratio.toFixed(2)}`,
  ].join('\n');
}
