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

/**
 * Sends one request's bodies before the clock starts and waits for their answer, so a measurement starts from a
 * running server: its worker threads started and loaded, its code compiled. The timed run sends them again,
 * which a store that keeps each record once (tooltrace) stores once; callers count them for one that does not.
 */
export async function warmUp(
  url: string,
  headers: Record<string, string>,
  bodies: { path: string; body: Uint8Array }[],
): Promise<void> {
  const client = new HttpClient(url, headers, 1);
  try {
    for (const { path, body } of bodies) {
      const res = await client.request('POST', path, body, { 'content-type': 'application/x-protobuf' });
      if (res.status < 200 || res.status >= 300) {
        throw new Error(`warm-up POST ${path} answered ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
      }
    }
  } finally {
    client.close();
  }
}
