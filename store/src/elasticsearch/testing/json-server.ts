/**
 * A JSON HTTP server on 127.0.0.1 (port 0) that answers as Elasticsearch does
 * at the transport level: the product header the client insists on, JSON
 * bodies. What each request gets is the caller's `answer`, which may throw
 * {@link HttpError} for an Elasticsearch-shaped error. Shared by the recording
 * servers of the wire tests and by the in-process fake cluster.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JsonRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The raw request body ('' when none). */
  body: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface JsonServer {
  url: string;
  close(): Promise<void>;
}

export async function startJsonServer(
  answer: (request: JsonRequest) => { status?: number; body: unknown },
): Promise<JsonServer> {
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let status: number;
      let body: unknown;
      try {
        const answered = answer({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          body: raw,
        });
        status = answered.status ?? 200;
        body = answered.body;
      } catch (error) {
        const e = error instanceof HttpError ? error : new HttpError(500, 'exception', String(error));
        status = e.status;
        body = { error: { type: e.type, reason: e.message }, status: e.status };
      }
      res.statusCode = status;
      res.setHeader('x-elastic-product', 'Elasticsearch');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
