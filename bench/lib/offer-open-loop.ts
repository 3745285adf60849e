/**
 * The overload phase's open-loop load: batches (pre-encoded OTLP bodies) are
 * started on the schedule of `open-loop.ts` whatever the answers, each
 * refused batch is retried as the official exporters retry it, and every
 * outcome is counted so the identities in `OpenLoopTally` hold.
 *
 * The one client-side bound is `maxInFlight`, requests on the wire at once
 * (one keep-alive socket each). It must not shape the load: a send (first
 * attempt or retry) that finds it reached is not made and is counted as
 * `notOffered`, never delayed, so a slowdown on our side cannot pass for the
 * server keeping up.
 */
import type { EncodedChunk } from '../generator.ts';
import { HttpClient, RequestTimeoutError } from './http.ts';
import {
  afterConnectionError,
  batchesInWindow,
  dueAtMs,
  dueBy,
  nextStep,
  OFFICIAL_EXPORTER_RETRY,
  type RetryPolicy,
} from './open-loop.ts';
import { type LatencySummary, summarize } from './stats.ts';

export interface OpenLoopOptions {
  url: string;
  ingestKey: string;
  chunks: readonly EncodedChunk[];
  bodiesPerSecond: number;
  seconds: number;
  /** Requests on the wire at once; a send beyond it is counted as not offered. */
  maxInFlight: number;
  /** A request unanswered this long is a time-out (destroyed; its batch is lost). */
  requestTimeoutMs: number;
  policy?: RetryPolicy;
}

export interface OpenLoopTally {
  /** Batches the schedule held in the window (each is started, or counted in `notOffered.firstAttempts`). */
  scheduled: number;
  /** Batches whose first attempt went out. */
  started: number;
  /** Sends not made because `maxInFlight` requests were on the wire (the client-side cap). */
  notOffered: { firstAttempts: number; retries: number };
  /** Requests sent (first attempts and retries) = answers + time-outs + connection errors (retried like refusals). */
  requests: number;
  answers: number;
  /** Answers by kind: accepted (2xx) + refused429 + refused503 + other = answers. */
  accepted: number;
  refused429: number;
  refused503: number;
  /** Answers with another status (each also fails the phase). */
  other: Record<string, number>;
  /** Refusals (429/503) that came without a readable Retry-After. */
  refusedWithoutRetryAfter: number;
  timeouts: number;
  connectionErrors: number;
  /**
   * Where each started batch ended: accepted, given up by the retry policy after refusals, lost (a time-out, or
   * connection errors past the retry policy), dropped by the cap on a retry, or still waiting to retry when the
   * window closed (not retried after it).
   */
  batches: {
    accepted: number;
    givenUp: number;
    lost: number;
    capDropped: number;
    retryPendingAtEnd: number;
    unexpected: number;
  };
  /** `retriesNeeded[k]`: accepted batches that needed k retries. */
  retriesNeeded: number[];
  acceptedSpans: number;
  /** Spans whose 2xx came before the window closed (the accepted rate's numerator). */
  acceptedSpansInWindow: number;
  /** Latency of the accepted requests (send → 2xx). */
  acceptedLatency: LatencySummary;
  maxInFlightSeen: number;
  /** How late the generator started its first attempts against the schedule (its own event loop). */
  startLagMs: LatencySummary;
}

