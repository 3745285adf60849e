/** Tool-call spans sent the way an instrumented service sends them, for tests of whole processes. */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Tool-call spans from the official SDK, exported with the official OTLP/protobuf exporter; resolves when acknowledged. */
export async function sendToolCalls(collectorUrl: string, ingestKey: string, names: string[]): Promise<void> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'forwarding-e2e', 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('forward.int.test');
  for (const name of names) {
    tracer
      .startSpan(`run_tool ${name}`, {
        kind: 1,
        attributes: {
          'tooltrace.kind': 'tool_call',
          'tooltrace.tool_call.type': 'run_tool',
          'gen_ai.tool.name': name,
          'tooltrace.integration': 'slack',
        },
      })
      .end();
  }
  await exportFinished(provider, memory, collectorUrl, ingestKey);
}

/**
 * The finished spans of `memory` in one request of the official OTLP/protobuf exporter; resolves when the
 * collector acknowledged it (it answers 200 only once stored), then shuts the provider down.
 */
export async function exportFinished(
  provider: BasicTracerProvider,
  memory: InMemorySpanExporter,
  collectorUrl: string,
  ingestKey: string,
): Promise<void> {
  await provider.forceFlush();
  const exporter = new OTLPTraceExporter({
    url: `${collectorUrl}/v1/traces`,
    headers: { Authorization: `Bearer ${ingestKey}` },
    // A child process's first write (its writer thread starting) can take seconds on a busy two-core machine.
    timeoutMillis: 60_000,
  });
  const result = await new Promise<{ code: number; error?: Error }>((resolve) =>
    exporter.export(memory.getFinishedSpans(), resolve),
  );
  await exporter.shutdown();
  await provider.shutdown();
  if (result.code !== 0) throw new Error(`export not acknowledged: ${result.error?.message}`);
}
