/**
 * Interop with the real official OpenTelemetry Collector (built from its
 * published modules by build-collector.sh, cached): the tooltrace SDK sends to
 * that collector running the shipped otel-config.yaml, which forwards to a
 * tooltrace collector writing to SQLite.
 *
 * Listeners bind 127.0.0.1 on free ports (./otel-collector.ts): `--set` and an
 * overlay config override the config's 0.0.0.0 endpoints (meant for
 * containers) and the metrics port without editing the file under test.
 * Waits poll the store until a generous deadline; nothing asserts on timing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type RunningCollector, startCollector } from '@tooltrace/collector';
import { type StoredToolCall, toTraceId } from '@tooltrace/conventions';
import { init, logger, type TooltraceHandle, traceToolCall } from '@tooltrace/instrumentation';
import { openSqliteStore, type Store } from '@tooltrace/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCollector,
  eventually,
  freeOtelPorts,
  type OtelCollector,
  type OtelPorts,
  startOtel as runOtel,
  sleep,
} from './otel-collector.ts';

/** How long the tooltrace collector stays down (the 30 s outage). */
const OUTAGE_MS = 30_000;
describe('SDK → official OpenTelemetry Collector (otel-config.yaml) → tooltrace collector → SQLite', () => {
  let binary: string;
  let workDir: string;
  let store: Store;
  let projectId: string;
  let ingestKey: string;
  let tooltrace: RunningCollector | null = null;
  let tooltracePort: number;
  let otel: OtelCollector | null = null;
  let ports: OtelPorts;
  let sdk: TooltraceHandle | null = null;

  function startOtel(): Promise<OtelCollector> {
    return runOtel({
      binary,
      workDir,
      ports,
      env: { TOOLTRACE_COLLECTOR_ENDPOINT: `http://127.0.0.1:${tooltracePort}`, TOOLTRACE_INGEST_KEY: ingestKey },
    });
  }

  async function sendToolCall(userId: string): Promise<string> {
    if (!sdk) throw new Error('SDK not started');
    const { requestId } = await traceToolCall(
      {
        type: 'run_tool',
        toolName: 'SLACK_SEND_MESSAGE',
        integration: 'slack',
        userId,
        parameters: { channel: '#interop', text: 'héllo ✓' },
      },
      async () => {
        // Goes through the Collector's logs pipeline, correlated with the tool call's span.
        logger.warn(`quota nearly used for ${userId}`, { 'quota.remaining': 3 });
        return 'sent';
      },
    );
    await sdk.forceFlush();
    if (!requestId) throw new Error('the SDK gave no requestId');
    return toTraceId(requestId);
  }

  async function arrived(traceId: string): Promise<StoredToolCall> {
    return eventually(`tool call ${traceId} in the store`, async () => {
      const page = await store.listToolCalls(projectId, { traceId }, { limit: 10 });
      return page.items[0] ?? null;
    });
  }

  beforeAll(async () => {
    binary = await buildCollector();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-interop-'));
    store = openSqliteStore({ path: path.join(workDir, 'tooltrace.db'), retentionSweepIntervalMs: 0 });
    const created = await store.createProject({ name: 'interop', plan: 'pro' });
    projectId = created.project.projectId;
    ingestKey = created.ingestKey;
    tooltrace = await startCollector({ store, host: '127.0.0.1', port: 0 });
    tooltracePort = tooltrace.port;
    ports = await freeOtelPorts();
    otel = await startOtel();
    // The SDK talks only to the official collector and carries no key: the collector adds the project's.
    sdk = init({ serviceName: 'interop-service', endpoint: `http://127.0.0.1:${ports.http}` });
  }, 25 * 60_000);

  afterAll(async () => {
    await sdk?.shutdown();
    await otel?.stop();
    await tooltrace?.close();
    await store?.close();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('when the SDK sends a tool call, then it arrives in the store intact, under the project of the configured key', async () => {
    const traceId = await sendToolCall('user-interop-1');
    const call = await arrived(traceId);
    expect(call).toMatchObject({
      traceId,
      projectId,
      type: 'run_tool',
      toolName: 'SLACK_SEND_MESSAGE',
      integration: 'slack',
      userId: 'user-interop-1',
      status: 'success',
    });
    expect(JSON.parse(call.parameters ?? 'null')).toEqual({ channel: '#interop', text: 'héllo ✓' });
    const trace = await eventually('the log record of the tool call', async () => {
      const found = await store.getTrace(projectId, traceId);
      return found?.logs.some((l) => l.source === 'log_record') ? found : null;
    });
    expect(trace.logs.find((l) => l.source === 'span' && l.parentSpanId === null)?.name).toBe(
      'run_tool SLACK_SEND_MESSAGE',
    );
    const record = trace.logs.find((l) => l.source === 'log_record');
    expect(record).toMatchObject({
      level: 'warn',
      message: 'quota nearly used for user-interop-1',
      spanId: call.spanId,
      traceId,
    });
    expect(record?.attributes['quota.remaining']).toBe(3);
    expect(trace.logs[0]?.serviceName).toBe('interop-service');
  });

  it(
    'when the tooltrace collector is down for 30 s (and the OpenTelemetry Collector restarts meanwhile), then the queued tool call still arrives, once',
    async () => {
      await tooltrace?.close();
      tooltrace = null;
      const traceId = await sendToolCall('user-interop-queued');
      const outageStart = Date.now();
      // The batch now waits in the on-disk queue; restarting the collector proves it is the disk that keeps it.
      await sleep(5_000);
      await otel?.stop();
      otel = await startOtel();
      await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStart)));
      expect((await store.listToolCalls(projectId, { traceId }, { limit: 10 })).items).toEqual([]);

      tooltrace = await startCollector({ store, host: '127.0.0.1', port: tooltracePort });
      const call = await arrived(traceId);
      expect(call).toMatchObject({ traceId, projectId, userId: 'user-interop-queued', toolName: 'SLACK_SEND_MESSAGE' });
      const again = await store.listToolCalls(projectId, { traceId }, { limit: 10 });
      expect(again.items).toHaveLength(1);
    },
    5 * 60_000,
  );
});
