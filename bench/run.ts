/**
 * `npm run bench`: ingest throughput against the raw limit measured in the
 * same run, query latency on a store at the Pro cap, collector RSS and
 * retention time. Progress goes to stderr, the report to stdout, figures to
 * bench/results.json; the last line printed is `ingest ratio <x>`.
 *
 * Environment (all optional):
 *   BENCH_LOGS          logs in the query store (default 1000000, the Pro cap)
 *   BENCH_INGEST_SPANS  spans posted to the collector (default 100000)
 *   BENCH_CLIENTS       concurrent ingest clients (default 4)
 *   BENCH_INGEST_ROUNDS rounds of collector + limits, back to back (default 3; the ratio is their median)
 *   BENCH_RUNS          timed runs per query (default 200; at least 200 for the goals)
 *   BENCH_PHASES        comma list of ingest,query,forward,overload,peers (default all five)
 *   BENCH_FORWARD_ROUNDS rounds of forwarding off/on pairs (default 2)
 *   BENCH_OVERLOAD_SECONDS  how long twice the capacity is offered, per decode-worker count (default 60)
 *   BENCH_PEER_ROUNDS   alternating rounds of tooltrace and Jaeger v2 in the peers phase (default 3)
 *   BENCH_RETRY_AFTER   seconds a full write queue tells clients in the server children (default the collector's 1)
 *   BENCH_SEED          generator seed (default 1)
 *   BENCH_DIR           scratch directory (default a new temp dir, removed after)
 *   BENCH_CPU_PROF      directory for V8 CPU profiles of the collector / query API children
 *   BENCH_SERVERS_FROM  build (default: the packages are built first, `tsc -b tsconfig.build.json`, and the server
 *                       children and their worker threads run dist/ as shipped) | sources (tsx, as the tests run;
 *                       each worker thread then loads the tsx loader too: ~15 MB more RSS per thread)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { configFromEnv } from './config.ts';
import { chunkBySpans, encodeChunk, generateTraces } from './generator.ts';
import { describeThreads, fmt, p99Chart, table } from './lib/report.ts';
import { median } from './lib/stats.ts';
import type { BenchConfig } from './phases/context.ts';
import { decodeAndMap } from './phases/decode-map.ts';
import { facetAbTable, runFacetAb } from './phases/facet-ab.ts';
import { fillQueryStore } from './phases/fill.ts';
import { runForwardingCost } from './phases/forward.ts';
import { type IngestResult, runCollectorIngest } from './phases/ingest.ts';
import { type OverloadResult, overloadReport, runOverload } from './phases/overload.ts';
import { peersReport, runPeers } from './phases/peers.ts';
import { runQueries } from './phases/query.ts';
import { type RawResult, runRawSql, runStoreDirect } from './phases/raw.ts';
import { runRetention } from './phases/retention.ts';

interface IngestRound {
  round: number;
  /** The collector as `tooltrace start` runs it on 2 cores: 1 decode worker, the writer thread. */
  collector: IngestResult | null;
  /** The same with 2 decode workers (how decoding scales with cores). */
  collector2: IngestResult | null;
  direct: RawResult | null;
  raw: RawResult | null;
  ratio: number | null;
}

const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));

/** The ingest phases' requests: pre-encoded 500-span OTLP protobuf bodies, generated once per run. */
function encodeIngest(config: BenchConfig) {
  const now = Date.now();
  const traces = generateTraces({
    seed: config.seed,
    fromMs: now - 600_000,
    toMs: now,
    expectedTraces: config.ingestSpans / 7,
  });
  const chunks = [];
  for (const chunk of chunkBySpans(traces, config.spansPerRequest)) {
    chunks.push(chunk);
    if (chunks.length * config.spansPerRequest >= config.ingestSpans) break;
  }
  const encoded = chunks.map(encodeChunk);
  // One trace per request to look up afterwards (the peers phase).
  const traceIds = chunks.map((c) => c.spans[0]!.traceId);
  return { now, encoded, traceIds, spans: chunks.reduce((n, c) => n + c.spans.length, 0) };
}

