/**
 * Forwarding to the official OpenTelemetry Collector as the destination (DESIGN
 * §9): the tooltrace SDK sends to a tooltrace collector (SQLite, forwarding
 * outbox), which forwards to a Collector built by build-collector.sh whose
 * `file` exporter writes what it received as OTLP/JSON lines. Every span and
 * log record must be in that file exactly once, attributes intact and secrets
 * redacted — once with protobuf + gzip, once with JSON and no compression.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createForwarding, type Forwarding, type RunningCollector, startCollector } from '@tooltrace/collector';
import { toTraceId } from '@tooltrace/conventions';
import { init, logger, type TooltraceHandle, traceToolCall } from '@tooltrace/instrumentation';
import { openSqliteStore, type Store } from '@tooltrace/store';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCollector, eventually, freePort } from './otel-collector.ts';

interface FileLine {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: { spans?: { traceId: string; spanId: string; name: string; attributes?: KeyValue[] }[] }[];
  }[];
  resourceLogs?: {
    scopeLogs?: { logRecords?: { traceId: string; body?: { stringValue?: string }; attributes?: KeyValue[] }[] }[];
  }[];
}
interface KeyValue {
  key: string;
  value: Record<string, unknown>;
}

/** A Collector whose only pipelines write traces and logs to `file`; its own telemetry is off (no 8888). */
function fileCollectorConfig(httpPort: number, healthPort: number, file: string): string {
  return `
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${httpPort}
exporters:
  file:
    path: ${file}
    flush_interval: 100ms
extensions:
  health_check:
    endpoint: 127.0.0.1:${healthPort}
service:
  extensions: [health_check]
  telemetry:
    metrics:
      level: none
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [file]
    logs:
      receivers: [otlp]
      exporters: [file]
`;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startFileCollector(workDir: string): Promise<{ endpoint: string; file: string }> {
  const binary = await buildCollector();
  const [httpPort, healthPort] = [await freePort(), await freePort()];
  const file = path.join(workDir, 'received.json');
  const configPath = path.join(workDir, 'otel-file.yaml');
  fs.writeFileSync(configPath, fileCollectorConfig(httpPort, healthPort, file));
  const { spawn } = await import('node:child_process');
  const output: string[] = [];
  const child = spawn(binary, [`--config=${configPath}`], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  });
  await eventually('the file-exporting Collector to be healthy', async () => {
    if (child.exitCode !== null) throw new Error(`otel collector exited ${child.exitCode}:\n${output.join('')}`);
    const ok = await fetch(`http://127.0.0.1:${healthPort}/`).then(
      (r) => r.ok,
      () => false,
    );
    return ok ? true : null;
  });
  return { endpoint: `http://127.0.0.1:${httpPort}`, file };
}

/** The complete lines of the exporter's file: it may be read while the Collector is still writing the last one. */
function readLines(file: string): FileLine[] {
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.pop(); // after the last newline: empty, or a line not finished yet
  return lines.filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as FileLine);
}

const attr = (attributes: KeyValue[] | undefined, key: string) =>
  attributes?.find((a) => a.key === key)?.value ?? undefined;

