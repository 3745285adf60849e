import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createQueryApp, type QueryAppOptions } from './app.ts';

export interface QueryApiOptions extends QueryAppOptions {
  host: string;
  /** 0 = an ephemeral port. */
  port: number;
}

export interface RunningQueryApi {
  /** e.g. `http://127.0.0.1:8080` */
  url: string;
  port: number;
  /** Stops listening and ends open connections (live feeds never end on their own). */
  close(): Promise<void>;
}

export async function startQueryApi(options: QueryApiOptions): Promise<RunningQueryApi> {
  const server: Server = createServer(createQueryApp(options));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
