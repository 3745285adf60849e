/**
 * An OTLP/HTTP request whose body the test sends when it chooses, over
 * node:http: headers go out at once, so a test can see the collector answer
 * before a byte of the body was written.
 */
import http from 'node:http';

export interface HeldAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface HeldRequest {
  /** Sends part of the body now. */
  write(chunk: Uint8Array): void;
  /** Sends the rest (if any) and ends the request. */
  end(chunk?: Uint8Array): void;
  answer: Promise<HeldAnswer>;
  /** Whether the collector answered yet. */
  answered(): boolean;
}

export function heldRequest(url: string, headers: Record<string, string>): HeldRequest {
  let done = false;
  const req = http.request(url, { method: 'POST', headers });
  const answer = new Promise<HeldAnswer>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        done = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
    });
    // The collector may close the connection after refusing a body the client is still sending.
    req.on('error', (error) => (done ? undefined : reject(error)));
  });
  req.flushHeaders();
  return {
    write: (chunk) => void req.write(chunk),
    end: (chunk) => void (chunk ? req.end(chunk) : req.end()),
    answer,
    answered: () => done,
  };
}
