/**
 * A keep-alive HTTP client on node:http: no dependency, few allocations, and
 * connections are reused so latencies measure the server, not TCP set-up.
 */
import http from 'node:http';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request that got no answer within its `timeoutMs` (the request is destroyed). */
export class RequestTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

export class HttpClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(
    baseUrl: string,
    private readonly defaultHeaders: Record<string, string>,
    maxSockets = 8,
  ) {
    this.base = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request(
    method: string,
    path: string,
    body?: Uint8Array,
    headers: Record<string, string> = {},
    /** Destroy the request and reject with a RequestTimeoutError when no whole answer came by then. */
    timeoutMs?: number,
  ): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = () => clearTimeout(timer);
      const req = http.request(
        {
          agent: this.agent,
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          headers: {
            ...this.defaultHeaders,
            ...headers,
            ...(body ? { 'content-length': String(body.byteLength) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            settle();
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
          });
          res.on('error', (error) => {
            settle();
            reject(error);
          });
        },
      );
      req.on('error', (error) => {
        settle();
        reject(error);
      });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => req.destroy(new RequestTimeoutError(timeoutMs)), timeoutMs);
      }
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
