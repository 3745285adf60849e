/**
 * A project fed only plain OpenTelemetry, for the ingest e2e: spans from the official SDK and
 * OTLP/protobuf exporter with no tooltrace or gen_ai attributes (nothing makes them a tool call or
 * trigger event), and log records sent outside any span (no trace ID), which tooltrace rejects.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { REPO_ROOT } from './tooltrace-process.ts';

export interface ProjectKeys {
  projectId: string;
  ingestKey: string;
  readKey: string;
}

/** `tooltrace project create --json` beside a running `tooltrace start` (same data directory). */
export async function createProject(dataDir: string, name: string): Promise<ProjectKeys> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [path.join(REPO_ROOT, 'cli/bin/tooltrace.js'), 'project', 'create', '--name', name, '--plan', 'trial', '--json'],
    { cwd: REPO_ROOT, env: { ...process.env, TOOLTRACE_DATA_DIR: dataDir } },
  );
  return JSON.parse(stdout) as ProjectKeys;
}

/** Sends `spans` plain spans as `serviceName`, each its own trace, through the official exporter. */
export async function sendPlainSpans(
  collectorUrl: string,
  ingestKey: string,
  serviceName: string,
  spans: number,
): Promise<void> {
  const exporter = new OTLPTraceExporter({
    url: `${collectorUrl}/v1/traces`,
    headers: { Authorization: `Bearer ${ingestKey}` },
  });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('plain-e2e');
  for (let i = 0; i < spans; i += 1) {
    const span = tracer.startSpan(`GET /orders/${i}`, { attributes: { 'http.request.method': 'GET' } });
    span.end();
  }
  await provider.forceFlush();
  await provider.shutdown();
}

/** Sends `records` log records outside any span (no trace ID) as `serviceName`. */
export async function sendLogsWithoutTrace(
  collectorUrl: string,
  ingestKey: string,
  serviceName: string,
  records: number,
): Promise<void> {
  const exporter = new OTLPLogExporter({
    url: `${collectorUrl}/v1/logs`,
    headers: { Authorization: `Bearer ${ingestKey}` },
  });
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('plain-e2e');
  for (let i = 0; i < records; i += 1) logger.emit({ body: `worker started ${i}`, severityText: 'INFO' });
  await provider.forceFlush();
  await provider.shutdown();
}
