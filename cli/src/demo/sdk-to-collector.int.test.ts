/**
 * The SDK against the real pipeline: official OTLP exporters → a real collector
 * on an ephemeral port → a real SQLite store. The providers are local fakes
 * (the real APIs cannot be reached from here).
 */

import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { toTraceId } from '@tooltrace/conventions';
import { init, logger, traceToolCall, traceTriggerEvent } from '@tooltrace/instrumentation';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SOURCE_NODE_ARGS } from '../../../source-conditions.ts';
import { type FakeProvider, startFakeProvider } from './fake-providers.ts';
import { type DemoService, startDemoService } from './service.ts';
import { type CollectorHarness, startCollectorHarness } from './testing/collector-harness.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A channel ID that only appears in the fake Slack's successful answers. */
const SUCCESS_BODY_MARKER = 'C024BE91L';

let h: CollectorHarness;
const cleanups: Array<() => Promise<void>> = [];
beforeEach(async () => {
  h = await startCollectorHarness();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await h.close();
});

function initForHarness(extra: Partial<Parameters<typeof init>[0]> = {}) {
  const handle = init({ serviceName: 'sdk-int-test', endpoint: h.collectorUrl, apiKey: h.ingestKey, ...extra });
  cleanups.push(() => handle.shutdown());
  return handle;
}

async function startSlackService(): Promise<{ service: DemoService; slack: FakeProvider }> {
  const slack = await startFakeProvider('slack', { readOnlyUsers: ['user-ro'] });
  const others = 'http://127.0.0.1:9';
  const service = await startDemoService({
    providers: { slack: slack.url, salesforce: others, hubspot: others, googledrive: others, github: others },
    connections: { 'user-ro': ['slack'], 'user-ok': ['slack'] },
    newId: (prefix) => `${prefix}_${Math.random().toString(16).slice(2)}`,
  });
  cleanups.push(
    () => slack.close(),
    () => service.close(),
  );
  return { service, slack };
}

