/** Test helpers: the SDK with in-process exporters, and tiny local HTTP servers. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { type InitOptions, init, type TooltraceHandle } from './init.ts';

export interface InMemorySdk {
  handle: TooltraceHandle;
  spans: InMemorySpanExporter;
  logs: InMemoryLogRecordExporter;
  /** Flushes, then returns the spans ended so far. */
  finished(): Promise<ReadableSpan[]>;
}

/** The real SDK, exporting to memory only (no collector needed). */
export function initInMemory(options: Partial<InitOptions> = {}): InMemorySdk {
  const spans = new InMemorySpanExporter();
  const logs = new InMemoryLogRecordExporter();
  const handle = init({
    serviceName: 'test-service',
    exportToOtlp: false,
    ...options,
    spanProcessors: [new SimpleSpanProcessor(spans), ...(options.spanProcessors ?? [])],
    logRecordProcessors: [new SimpleLogRecordProcessor({ exporter: logs }), ...(options.logRecordProcessors ?? [])],
  });
  return {
    handle,
    spans,
    logs,
    finished: async () => {
      await handle.forceFlush();
      return spans.getFinishedSpans();
    },
  };
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** A plain HTTP server on 127.0.0.1:0 standing in for a third-party API. */
export async function startTestServer(handler: http.RequestListener): Promise<TestServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export function spanByKind(spans: ReadableSpan[], kind: string): ReadableSpan[] {
  return spans.filter((span) => span.attributes['tooltrace.kind'] === kind);
}
