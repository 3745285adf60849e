/**
 * Starting an HTTP server on a host and port, the one way the collector and
 * the query API both do it (they may not import each other): a failed bind
 * rejects instead of throwing later as an 'error' event, port 0 resolves to
 * the port the system picked, and an IPv6 host is bracketed in the URL.
 * Typed structurally, so conventions imports no Node module: the caller hands
 * in its `node:http` server.
 */

/** The part of a `node:http` Server that listening needs. */
export interface ListenableServer {
  listen(port: number, host: string, listening: () => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
  address(): unknown;
}

export interface Listening {
  /** The bound port (the system's pick when 0 was asked for). */
  port: number;
  /** `http://host:port`, e.g. `http://127.0.0.1:4318` or `http://[::1]:4318`. */
  url: string;
}

/** `host` as it stands in a URL's authority: an IPv6 literal in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function listen(server: ListenableServer, port: number, host: string): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as { port: number }).port;
  return { port: bound, url: `http://${urlHost(host)}:${bound}` };
}
