/** Runs the collector on a port; `close` stops taking requests and settles what was accepted. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildCollector, type CollectorAppOptions } from './app.ts';

export interface StartCollectorOptions extends CollectorAppOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
}

export interface RunningCollector {
  /** e.g. `http://127.0.0.1:4318` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Open connections get this long to finish their requests on close before being cut. */
const CLOSE_GRACE_MS = 5_000;

export async function startCollector(options: StartCollectorOptions): Promise<RunningCollector> {
  const { app, writeQueue } = buildCollector(options);
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(cut);
      await writeQueue.drain();
    })();
    return closing;
  };
  return { url: `http://${host}:${port}`, port, close };
}
