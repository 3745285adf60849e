/**
 * Forwarding's cost to ingest (DESIGN §9): the collector ingest phase with one
 * forwarding destination (a local OTLP receiver answering 200) alternating with
 * none, in the same run, so a busy moment of the shared machine hits both
 * sides alike. The figure is the median of the rounds' on/off spans/s ratios.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EncodedChunk } from '../generator.ts';
import type { BenchConfig } from './context.ts';
import { type IngestResult, runCollectorIngest } from './ingest.ts';

export interface ForwardRound {
  round: number;
  off: IngestResult;
  on: IngestResult;
  /** on / off accepted spans/s. */
  ratio: number;
  /** Requests and bytes the receiver got while the "on" side ran (forwarding may still be draining after). */
  receivedRequests: number;
  receivedMb: number;
}

export interface ForwardResult {
  rounds: ForwardRound[];
  ratio: number;
  /** Ingest may lose at most 15 % of its spans/s to forwarding. */
  goalRatio: number;
}

interface Receiver {
  url: string;
  requests: number;
  bytes: number;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver = { url: '', requests: 0, bytes: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    req.on('data', (chunk: Buffer) => {
      receiver.bytes += chunk.length;
    });
    req.on('end', () => {
      receiver.requests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export async function runForwardingCost(
  config: BenchConfig,
  chunks: readonly EncodedChunk[],
  rounds: number,
): Promise<ForwardResult> {
  const receiver = await startReceiver();
  try {
    const results: ForwardRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      // Which side goes first alternates too, so neither always gets the warmer machine.
      const before = { requests: receiver.requests, bytes: receiver.bytes };
      let off: IngestResult;
      let on: IngestResult;
      if (round % 2 === 1) {
        off = await runCollectorIngest(config, chunks);
        on = await runCollectorIngest(config, chunks, { forwardTo: receiver.url });
      } else {
        on = await runCollectorIngest(config, chunks, { forwardTo: receiver.url });
        off = await runCollectorIngest(config, chunks);
      }
      results.push({
        round,
        off,
        on,
        ratio: on.spansPerSec / off.spansPerSec,
        receivedRequests: receiver.requests - before.requests,
        receivedMb: (receiver.bytes - before.bytes) / 1024 / 1024,
      });
    }
    return { rounds: results, ratio: median(results.map((r) => r.ratio)), goalRatio: 0.85 };
  } finally {
    await receiver.close();
  }
}