/** Builds the packages, so the server children run what ships (bench/lib/child.ts reads BENCH_SERVERS_FROM). */
function buildPackages(): void {
  const from = process.env.BENCH_SERVERS_FROM ?? 'build';
  if (from === 'sources') return;
  if (from !== 'build') throw new Error(`BENCH_SERVERS_FROM must be build or sources, got ${JSON.stringify(from)}`);
  process.stderr.write('building the packages (tsc -b tsconfig.build.json) for the server children…\n');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  process.env.BENCH_SERVERS_FROM = 'build';
}

async function main(): Promise<void> {
  const config = configFromEnv();
  buildPackages();
  const benchStarted = performance.now();
  const results: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadAvgAtStart: os.loadavg(),
      note: 'shared 2-core machine: other work may run at the same time',
    },
    config: { ...config, phases: [...config.phases], serversFrom: process.env.BENCH_SERVERS_FROM },
  };
  const failures: string[] = [];
  const phase = async <T>(name: string, run: () => Promise<T>): Promise<T | null> => {
    try {
      return await run();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`${name}: ${message}`);
      process.stderr.write(`\n${name} failed: ${error instanceof Error ? (error.stack ?? message) : message}\n`);
      return null;
    }
  };
  const out = (text = '') => process.stdout.write(`${text}\n`);
  let ratio = Number.NaN;

  const encodedRequests = ['ingest', 'forward', 'peers'].some((p) => config.phases.has(p))
    ? encodeIngest(config)
    : null;
  if (config.phases.has('ingest') && encodedRequests) {
    const now = encodedRequests.now;
    const { encoded, spans } = encodedRequests;
    // The limits write exactly the collector's rows: its own decode + map of the same bodies, before the clock
    // starts, one batch per request as it writes them. Without them there is no limit to measure.
    const decoded = await phase('decode+map (collector stages)', async () => decodeAndMap(encoded, now));
    // On a shared machine one pass can land on a busy moment: each round measures the collector and its limit
    // back to back, and the ratio is the median of the rounds' ratios.
    const rounds: IngestRound[] = [];
    for (let round = 1; round <= config.ingestRounds; round++) {
      const collector = await phase(`ingest round ${round} (collector)`, () => runCollectorIngest(config, encoded));
      const collector2 = await phase(`ingest round ${round} (collector, 2 decode workers)`, () =>
        runCollectorIngest(config, encoded, { decodeWorkers: 2 }),
      );
      const direct =
        decoded &&
        (await phase(`ingest round ${round} (store.write)`, () => runStoreDirect(config, decoded.batches, spans)));
      const raw =
        decoded && (await phase(`ingest round ${round} (raw SQL)`, () => runRawSql(config, decoded.batches, spans)));
      rounds.push({
        round,
        collector,
        collector2,
        direct,
        raw,
        ratio: collector && direct ? collector.logsPerSec / direct.logsPerSec : null,
      });
    }
    ratio = median(rounds.map((r) => r.ratio).filter((r): r is number => r !== null));
    const workerScaling = median(
      rounds.flatMap((r) => (r.collector && r.collector2 ? [r.collector2.spansPerSec / r.collector.spansPerSec] : [])),
    );
    const best = <T extends { logsPerSec: number }>(list: (T | null)[]) =>
      list.filter((x): x is T => x !== null).sort((a, b) => b.logsPerSec - a.logsPerSec)[0] ?? null;
    const bestCollector = best(rounds.map((r) => r.collector));
    const bestDirect = best(rounds.map((r) => r.direct));
    const bestRaw = best(rounds.map((r) => r.raw));
    results.ingest = {
      decodeMap: decoded ? { ...decoded, batches: undefined } : null,
      rounds,
      ratio,
      workerScaling,
      ratioOfBest: bestCollector && bestDirect ? bestCollector.logsPerSec / bestDirect.logsPerSec : null,
      storeDirectVsRawSql: bestDirect && bestRaw ? bestDirect.logsPerSec / bestRaw.logsPerSec : null,
      peakRssMb: Math.max(...rounds.map((r) => r.collector?.peakRssMb ?? 0)),
      goalRatio: 0.9,
    };
    out('\n== Ingest (500-span OTLP protobuf requests, SQLite file) ==');
    const row = (round: number, path: string, r: RawResult | IngestResult | null) =>
      r
        ? [
            round,
            path,
            r.spans,
            r.logs,
            fmt.s(r.seconds),
            fmt.rate(r.spansPerSec),
            fmt.rate(r.logsPerSec),
            fmt.mb(r.dbMb),
          ]
        : [round, path, 'failed', '', '', '', '', ''];
    out(
      table(
        ['round', 'path', 'spans', 'logs', 'seconds', 'spans/s', 'logs/s', 'db MB'],
        rounds.flatMap((r) => [
          row(r.round, 'collector (HTTP, child process)', r.collector),
          row(r.round, 'collector, 2 decode workers', r.collector2),
          row(r.round, 'store.write in-process (limit)', r.direct),
          row(r.round, 'raw SQL inserts (floor)', r.raw),
        ]),
        2,
      ),
    );
    for (const r of rounds) {
      const c = r.collector;
      if (!c) continue;
      out(
        `round ${r.round}: collector / store.write = ${r.ratio?.toFixed(2) ?? 'n/a'}; ${c.requests} requests, ${fmt.mb(c.bodyMb)} MB of protobuf, ${config.clients} clients, ${c.pushedBack} pushed back (429/503); collector RSS ${fmt.mb(c.rssAtReadyMb)} MB at start, peak ${fmt.mb(c.peakRssMb)} MB`,
      );
      if (c.logsStored < c.logs) out(`WARNING: only ${c.logsStored} of ${c.logs} logs were stored`);
      for (const [label, result] of [
        ['1 decode worker', c],
        ['2 decode workers', r.collector2],
      ] as const)
        if (result) out(`  collector threads, ${label}: ${describeThreads(result.threads)}`);
    }
    if (decoded) {
      out(
        `collector stages in-process: protobuf decode ${fmt.ms(decoded.decodeUsPerSpan)} µs/span, redact ${fmt.ms(decoded.redactUsPerSpan)} µs/span, map ${fmt.ms(decoded.mapUsPerSpan)} µs/span (${fmt.rate(1e6 / (decoded.decodeUsPerSpan + decoded.redactUsPerSpan + decoded.mapUsPerSpan))} spans/s on one core); ${decoded.rejected} rejected`,
      );
    } else out('collector stages failed: no facts, so no limit was measured');
    if (bestDirect && bestRaw)
      out(`store.write / raw SQL (best rounds) = ${(bestDirect.logsPerSec / bestRaw.logsPerSec).toFixed(2)}`);
    out(
      `decode workers 2 / 1 = ${Number.isFinite(workerScaling) ? workerScaling.toFixed(2) : 'n/a'} (accepted spans/s, median of rounds; the writer thread is one either way)`,
    );
    out(
      `ingest ratio = collector / store.write = ${Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a'} (median of ${rounds.length} rounds; goal ≥ 0.9)`,
    );
  }

  if (config.phases.has('forward') && encodedRequests) {
    const forward = await phase('forwarding on/off', () =>
      runForwardingCost(config, encodedRequests.encoded, config.forwardRounds),
    );
    if (forward) {
      results.forward = forward;
      out('\n== Forwarding cost: one destination (local receiver) on vs off, alternating ==');
      out(
        table(
          [
            'round',
            'off spans/s',
            'on spans/s',
            'on / off',
            'CPU s/100k off',
            'CPU s/100k on',
            'forwarded requests',
            'forwarded MB',
          ],
          forward.rounds.map((r) => [
            r.round,
            fmt.rate(r.off.spansPerSec),
            fmt.rate(r.on.spansPerSec),
            r.ratio.toFixed(2),
            fmt.s((r.off.cpuSeconds / r.off.spans) * 100_000),
            fmt.s((r.on.cpuSeconds / r.on.spans) * 100_000),
            r.receivedRequests,
            fmt.mb(r.receivedMb),
          ]),
        ),
      );
      out(`forwarding ratio = on / off = ${forward.ratio.toFixed(2)} (median; goal ≥ ${forward.goalRatio})`);
    }
  }

  if (config.phases.has('peers') && encodedRequests) {
    out('\n== Peers: tooltrace start (SQLite) vs Jaeger v2 (Badger), same bodies, alternating rounds ==');
    const peers = await phase('peers', () => runPeers(config, encodedRequests.encoded, encodedRequests.traceIds));
    results.peers = peers;
    if (peers) out(peersReport(peers));
  }

  if (config.phases.has('query')) {
    const now = Date.now();
    const fill = await phase('fill', () => fillQueryStore(config, now));
    if (fill) {
      results.fill = { ...fill, samples: undefined, store: undefined };
      out(
        `\n== Query store: ${fill.logsStored.toLocaleString('en-US')} logs (${fmt.mb(fill.dbMb)} MB), filled by store.write at ${fmt.rate(fill.logsPerSec)} logs/s in ${fmt.s(fill.seconds)} s ==`,
      );
      const queries = await phase('queries', () => runQueries(config, fill, now));
      if (queries) {
        results.queries = queries;
        out(
          table(
            ['query', 'runs', 'p50 ms', 'p95 ms', 'p99 ms', 'goal p99', 'ok', 'rows'],
            queries.map((q) => [
              q.name,
              q.runs,
              fmt.ms(q.p50),
              fmt.ms(q.p95),
              fmt.ms(q.p99),
              `< ${q.goalP99Ms}`,
              q.failures > 0 ? `${q.failures} failed` : q.p99 < q.goalP99Ms ? 'yes' : 'NO',
              q.resultSize ?? '',
            ]),
          ),
        );
        for (const q of queries) if (q.firstFailure) out(`  ${q.name}: ${q.firstFailure}`);
        out('\np99 against goal (| = goal):');
        out(p99Chart(queries));
      }
      const facetAb = await phase('facets 30 d A/B', () => runFacetAb(config, fill, now));
      if (facetAb) {
        results.facetAb = facetAb;
        out('\n== Facets over 30 days, in-process A/B: a scan of the range (before) vs kept day counts (after) ==');
        out(facetAbTable(facetAb));
      }
      const retention = await phase('retention', () => runRetention(config, fill, now));
      if (retention) {
        results.retention = retention;
        out('\n== Retention at the cap ==');
        out(
          table(
            ['operation', 'ms', 'logs deleted'],
            [
              ['sweep, nothing due (median of 20)', fmt.ms(retention.idleSweepMs), 0],
              ['500-span write over the cap', fmt.ms(retention.writeAtCapMs), retention.writeAtCapDropped],
              ['sweep 2 days later (age limit)', fmt.ms(retention.ageSweepMs), retention.ageSweepLogsDeleted],
            ],
          ),
        );
      }
    }
  }

  if (config.phases.has('overload')) {
    const overload = await phase('overload', () => overloadPhase(config));
    if (overload) {
      results.overload = overload;
      out(
        '\n== Overload: an open loop at twice the measured capacity, retries after Retry-After; trace lookups meanwhile ==',
      );
      out(overloadReport(overload));
    }
  }

  results.failures = failures;
  results.durationS = (performance.now() - benchStarted) / 1000;
  (results.machine as Record<string, unknown>).loadAvgAtEnd = os.loadavg();
  fs.writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  if (!config.keepDir) fs.rmSync(config.dir, { recursive: true, force: true });
  out(
    `\nbench took ${fmt.s((performance.now() - benchStarted) / 1000)} s; figures in bench/results.json${failures.length ? `; ${failures.length} phase(s) failed` : ''}`,
  );
  if (failures.length) process.exitCode = 1;
  out(`ingest ratio ${Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a'}`);
}

/** `tooltrace start`'s wiring with 1 and 2 decode workers, each measured for capacity then offered twice that. */
async function overloadPhase(config: BenchConfig & { overloadSeconds: number }): Promise<OverloadResult[]> {
  const now = Date.now();
  const traces = generateTraces({
    seed: config.seed + 1,
    fromMs: now - 600_000,
    toMs: now,
    expectedTraces: 20_000 / 7,
  });
  // The generator goes on as long as it is asked: 40 requests' worth, re-sent in a cycle.
  const chunks = [];
  for (const chunk of chunkBySpans(traces, config.spansPerRequest)) {
    chunks.push(chunk);
    if (chunks.length >= 40) break;
  }
  const encoded = chunks.map(encodeChunk);
  const lookupTraceId = chunks[0]!.spans[0]!.traceId;
  const results: OverloadResult[] = [];
  for (const decodeWorkers of [1, 2]) {
    results.push(
      await runOverload(config, encoded, {
        decodeWorkers,
        warmUpSeconds: 3,
        capacitySeconds: 10,
        overloadSeconds: config.overloadSeconds,
        lookupTraceId,
      }),
    );
  }
  return results;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.stdout.write('ingest ratio n/a\n');
  process.exitCode = 1;
});