const PROTOBUF = { 'content-type': 'application/x-protobuf' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function offerOpenLoop(options: OpenLoopOptions): Promise<OpenLoopTally> {
  const policy = options.policy ?? OFFICIAL_EXPORTER_RETRY;
  const rate = options.bodiesPerSecond;
  const windowMs = options.seconds * 1000;
  const scheduled = batchesInWindow(windowMs, rate);
  // One socket per request on the wire; the agent never queues since sends stop at the same bound.
  const http = new HttpClient(options.url, { authorization: `Bearer ${options.ingestKey}` }, options.maxInFlight);
  const tally: OpenLoopTally = {
    scheduled,
    started: 0,
    notOffered: { firstAttempts: 0, retries: 0 },
    requests: 0,
    answers: 0,
    accepted: 0,
    refused429: 0,
    refused503: 0,
    other: {},
    refusedWithoutRetryAfter: 0,
    timeouts: 0,
    connectionErrors: 0,
    batches: { accepted: 0, givenUp: 0, lost: 0, capDropped: 0, retryPendingAtEnd: 0, unexpected: 0 },
    retriesNeeded: [],
    acceptedSpans: 0,
    acceptedSpansInWindow: 0,
    acceptedLatency: summarize([]),
    maxInFlightSeen: 0,
    startLagMs: summarize([]),
  };
  const acceptedLatencies: number[] = [];
  const startLags: number[] = [];
  let inFlight = 0;
  const startedAt = performance.now();
  const elapsed = () => performance.now() - startedAt;

  /** One attempt: its answer, or why there was none (counted). */
  const attempt = async (chunk: EncodedChunk) => {
    inFlight += 1;
    tally.maxInFlightSeen = Math.max(tally.maxInFlightSeen, inFlight);
    tally.requests += 1;
    const sentAt = performance.now();
    try {
      const answer = await http.request('POST', '/v1/traces', chunk.traces, PROTOBUF, options.requestTimeoutMs);
      tally.answers += 1;
      return { answer, latencyMs: performance.now() - sentAt };
    } catch (error) {
      if (error instanceof RequestTimeoutError) {
        tally.timeouts += 1;
        return 'timeout' as const;
      }
      tally.connectionErrors += 1;
      return 'connection-error' as const;
    } finally {
      inFlight -= 1;
    }
  };

  /** Sleeps until a retry is due; false (and counted) when it would fall after the window or find the cap reached. */
  const waitToRetry = async (inMs: number) => {
    if (elapsed() + inMs > windowMs) {
      tally.batches.retryPendingAtEnd += 1;
      return false;
    }
    await sleep(inMs);
    if (inFlight >= options.maxInFlight) {
      tally.notOffered.retries += 1;
      tally.batches.capDropped += 1;
      return false;
    }
    return true;
  };

  const runBatch = async (chunk: EncodedChunk) => {
    const firstSentAt = performance.now();
    for (let retries = 0; ; retries++) {
      const sent = await attempt(chunk);
      if (sent === 'timeout') {
        // Past the exporter's 10 s deadline: it would not retry either.
        tally.batches.lost += 1;
        return;
      }
      if (sent === 'connection-error') {
        const step = afterConnectionError({ retries, elapsedMs: performance.now() - firstSentAt }, policy);
        if (step.kind === 'give-up') {
          tally.batches.lost += 1;
          return;
        }
        if (!(await waitToRetry(step.inMs))) return;
        continue;
      }
      const { answer, latencyMs } = sent;
      const header = answer.headers['retry-after'];
      const step = nextStep(
        { status: answer.status, retryAfter: header, retries, elapsedMs: performance.now() - firstSentAt },
        policy,
      );
      if (step.kind === 'accepted') {
        tally.accepted += 1;
        tally.batches.accepted += 1;
        tally.retriesNeeded[retries] = (tally.retriesNeeded[retries] ?? 0) + 1;
        tally.acceptedSpans += chunk.spans;
        if (elapsed() <= windowMs) tally.acceptedSpansInWindow += chunk.spans;
        acceptedLatencies.push(latencyMs);
        return;
      }
      if (step.kind === 'unexpected') {
        tally.other[step.status] = (tally.other[step.status] ?? 0) + 1;
        tally.batches.unexpected += 1;
        return;
      }
      if (answer.status === 429) tally.refused429 += 1;
      else if (answer.status === 503) tally.refused503 += 1;
      else tally.other[answer.status] = (tally.other[answer.status] ?? 0) + 1;
      if (!step.retryAfterPresent) tally.refusedWithoutRetryAfter += 1;
      if (step.kind === 'give-up') {
        tally.batches.givenUp += 1;
        return;
      }
      if (!(await waitToRetry(step.inMs))) return;
    }
  };

  const batches: Promise<void>[] = [];
  let next = 0;
  try {
    // Each tick starts every batch due by now (several at once if the timer came late) and sleeps to the next.
    while (next < scheduled) {
      const now = elapsed();
      const due = Math.min(dueBy(now, rate), scheduled);
      for (; next < due; next++) {
        startLags.push(now - dueAtMs(next, rate));
        if (inFlight >= options.maxInFlight) {
          tally.notOffered.firstAttempts += 1;
          continue;
        }
        tally.started += 1;
        batches.push(runBatch(options.chunks[next % options.chunks.length]!));
      }
      if (next < scheduled) await sleep(Math.max(0, dueAtMs(next, rate) - elapsed()));
    }
    await Promise.all(batches);
  } finally {
    http.close();
  }
  tally.acceptedLatency = summarize(acceptedLatencies);
  tally.startLagMs = summarize(startLags);
  return tally;
}
