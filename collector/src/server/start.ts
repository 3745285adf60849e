/**
 * Runs the collector: OTLP/HTTP on `port` and, when `grpcPort` is given,
 * OTLP/gRPC on it, both in front of one pipeline, admission and write queue.
 * `close` stops taking requests and settles what was accepted.
 */
import http from 'node:http';
import { listen, urlHost } from '@tooltrace/conventions';
import { type RunningGrpcReceiver, startGrpcReceiver } from '../grpc/grpc-receiver.ts';
import { buildCollector, type CollectorAppOptions, METRICS_REFUSAL } from './app.ts';

export interface StartCollectorOptions extends CollectorAppOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** OTLP/gRPC port (0 picks a free one); absent: no gRPC receiver. */
  grpcPort?: number;
}

export interface RunningCollector {
  /** e.g. `http://127.0.0.1:4318` */
  url: string;
  port: number;
  /** The OTLP/gRPC receiver's port and address (`127.0.0.1:4317`), or null when it was not asked for. */
  grpc: { port: number; address: string } | null;
  close(): Promise<void>;
}

/** Open connections get this long to finish their requests on close before being cut. */
const CLOSE_GRACE_MS = 5_000;

export async function startCollector(options: StartCollectorOptions): Promise<RunningCollector> {
  const parts = buildCollector(options);
  const { app, writeQueue, decodeMap } = parts;
  const server = http.createServer(app);
  const { port, url } = await listen(server, options.port, options.host);
  let grpc: RunningGrpcReceiver | null = null;
  if (options.grpcPort !== undefined) {
    try {
      grpc = await startGrpcReceiver({
        ...parts,
        store: options.store,
        metricsRefusal: METRICS_REFUSAL,
        host: options.host,
        port: options.grpcPort,
      });
    } catch (error) {
      server.close();
      throw error;
    }
  }

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await Promise.all([closed, grpc?.close(CLOSE_GRACE_MS)]);
      clearTimeout(cut);
      await writeQueue.drain();
      await decodeMap.close();
      await parts.recorder.close();
    })();
    return closing;
  };
  return {
    url,
    port,
    grpc: grpc && { port: grpc.port, address: `${urlHost(options.host)}:${grpc.port}` },
    close,
  };
}
