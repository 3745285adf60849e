import { createServer, type Server } from 'node:http';
import { listen } from '@tooltrace/conventions';
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
  const { port, url } = await listen(server, options.port, options.host);
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
