/**
 * The open loop's accounting against a scripted HTTP server. The server
 * stands in for the collector because these answers cannot be had from the
 * real one on demand (a refusal without Retry-After, a 418, a request never
 * answered, a refusal at a chosen batch); the phase against the real
 * collector is in phases/phases.int.test.ts. Each batch has its own body, so
 * the script answers per batch.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { EncodedChunk } from '../generator.ts';
import { offerOpenLoop } from './offer-open-loop.ts';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Answers each body by its name: `ok`, `twice` (429 twice, then 200), `never` (always 429), `bare`, `teapot`, `hang`. */
async function scriptedServer(): Promise<{ url: string; requests: Map<string, number> }> {
  const requests = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString();
      const seen = (requests.get(body) ?? 0) + 1;
      requests.set(body, seen);
      const kind = body.split('-')[0];
      if (kind === 'hang') return;
      if (kind === 'ok' || (kind === 'twice' && seen > 2)) res.writeHead(200).end();
      else if (kind === 'twice' || kind === 'never') res.writeHead(429, { 'retry-after': '0' }).end();
      else if (kind === 'bare') res.writeHead(503).end();
      else res.writeHead(418).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const chunk = (name: string): EncodedChunk => ({ traces: Buffer.from(name), logs: null, spans: 500, logEntries: 0 });

describe('open-loop load', () => {
  it('starts every scheduled batch and accounts for each answer, retry and loss', async () => {
    const { url, requests } = await scriptedServer();
    // 20 batches a second for 2 s: 40 batches, one body each. The refusals come early, so their immediate
    // retries finish long before the window closes; `bare` comes late, so its own backoff (0.8–1.2 s) ends after it.
    const names = Array.from({ length: 40 }, (_, i) => `ok-${i}`);
    names[0] = 'never-0';
    names[1] = 'twice-1';
    names[2] = 'teapot-2';
    names[3] = 'hang-3';
    names[32] = 'bare-32';
    const tally = await offerOpenLoop({
      url,
      ingestKey: 'k',
      chunks: names.map(chunk),
      bodiesPerSecond: 20,
      seconds: 2,
      maxInFlight: 64,
      requestTimeoutMs: 2500,
    });

    expect(tally.scheduled).toBe(40);
    expect(tally.started).toBe(40);
    expect(tally.notOffered).toEqual({ firstAttempts: 0, retries: 0 });
    // never: 1 + 5 retries; twice: 3; every other batch 1.
    expect(requests.get('never-0')).toBe(6);
    expect(requests.get('twice-1')).toBe(3);
    expect(requests.get('bare-32')).toBe(1);
    expect(tally.requests).toBe(6 + 3 + 38);
    expect(tally.timeouts).toBe(1);
    expect(tally.connectionErrors).toBe(0);
    expect(tally.answers).toBe(tally.requests - 1);
    expect(tally.refused429).toBe(6 + 2);
    expect(tally.refused503).toBe(1);
    expect(tally.other).toEqual({ 418: 1 });
    expect(tally.accepted).toBe(35 + 1);
    expect(tally.answers).toBe(tally.accepted + tally.refused429 + tally.refused503 + 1);
    expect(tally.refusedWithoutRetryAfter).toBe(1);
    expect(tally.batches).toEqual({
      accepted: 36,
      givenUp: 1,
      lost: 1,
      capDropped: 0,
      retryPendingAtEnd: 1,
      unexpected: 1,
    });
    expect(tally.retriesNeeded).toEqual([35, undefined, 1]);
    expect(tally.acceptedSpans).toBe(36 * 500);
    expect(tally.acceptedSpansInWindow).toBeLessThanOrEqual(tally.acceptedSpans);
    expect(tally.acceptedLatency.runs).toBe(36);
    expect(tally.startLagMs.runs).toBe(40);
  });

  it('counts sends past the in-flight bound as not offered instead of waiting for a free slot', async () => {
    const { url, requests } = await scriptedServer();
    const tally = await offerOpenLoop({
      url,
      ingestKey: 'k',
      chunks: [chunk('hang-all')],
      bodiesPerSecond: 20,
      seconds: 1,
      maxInFlight: 2,
      // Longer than the window: the two sent requests hold both slots until after it closes.
      requestTimeoutMs: 1500,
    });
    expect(tally.scheduled).toBe(20);
    expect(tally.started).toBe(2);
    expect(tally.notOffered.firstAttempts).toBe(18);
    expect(requests.get('hang-all')).toBe(2);
    expect(tally.maxInFlightSeen).toBe(2);
    expect(tally.timeouts).toBe(2);
    expect(tally.batches.lost).toBe(2);
  });
});