describe('tooltrace forwarding → official OpenTelemetry Collector (file exporter)', () => {
  it.each([
    ['protobuf', 'gzip'],
    ['json', 'none'],
  ] as const)(
    'when the SDK sends tool calls and logs, then each span and record is in the Collector’s file once, redacted (%s, %s)',
    async (encoding, compression) => {
      const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-forward-interop-'));
      cleanups.push(() => fs.rmSync(workDir, { recursive: true, force: true }));
      const destination = await startFileCollector(workDir);

      const store: Store = openSqliteStore({ path: path.join(workDir, 'tooltrace.db'), retentionSweepIntervalMs: 0 });
      cleanups.push(() => store.close());
      const created = await store.createProject({ name: 'forward-interop', plan: 'pro' });
      const projectId = created.project.projectId;
      const forwarding: Forwarding = createForwarding({
        destinations: store.destinations,
        outboxPath: path.join(workDir, 'outbox.db'),
        allowPrivate: true,
      });
      cleanups.push(() => forwarding.shutdown());
      const tooltrace: RunningCollector = await startCollector({
        store,
        host: '127.0.0.1',
        port: 0,
        accepted: forwarding,
      });
      cleanups.push(() => tooltrace.close());
      await store.destinations.create(projectId, {
        name: 'otelcol',
        endpoint: destination.endpoint,
        encoding,
        compression,
      });

      const sdk: TooltraceHandle = init({
        serviceName: 'forward-interop',
        endpoint: tooltrace.url,
        apiKey: created.ingestKey,
        // The SDK's own masking is off, so what is checked below is the collector's redaction.
        redact: (attributes) => attributes,
      });
      cleanups.push(() => sdk.shutdown());
      const traceIds: string[] = [];
      for (const user of ['u-1', 'u-2', 'u-3']) {
        const { requestId } = await traceToolCall(
          {
            type: 'run_tool',
            toolName: 'SLACK_SEND_MESSAGE',
            integration: 'slack',
            userId: user,
            parameters: { channel: '#fwd', password: 'hunter2' },
          },
          async () => {
            logger.warn(`forwarded log for ${user}`, { api_key: 'sk-live-123', 'quota.remaining': 3 });
            return 'sent';
          },
        );
        traceIds.push(toTraceId(requestId as string));
      }
      await sdk.forceFlush();

      const stored = await eventually('the three tool calls in the store', async () => {
        const page = await store.listToolCalls(projectId, {}, { limit: 10 });
        return page.items.length === 3 ? page.items : null;
      });
      const storedSpans = (await Promise.all(traceIds.map((id) => store.getTrace(projectId, id)))).flatMap(
        (t) => t?.logs.filter((l) => l.source === 'span') ?? [],
      );
      expect(stored).toHaveLength(3);

      const lines = await eventually('every span and log record in the Collector’s file', async () => {
        const all = readLines(destination.file);
        const spans = all.flatMap((l) => l.resourceSpans ?? []).flatMap((rs) => rs.scopeSpans ?? []);
        const records = all.flatMap((l) => l.resourceLogs ?? []).flatMap((rl) => rl.scopeLogs ?? []);
        const spanCount = spans.flatMap((s) => s.spans ?? []).length;
        const recordCount = records.flatMap((r) => r.logRecords ?? []).length;
        return spanCount >= storedSpans.length && recordCount >= 3 ? all : null;
      });
      // Let anything extra (a duplicate) land before counting.
      const status = await eventually('the outbox to drain', async () => {
        const [d] = await store.destinations.list(projectId);
        const s = d && forwarding.status(d);
        return s && s.batchesQueued === 0 ? s : null;
      });
      expect(status).toMatchObject({ state: 'ok', batchesRejected: 0, batchesDropped: 0 });

      const all = readLines(destination.file);
      expect(all.length).toBeGreaterThanOrEqual(lines.length);
      const spans = all
        .flatMap((l) => l.resourceSpans ?? [])
        .flatMap((rs) => (rs.scopeSpans ?? []).flatMap((ss) => (ss.spans ?? []).map((span) => ({ span, rs }))));
      const ids = spans.map(({ span }) => `${span.traceId}/${span.spanId}`);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(storedSpans.map((s) => `${s.traceId}/${s.spanId}`).sort());
      for (const { span, rs } of spans) {
        expect(attr(rs.resource?.attributes, 'service.name')).toEqual({ stringValue: 'forward-interop' });
        expect(traceIds).toContain(span.traceId);
      }
      const roots = spans.filter(({ span }) => span.name === 'run_tool SLACK_SEND_MESSAGE').map(({ span }) => span);
      expect(roots).toHaveLength(3);
      for (const root of roots) {
        expect(attr(root.attributes, 'gen_ai.tool.name')).toEqual({ stringValue: 'SLACK_SEND_MESSAGE' });
        expect(attr(root.attributes, 'tooltrace.integration')).toEqual({ stringValue: 'slack' });
      }
      const text = JSON.stringify(all);
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('sk-live-123');

      const records = all
        .flatMap((l) => l.resourceLogs ?? [])
        .flatMap((rl) => (rl.scopeLogs ?? []).flatMap((sl) => sl.logRecords ?? []));
      expect(records.map((r) => r.body?.stringValue).sort()).toEqual([
        'forwarded log for u-1',
        'forwarded log for u-2',
        'forwarded log for u-3',
      ]);
      for (const record of records) {
        expect(attr(record.attributes, 'quota.remaining')).toEqual({ intValue: '3' });
        expect(attr(record.attributes, 'api_key')).toEqual({ stringValue: '[REDACTED]' });
      }
    },
  );
});
