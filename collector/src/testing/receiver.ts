/** A real HTTP server standing in for an OTLP destination: records what it got and answers as scripted. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answers to give, in order; after the script runs out, every answer is 200. */
  script: number[];
  /** The Retry-After of scripted 429/503 answers. Default '0'. */
  retryAfter: string;
  /** Body of scripted error answers. Default '{}'. */
  errorBody: string;
  /** When each request arrived (Date.now()). */
  arrivals: number[];
  /** While set, requests wait (unanswered) until released. */
  hold: boolean;
  release(): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const waiting: (() => void)[] = [];
  const receiver: Receiver = {
    url: '',
    received: [],
    script: [],
    retryAfter: '0',
    errorBody: '{}',
    arrivals: [],
    hold: false,
    release() {
      receiver.hold = false;
      for (const go of waiting.splice(0)) go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        receiver.release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiver.received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      receiver.arrivals.push(Date.now());
      const answer = () => {
        const status = receiver.script.shift() ?? 200;
        if (status === 429 || status === 503) res.setHeader('retry-after', receiver.retryAfter);
        res.writeHead(status, { 'content-type': 'application/json' }).end(status < 300 ? '{}' : receiver.errorBody);
      };
      if (receiver.hold) waiting.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}
