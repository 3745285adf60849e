/**
 * The benchmark's phases at toy size against the real collector, store and
 * query API (child processes on loopback): every log posted is stored, every
 * query answers 200 with data, retention at the cap drops logs, the overload
 * phase's open loop accounts for every batch and answer. Checks the harness,
 * not speed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chunkBySpans, type EncodedChunk, encodeChunk, generateTraces } from '../generator.ts';
import { toyConfig } from './context.ts';
import { decodeAndMap } from './decode-map.ts';
import { runFacetAb } from './facet-ab.ts';
import { fillQueryStore } from './fill.ts';
import { runForwardingCost } from './forward.ts';
import { runCollectorIngest } from './ingest.ts';
import { runOverload } from './overload.ts';
import { runQueries } from './query.ts';
import { runRawSql, runStoreDirect } from './raw.ts';
import { runRetention } from './retention.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-bench-test-'));
const config = toyConfig(dir);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('bench phases (toy size)', () => {
  it('ingests through the collector and writes the same logs through both limits', async () => {
    const now = Date.now();
    const chunks: EncodedChunk[] = [];
    // The generator is endless: take two requests' worth.
    const traces = generateTraces({ seed: 7, fromMs: now - 60_000, toMs: now, expectedTraces: 150 });
    for (const chunk of chunkBySpans(traces, 500)) {
      chunks.push(encodeChunk(chunk));
      if (chunks.length === 2) break;
    }
    const collector = await runCollectorIngest(config, chunks);
    expect(collector.logsStored).toBe(collector.logs);
    // The collector is a Node process (tens of MB resident at least, far below gigabytes at toy size):
    // a unit slip (kB read as MB, bytes as kB) or a peak that misses the ready-time reading fails here.
    expect(collector.rssAtReadyMb).toBeGreaterThan(20);
    expect(collector.peakRssMb).toBeGreaterThanOrEqual(collector.rssAtReadyMb);
    expect(collector.peakRssMb).toBeLessThan(4096);

    const decoded = decodeAndMap(chunks, now);
    expect(decoded.rejected).toBe(0);
    expect(decoded.logs).toBe(collector.logs);
    const direct = await runStoreDirect(config, decoded.batches, decoded.spans);
    const raw = await runRawSql(config, decoded.batches, decoded.spans);
    expect(direct.logs).toBe(collector.logs);
    expect(raw.logs).toBe(collector.logs);
  }, 60_000);

  it('ingests with forwarding off and on, every log stored both times and the receiver sent what was stored', async () => {
    const now = Date.now();
    const chunks: EncodedChunk[] = [];
    const traces = generateTraces({ seed: 8, fromMs: now - 60_000, toMs: now, expectedTraces: 150 });
    for (const chunk of chunkBySpans(traces, 500)) {
      chunks.push(encodeChunk(chunk));
      if (chunks.length === 2) break;
    }
    const forward = await runForwardingCost(config, chunks, 1);
    const [round] = forward.rounds;
    expect(round?.off.logsStored).toBe(round?.off.logs);
    expect(round?.on.logsStored).toBe(round?.on.logs);
    // The "on" collector drains its outbox before it stops: the receiver got the forwarded requests.
    expect(round?.receivedRequests).toBeGreaterThan(0);
    expect(forward.ratio).toBeGreaterThan(0);
  }, 120_000);

  it('fills a store, answers every query with data, and drops logs at the cap', async () => {
    const now = Date.now();
    const fill = await fillQueryStore(config, now);
    expect(fill.logsStored).toBeGreaterThan(0);
    expect(fill.logsStored).toBeLessThanOrEqual(config.queryLogs);

    const queries = await runQueries(config, fill, now);
    for (const q of queries) {
      expect({ query: q.name, failure: q.firstFailure }).toEqual({ query: q.name, failure: null });
      expect(q.runs).toBe(config.runs);
    }
    expect(queries.find((q) => q.name === 'tool call by requestId')?.resultSize).toBeGreaterThan(0);
    expect(queries.find((q) => q.name === 'tool calls page')?.resultSize).toBeGreaterThan(0);

    // The A/B throws if the kept day counts and the scan ever disagree.
    const facetAb = await runFacetAb(config, fill, now);
    expect(facetAb.map((r) => [r.kind, r.before.runs, r.after.runs])).toEqual([
      ['tool calls', config.runs, config.runs],
      ['trigger events', config.runs, config.runs],
    ]);

    const retention = await runRetention(config, fill, now);
    expect(retention.writeAtCapDropped).toBeGreaterThan(0);
    expect(retention.logCountBefore).toBeLessThanOrEqual(config.queryLogs);
    // At toy size the count cap has already dropped the oldest days, so the age sweep may find nothing.
  }, 120_000);

  it('offers an open loop at twice the capacity and accounts for every batch, answer and retry', async () => {
    const now = Date.now();
    const raw = [];
    const traces = generateTraces({ seed: 9, fromMs: now - 60_000, toMs: now, expectedTraces: 300 });
    for (const chunk of chunkBySpans(traces, 500)) {
      raw.push(chunk);
      if (raw.length === 4) break;
    }
    const chunks = raw.map(encodeChunk);
    const result = await runOverload(config, chunks, {
      decodeWorkers: 1,
      warmUpSeconds: 0.5,
      capacitySeconds: 1,
      overloadSeconds: 2,
      lookupTraceId: raw[0]!.spans[0]!.traceId,
    });
    const { load } = result;
    expect(result.capacitySpansPerSec).toBeGreaterThan(0);
    expect(result.plannedSpansPerSec).toBeCloseTo(2 * result.capacitySpansPerSec, 6);
    // Every batch the schedule held was sent or counted as not offered; each started batch ended one way.
    expect(load.scheduled).toBeGreaterThan(0);
    expect(load.started + load.notOffered.firstAttempts).toBe(load.scheduled);
    const { accepted, givenUp, lost, capDropped, retryPendingAtEnd, unexpected } = load.batches;
    expect(accepted + givenUp + lost + capDropped + retryPendingAtEnd + unexpected).toBe(load.started);
    expect(result.offeredSpansPerSec).toBeCloseTo((load.started * 500) / 2, 6);
    // Requests: answered or not; answers: accepted or refused (the phase throws on any other status).
    expect(load.answers + load.timeouts + load.connectionErrors).toBe(load.requests);
    expect(load.accepted + load.refused429 + load.refused503).toBe(load.answers);
    expect(load.other).toEqual({});
    // Each refusal and connection error was retried (a request beyond the first attempts), given up, left at
    // the end or capped; a connection error given up, and a time-out, lose the batch.
    expect(load.refused429 + load.refused503 + load.connectionErrors).toBe(
      load.requests - load.started + givenUp + retryPendingAtEnd + capDropped + (lost - load.timeouts),
    );
    // The collector names its delay on every refusal.
    expect(load.refusedWithoutRetryAfter).toBe(0);
    expect(load.accepted).toBe(accepted);
    expect(load.retriesNeeded.reduce((sum, n) => sum + (n ?? 0), 0)).toBe(accepted);
    expect(result.maxRetries).toBe(accepted > 0 ? load.retriesNeeded.length - 1 : null);
    expect(result.maxRetries ?? 0).toBeLessThanOrEqual(5);
    expect(load.acceptedSpans).toBe(accepted * 500);
    expect(load.acceptedSpansInWindow).toBeLessThanOrEqual(load.acceptedSpans);
    expect(result.acceptedSpansPerSec).toBeCloseTo(load.acceptedSpansInWindow / 2, 6);
    expect(result.acceptedShareOfCapacity).toBeCloseTo(result.acceptedSpansPerSec / result.capacitySpansPerSec, 6);
    expect(result.share429).toBeCloseTo(load.refused429 / load.answers, 6);
    expect(load.maxInFlightSeen).toBeLessThanOrEqual(result.maxInFlight);
    expect(result.lookup.runs).toBeGreaterThan(0);
    expect(result.peakRssMb).toBeGreaterThan(20);
    expect(result.peakRssMb).toBeLessThan(4096);
  }, 120_000);
});