async function runTool(serviceUrl: string, userId: string, action: string, parameters: object) {
  return fetch(`${serviceUrl}/projects/p/actions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-user-id': userId },
    body: JSON.stringify({ action, parameters }),
  });
}

describe('tool calls through the collector', () => {
  it("when a tool call fails, then its error body's meta.requestId finds exactly that trace in the store", async () => {
    const handle = initForHarness({ uiBaseUrl: 'http://127.0.0.1:8080' });
    const { service } = await startSlackService();
    await (await runTool(service.url, 'user-ok', 'SLACK_SEND_MESSAGE', { channel: '#a', text: 'first' })).arrayBuffer();
    const response = await runTool(service.url, 'user-ro', 'SLACK_SEND_MESSAGE', { channel: '#deals', text: 'hi' });
    const body = (await response.json()) as Record<string, unknown> & { meta: Record<string, string> };
    await handle.shutdown();

    expect(response.status).toBe(403);
    expect(Object.keys(body).sort()).toEqual(['code', 'message', 'meta', 'status']);
    expect(body.code).toBeTypeOf('string');
    expect(body.status).toBe(403);
    expect(JSON.parse(String(body.message))).toEqual({
      message: 'Unable to post a message',
      details: { err: 'missing_scope', ECODE: 'SCOPE_004' },
    });
    const requestId = body.meta.requestId!;
    expect(requestId).toMatch(UUID);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    expect(body.meta.traceUrl).toBe(`http://127.0.0.1:8080/traces/${requestId}`);

    const trace = await h.store.getTrace(h.projectId, toTraceId(requestId));
    expect(trace?.toolCalls).toHaveLength(1);
    expect(trace?.toolCalls[0]).toMatchObject({
      requestId,
      traceId: toTraceId(requestId),
      status: 'error',
      toolName: 'SLACK_SEND_MESSAGE',
      userId: 'user-ro',
      httpStatus: 403,
      errorCode: body.code,
    });
    expect(new Set(trace?.logs.map((log) => log.traceId))).toEqual(new Set([toTraceId(requestId)]));
    const providerLog = trace?.logs.find((log) => log.kind === 'provider_request' && log.source === 'span');
    expect(providerLog).toMatchObject({
      level: 'error',
      attributes: expect.objectContaining({ 'http.response.status_code': 403 }),
    });
    expect(providerLog?.body).toContain('missing_scope');
  });

  it('when provider responses succeed, then their bodies never leave the process', async () => {
    const memory = new InMemorySpanExporter();
    const handle = initForHarness({ spanProcessors: [new SimpleSpanProcessor(memory)] });
    const { service } = await startSlackService();
    const response = await runTool(service.url, 'user-ok', 'SLACK_LIST_CHANNELS', { limit: 10 });
    // The app itself gets the body…
    expect(await response.text()).toContain(SUCCESS_BODY_MARKER);
    await handle.forceFlush();
    // (read before shutdown: shutting the in-memory exporter down empties it)
    const exported = memory.getFinishedSpans();
    await handle.shutdown();

    // …but no exported span carries it…
    expect(exported.some((span) => span.attributes['tooltrace.kind'] === 'provider_request')).toBe(true);
    expect(JSON.stringify(exported.map((span) => [span.attributes, span.events]))).not.toContain(SUCCESS_BODY_MARKER);
    // …and neither does anything the collector stored.
    const requestId = response.headers.get('x-request-id')!;
    const trace = await h.store.getTrace(h.projectId, toTraceId(requestId));
    expect(trace?.toolCalls[0]?.status).toBe('success');
    expect(trace?.logs.some((log) => log.kind === 'provider_request')).toBe(true);
    expect(JSON.stringify(trace)).not.toContain(SUCCESS_BODY_MARKER);
    expect(trace?.logs.every((log) => log.body === null)).toBe(true);
  });

  it('when parameters and error bodies hold secrets, then the store only sees them redacted', async () => {
    const handle = initForHarness();
    const provider = http.createServer((_req, res) => {
      res.statusCode = 401;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: 'invalid_client', client_secret: 'cs-LEAK-123', hint: 'rotate it' }));
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => provider.close(() => resolve())));
    const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/oauth`;

    const { requestId } = await traceToolCall(
      {
        type: 'run_tool',
        toolName: 'SALESFORCE_QUERY',
        userId: 'u',
        parameters: { q: 'SELECT Id', password: 'hunter2' },
      },
      async () => {
        const res = await fetch(url, { headers: { authorization: 'Bearer sk-LEAK-456' } });
        return res.status;
      },
    );
    await handle.shutdown();

    const stored = JSON.stringify(await h.store.getTrace(h.projectId, toTraceId(requestId!)));
    expect(stored).not.toMatch(/hunter2|cs-LEAK-123|sk-LEAK-456/);
    expect(stored).toContain('[REDACTED]');
    expect(stored).toContain('rotate it');
  });

  it('when the SDK shuts down right after the calls, then every span and log record is flushed to the store', async () => {
    const handle = initForHarness();
    const calls = 150;
    const requestIds: string[] = [];
    for (let i = 0; i < calls; i += 1) {
      const { requestId } = await traceToolCall({ type: 'list_tools', userId: 'flush-user' }, () => {
        logger.info(`listing tools, call ${i}`);
      });
      requestIds.push(requestId!);
    }
    await handle.shutdown();
    const page = await h.store.listToolCalls(h.projectId, { userId: 'flush-user' }, { limit: 500 });
    expect(page.items).toHaveLength(calls);
    for (const [i, requestId] of [requestIds[0]!, requestIds.at(-1)!].entries()) {
      const trace = await h.store.getTrace(h.projectId, toTraceId(requestId));
      const record = trace?.logs.find((log) => log.source === 'log_record');
      expect(record?.message).toBe(`listing tools, call ${i === 0 ? 0 : calls - 1}`);
    }
  });

  it('when only the standard OTEL_EXPORTER_OTLP_* variables are set, then init exports where they say', async () => {
    const saved = {
      endpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT,
      headers: process.env.OTEL_EXPORTER_OTLP_HEADERS,
    };
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = h.collectorUrl;
    process.env.OTEL_EXPORTER_OTLP_HEADERS = `x-api-key=${h.ingestKey}`;
    try {
      const handle = init({ serviceName: 'configured-by-env' });
      cleanups.push(() => handle.shutdown());
      await traceToolCall({ type: 'list_tools', userId: 'env-user' }, () => null);
      await handle.shutdown();
    } finally {
      for (const [name, value] of [
        ['OTEL_EXPORTER_OTLP_ENDPOINT', saved.endpoint],
        ['OTEL_EXPORTER_OTLP_HEADERS', saved.headers],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    const page = await h.store.listToolCalls(h.projectId, { userId: 'env-user' }, { limit: 10 });
    expect(page.items).toHaveLength(1);
  });

  it('when the ingest key is wrong, then export failures are reported instead of lost silently', async () => {
    const warnings: string[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation((message: unknown) => {
      warnings.push(String(message));
    });
    cleanups.push(async () => warn.mockRestore());
    const failures: string[] = [];
    const handle = init({
      serviceName: 'wrong-key',
      endpoint: h.collectorUrl,
      apiKey: 'tt_ingest_not-a-real-key',
      onExportError: (error, signal) => failures.push(`${signal}: ${error.message}`),
    });
    cleanups.push(() => handle.shutdown());
    await traceToolCall({ type: 'list_tools', userId: 'nobody' }, () => null);
    // The flush itself rejects too; the listener is what an app without a flush call relies on.
    await expect(handle.forceFlush()).rejects.toThrow(/Unauthorized/);
    expect(failures.some((failure) => failure.startsWith('traces:'))).toBe(true);
    expect((await h.store.listToolCalls(h.projectId, { userId: 'nobody' }, { limit: 10 })).items).toHaveLength(0);
    // Said once, with the collector's own reason and what to do; the next failure is only counted.
    await traceToolCall({ type: 'list_tools', userId: 'nobody' }, () => null);
    await expect(handle.forceFlush()).rejects.toThrow(/Unauthorized/);
    const said = warnings.filter((w) => w.startsWith('tooltrace: exporting'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('401: unknown ingest key');
    expect(said[0]).toContain('TOOLTRACE_INGEST_KEY');
    expect(handle.exportFailures().unauthorized).toBeGreaterThanOrEqual(2);
  });
});

describe('trigger deliveries through the collector', () => {
  it('when a delivery attempt runs in another process from the saved context, then it lands in the event trace', async () => {
    const receiver = http.createServer((_req, res) => res.end('{"received":true}'));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => receiver.close(() => resolve())));
    const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    const handle = initForHarness();
    const event = await traceTriggerEvent(
      {
        eventId: 'evt-child-process',
        triggerId: 'trg-9',
        triggerName: 'GITHUB_ISSUE_OPENED',
        integration: 'github',
        subscriptionModel: 'WEBHOOK',
      },
      () => 'accepted',
    );
    await handle.shutdown();
    expect((await h.store.getTriggerEvent(h.projectId, 'evt-child-process'))?.event.status).toBe('queued');

    const child = spawn(
      process.execPath,
      [...SOURCE_NODE_ARGS, path.join(import.meta.dirname, 'testing/deliver-from-saved-context.ts')],
      {
        env: {
          ...process.env,
          COLLECTOR_URL: h.collectorUrl,
          INGEST_KEY: h.ingestKey,
          SAVED_CONTEXT: event.savedContext!,
          WEBHOOK_URL: webhookUrl,
          DELIVERY_ID: 'dlv-child',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim())).toEqual({ traceId: event.traceId });

    const detail = await h.store.getTriggerEvent(h.projectId, 'evt-child-process');
    expect(detail?.event).toMatchObject({ traceId: event.traceId, status: 'success', triggerId: 'trg-9' });
    expect(detail?.deliveries).toEqual([
      expect.objectContaining({
        deliveryId: 'dlv-child',
        traceId: event.traceId,
        eventId: 'evt-child-process',
        status: 'succeeded',
        userId: 'user-child',
        webhookUrl,
        lastHttpStatus: 200,
      }),
    ]);
    const trace = await h.store.getTrace(h.projectId, event.traceId!);
    const kinds = trace?.logs.filter((log) => log.source === 'span').map((log) => log.kind);
    expect(kinds).toEqual(expect.arrayContaining(['trigger_event', 'trigger_delivery']));
  });
});
