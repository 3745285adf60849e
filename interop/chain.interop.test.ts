/**
 * Senders nobody here wrote, each with its defaults, into a real tooltrace
 * collector (OTLP/HTTP and OTLP/gRPC) and SQLite:
 * - the official OpenTelemetry Collector with otel-config.yaml, its exporter
 *   switched to `compression: zstd` (which tooltrace once answered with 415,
 *   making the Collector drop everything);
 * - the same Collector exporting over OTLP/gRPC (`otlp_grpc`);
 * - telemetrygen (Go SDK exporters) over gRPC and over HTTP, straight to tooltrace.
 * Spans carry `tooltrace.kind=tool_call` and a tool name per path, so the store
 * can be asked for exactly what each path delivered. Waits are bounded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type RunningCollector, startCollector } from '@tooltrace/collector';
import { createRecordingLogger } from '@tooltrace/conventions';
import { openSqliteStore, type Store } from '@tooltrace/store';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCollector, eventually, freeOtelPorts, type OtelCollector, startOtel } from './otel-collector.ts';
import { installTelemetrygen, sendTraces } from './telemetrygen.ts';

const logger = createRecordingLogger();
let otelBinary: string;
let workDir: string;
let store: Store;
let projectId: string;
let ingestKey: string;
let tooltrace: RunningCollector;
let otel: OtelCollector | null = null;

beforeAll(async () => {
  otelBinary = await buildCollector();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-chain-'));
  store = openSqliteStore({ path: path.join(workDir, 'tooltrace.db'), retentionSweepIntervalMs: 0 });
  const created = await store.createProject({ name: 'chain', plan: 'pro' });
  projectId = created.project.projectId;
  ingestKey = created.ingestKey;
  tooltrace = await startCollector({ store, host: '127.0.0.1', port: 0, grpcPort: 0, logger });
}, 25 * 60_000);

afterEach(async () => {
  await otel?.stop();
  otel = null;
});

afterAll(async () => {
  await tooltrace?.close();
  await store?.close();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

function randomHex(bytes: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');
}

/** One tool-call span as OTLP/JSON, from `service`, named after `toolName`. */
function toolCallRequest(traceId: string, toolName: string, service: string): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  const attribute = (key: string, value: string) => ({ key, value: { stringValue: value } });
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [attribute('service.name', service)] },
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId: randomHex(8),
                name: `run_tool ${toolName}`,
                kind: 2,
                startTimeUnixNano: String(now),
                endTimeUnixNano: String(now + 5_000_000n),
                attributes: [attribute('tooltrace.kind', 'tool_call'), attribute('gen_ai.tool.name', toolName)],
              },
            ],
          },
        ],
      },
    ],
  });
}

async function sendToOtel(httpPort: number, body: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${httpPort}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  expect(response.status).toBe(200);
}

function toolCallsNamed(toolName: string) {
  return store.listToolCalls(projectId, { toolName }, { limit: 500 }).then((page) => page.items);
}

describe('the official OpenTelemetry Collector in front of tooltrace', () => {
  it('when its OTLP/HTTP exporter compresses with zstd, then the span is stored and tooltrace logged a zstd request', async () => {
    const ports = await freeOtelPorts();
    otel = await startOtel({
      binary: otelBinary,
      workDir,
      ports,
      env: { TOOLTRACE_COLLECTOR_ENDPOINT: tooltrace.url, TOOLTRACE_INGEST_KEY: ingestKey },
      sets: ['exporters::otlp_http/tooltrace::compression=zstd'],
    });
    const traceId = randomHex(16);
    await sendToOtel(ports.http, toolCallRequest(traceId, 'ZSTD_THROUGH_COLLECTOR', 'collector-zstd'));
    const [call] = await eventually('the zstd-compressed tool call', async () => {
      const items = await toolCallsNamed('ZSTD_THROUGH_COLLECTOR');
      return items.length > 0 ? items : null;
    });
    expect(call).toMatchObject({ traceId, projectId, toolName: 'ZSTD_THROUGH_COLLECTOR' });
    expect(logger.lines.some((l) => l.fields.compression === 'zstd' && l.fields.status === 200)).toBe(true);
  });

  it('when it exports over OTLP/gRPC (otlp_grpc), then the span is stored', async () => {
    const ports = await freeOtelPorts();
    const overlay = [
      'exporters:',
      '  otlp_grpc/tooltrace:',
      `    endpoint: ${tooltrace.grpc!.address}`,
      '    tls:',
      '      insecure: true',
      '    headers:',
      `      authorization: Bearer ${ingestKey}`,
      '    compression: gzip',
      'service:',
      '  pipelines:',
      '    traces:',
      '      exporters: [otlp_grpc/tooltrace]',
      '    logs:',
      '      exporters: [otlp_grpc/tooltrace]',
      '',
    ].join('\n');
    otel = await startOtel({
      binary: otelBinary,
      workDir,
      ports,
      env: { TOOLTRACE_COLLECTOR_ENDPOINT: tooltrace.url, TOOLTRACE_INGEST_KEY: ingestKey },
      overlay,
    });
    const traceId = randomHex(16);
    await sendToOtel(ports.http, toolCallRequest(traceId, 'GRPC_THROUGH_COLLECTOR', 'collector-grpc'));
    const [call] = await eventually('the tool call sent on over gRPC', async () => {
      const items = await toolCallsNamed('GRPC_THROUGH_COLLECTOR');
      return items.length > 0 ? items : null;
    });
    expect(call).toMatchObject({ traceId, projectId, toolName: 'GRPC_THROUGH_COLLECTOR' });
    expect(logger.lines.some((l) => l.fields.protocol === 'grpc' && l.fields.status === 'OK')).toBe(true);
  });
});

describe('telemetrygen (Go SDK exporters) straight to tooltrace', () => {
  let telemetrygen: string;
  beforeAll(async () => {
    telemetrygen = await installTelemetrygen();
  }, 25 * 60_000);

  it.each([
    ['grpc', 'TELEMETRYGEN_GRPC'],
    ['http', 'TELEMETRYGEN_HTTP'],
  ] as const)('when it sends 5 traces over %s, then all 5 are stored', async (protocol, toolName) => {
    const endpoint = protocol === 'grpc' ? tooltrace.grpc!.address : new URL(tooltrace.url).host;
    await sendTraces({
      binary: telemetrygen,
      protocol,
      endpoint,
      ingestKey,
      traces: 5,
      serviceName: `telemetrygen-${protocol}`,
      attributes: { 'tooltrace.kind': 'tool_call', 'gen_ai.tool.name': toolName },
    });
    const calls = await eventually(`5 tool calls from telemetrygen over ${protocol}`, async () => {
      const items = await toolCallsNamed(toolName);
      return items.length >= 5 ? items : null;
    });
    expect(new Set(calls.map((c) => c.traceId)).size).toBe(5);
  });
});
