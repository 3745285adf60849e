/**
 * The official OpenTelemetry exporters (protobuf, protobuf+gzip, JSON, logs)
 * send to a real collector on an ephemeral port; the test then reads the real
 * SQLite store behind it.
 */
import zlib from 'node:zlib';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { toRequestId } from '@tooltrace/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness.ts';
import { newSpanId, newTraceId, officialExporters, readableLog, readableSpan, T0 } from '../testing/telemetry.ts';

let h: Harness;
let exporters: ReturnType<typeof officialExporters>;

beforeAll(async () => {
  h = await startHarness();
  exporters = officialExporters(h.collector.url, h.ingestKey);
});
afterAll(async () => {
  await exporters?.shutdown();
  await h?.close();
});

const SUCCESS = 0;
const FAILED = 1;

function toolCallTrace(traceId: string) {
  const rootId = newSpanId();
  return [
    readableSpan({
      traceId,
      spanId: rootId,
      name: 'run_tool SLACK_SEND_MESSAGE',
      kind: SpanKind.SERVER,
      durationMs: 420,
      status: { code: SpanStatusCode.ERROR, message: 'Team not authorized' },
      attributes: {
        'tooltrace.kind': 'tool_call',
        'tooltrace.tool_call.type': 'run_tool',
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'SLACK_SEND_MESSAGE',
        'gen_ai.tool.call.arguments': '{"channel":"#general","text":"hi"}',
        'tooltrace.integration': 'slack',
        'user.id': 'user-42',
        'http.request.method': 'POST',
        'url.path': '/api/v1/tools/run',
        'http.response.status_code': 403,
        'error.type': 'ProviderError',
        'tooltrace.error.code': '41070',
        'tooltrace.error.message': 'Team not authorized',
      },
    }),
    readableSpan({
      traceId,
      parentSpanId: rootId,
      name: 'POST slack.com',
      kind: SpanKind.CLIENT,
      atMs: 20,
      durationMs: 300,
      attributes: {
        'tooltrace.kind': 'provider_request',
        'http.request.method': 'POST',
        'url.full': 'https://slack.com/api/chat.postMessage',
        'server.address': 'slack.com',
        'http.response.status_code': 403,
        'tooltrace.http.response.body': '{"ok":false,"error":"team_not_authorized"}',
      },
    }),
    readableSpan({
      traceId,
      parentSpanId: rootId,
      name: 'refresh auth',
      atMs: 5,
      durationMs: 10,
      attributes: { 'tooltrace.kind': 'internal', 'tooltrace.http.response.body': 'should be dropped' },
    }),
  ];
}

async function trace(traceId: string) {
  const detail = await h.store.getTrace(h.projectId, traceId);
  if (!detail) throw new Error(`trace ${traceId} not stored`);
  return detail;
}

describe('when the official protobuf exporter (gzip) sends a failed tool call', () => {
  const traceId = newTraceId();
  beforeAll(async () => {
    expect((await exporters.sendProtoGzip(toolCallTrace(traceId))).code).toBe(SUCCESS);
  });

  it('then the store holds the tool call, keyed by its trace ID as requestId', async () => {
    const { toolCalls } = await trace(traceId);
    expect(toolCalls).toEqual([
      expect.objectContaining({
        traceId,
        requestId: toRequestId(traceId),
        projectId: h.projectId,
        type: 'run_tool',
        toolName: 'SLACK_SEND_MESSAGE',
        integration: 'slack',
        userId: 'user-42',
        status: 'error',
        httpStatus: 403,
        errorCode: '41070',
        errorMessage: 'Team not authorized',
        startedAt: new Date(T0).toISOString(),
        durationMs: 420,
        parameters: '{"channel":"#general","text":"hi"}',
      }),
    ]);
    const listed = await h.store.listToolCalls(h.projectId, { traceId }, { limit: 10 });
    expect(listed.items).toHaveLength(1);
  });

  it('then every span is a log with a readable message; the response body stays only on the error entry', async () => {
    const { logs, spans } = await trace(traceId);
    const byName = Object.fromEntries(logs.map((l) => [l.name, l]));
    expect(byName['run_tool SLACK_SEND_MESSAGE']).toMatchObject({
      level: 'error',
      kind: 'tool_call',
      message: 'run_tool SLACK_SEND_MESSAGE → error 41070: Team not authorized',
      serviceName: 'test-service',
    });
    expect(byName['POST slack.com']).toMatchObject({
      level: 'error',
      kind: 'provider_request',
      message: 'POST https://slack.com/api/chat.postMessage → 403',
      body: '{"ok":false,"error":"team_not_authorized"}',
    });
    expect(byName['POST slack.com']!.attributes).not.toHaveProperty('tooltrace.http.response.body');
    expect(byName['refresh auth']).toMatchObject({ level: 'info', body: null });
    expect(byName['refresh auth']!.attributes).not.toHaveProperty('tooltrace.http.response.body');
    expect(spans).toHaveLength(1);
    expect(spans[0]!.children.map((c) => c.name)).toEqual(['refresh auth', 'POST slack.com']);
  });
});

describe('when the official JSON exporter sends MCP and gen_ai tool calls', () => {
  const traceId = newTraceId();
  beforeAll(async () => {
    const mcp = newSpanId();
    const result = await exporters.sendJson([
      readableSpan({
        traceId,
        spanId: mcp,
        name: 'tools/call get_weather',
        kind: SpanKind.SERVER,
        attributes: { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'get_weather', 'user.id': 'u-mcp' },
      }),
      readableSpan({
        traceId,
        parentSpanId: mcp,
        name: 'execute_tool geocode',
        atMs: 10,
        status: { code: SpanStatusCode.ERROR, message: 'no such place' },
        attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.call.arguments': '{"q":"Atlantis"}' },
      }),
      readableSpan({
        traceId,
        name: 'tools/list',
        kind: SpanKind.SERVER,
        atMs: 500,
        attributes: { 'mcp.method.name': 'tools/list' },
      }),
    ]);
    expect(result.code).toBe(SUCCESS);
  });

  it('then each tool-call span is its own ToolCall of the trace', async () => {
    const { toolCalls } = await trace(traceId);
    const byTool = Object.fromEntries(toolCalls.map((c) => [c.toolName ?? c.type, c]));
    expect(toolCalls).toHaveLength(3);
    expect(byTool.get_weather).toMatchObject({ type: 'run_tool', status: 'success', userId: 'u-mcp' });
    expect(byTool.geocode).toMatchObject({
      type: 'run_tool',
      status: 'error',
      errorMessage: 'no such place',
      parameters: '{"q":"Atlantis"}',
    });
    expect(byTool.list_tools).toMatchObject({ type: 'list_tools', toolName: null, status: 'success' });
  });
});

describe('exceptions, both ways', () => {
  const traceId = newTraceId();
  const spanId = newSpanId();
  beforeAll(async () => {
    const span = readableSpan({
      traceId,
      spanId,
      name: 'map result',
      attributes: { 'tooltrace.kind': 'internal' },
      events: [
        {
          name: 'exception',
          atMs: 50,
          attributes: {
            'exception.type': 'TypeError',
            'exception.message': 'x is undefined',
            'exception.stacktrace': 'at map',
          },
        },
      ],
    });
    expect((await exporters.sendProto([span])).code).toBe(SUCCESS);
    const record = readableLog({
      traceId,
      spanId,
      atMs: 60,
      severityNumber: SeverityNumber.INFO,
      body: 'mapping failed',
      attributes: { 'exception.type': 'RangeError', 'exception.message': 'too deep' },
    });
    const plain = readableLog({ traceId, atMs: 70, severityNumber: SeverityNumber.WARN, body: 'slow provider' });
    expect((await exporters.sendLogs([record, plain])).code).toBe(SUCCESS);
  });

  it('then an exception span event and an exception log record are both error logs of the trace', async () => {
    const { logs } = await trace(traceId);
    expect(logs.map((l) => [l.source, l.level, l.message])).toEqual([
      ['span', 'info', 'map result'],
      ['span_event', 'error', 'TypeError: x is undefined'],
      ['log_record', 'error', 'mapping failed — RangeError: too deep'],
      ['log_record', 'warn', 'slow provider'],
    ]);
    const fromLog = logs.find((l) => l.source === 'log_record' && l.level === 'error')!;
    expect(fromLog).toMatchObject({ spanId, body: 'mapping failed', timestamp: new Date(T0 + 60).toISOString() });
  });
});

describe('trigger events arriving out of order, in several batches', () => {
  const traceId = newTraceId();
  const rootId = newSpanId();
  const attemptSpanIds = [newSpanId(), newSpanId(), newSpanId()];
  const delivery = (attempt: number, status: number, final: boolean) =>
    readableSpan({
      spanId: attemptSpanIds[attempt - 1],
      traceId,
      parentSpanId: rootId,
      name: `trigger_delivery attempt ${attempt}`,
      kind: SpanKind.PRODUCER,
      atMs: 1000 * attempt,
      status: status >= 400 ? { code: SpanStatusCode.ERROR } : { code: SpanStatusCode.UNSET },
      attributes: {
        'tooltrace.kind': 'trigger_delivery',
        'tooltrace.delivery.id': 'dlv_1',
        'tooltrace.delivery.attempt': attempt,
        'tooltrace.delivery.final': final,
        'tooltrace.trigger.event_id': 'evt_ooo',
        'url.full': 'https://hooks.example.com/in',
        'user.id': 'u1',
        'http.response.status_code': status,
      },
    });
  const root = readableSpan({
    traceId,
    spanId: rootId,
    name: 'trigger_event SALESFORCE_RECORD_CREATED',
    kind: SpanKind.CONSUMER,
    attributes: {
      'tooltrace.kind': 'trigger_event',
      'tooltrace.trigger.event_id': 'evt_ooo',
      'tooltrace.trigger.id': 'trg_1',
      'tooltrace.trigger.name': 'SALESFORCE_RECORD_CREATED',
      'tooltrace.trigger.subscription_model': 'POLLING',
      'tooltrace.integration': 'salesforce',
      'user.id': 'u1',
    },
  });

  it('then deliveries first, the root later and a final failed retry last give Delivery Failures', async () => {
    expect((await exporters.sendProto([delivery(2, 500, false)])).code).toBe(SUCCESS);
    expect((await exporters.sendJson([delivery(1, 503, false)])).code).toBe(SUCCESS);
    expect((await exporters.sendProtoGzip([root])).code).toBe(SUCCESS);

    let detail = await h.store.getTriggerEvent(h.projectId, 'evt_ooo');
    expect(detail?.event).toMatchObject({
      eventId: 'evt_ooo',
      traceId,
      type: 'event',
      triggerName: 'SALESFORCE_RECORD_CREATED',
      subscriptionModel: 'POLLING',
      status: 'queued',
    });
    expect(detail?.deliveries).toEqual([
      expect.objectContaining({ deliveryId: 'dlv_1', status: 'pending', attempts: 2, lastHttpStatus: 500 }),
    ]);

    expect((await exporters.sendProto([delivery(3, 502, true)])).code).toBe(SUCCESS);
    detail = await h.store.getTriggerEvent(h.projectId, 'evt_ooo');
    expect(detail?.event.status).toBe('delivery_failures');
    expect(detail?.deliveries[0]).toMatchObject({
      status: 'failed',
      attempts: 3,
      webhookUrl: 'https://hooks.example.com/in',
    });
    expect(detail?.logs.map((l) => l.message)).toContain('delivery 3 to https://hooks.example.com/in → 502 (final)');
  });

  it('then re-sending the same batches changes nothing', async () => {
    const before = await h.store.getTriggerEvent(h.projectId, 'evt_ooo');
    expect(before?.deliveries[0]?.attempts).toBe(3);
    for (let i = 0; i < 2; i++) {
      expect((await exporters.sendProto([root, delivery(1, 503, false), delivery(2, 500, false)])).code).toBe(SUCCESS);
    }
    expect(await h.store.getTriggerEvent(h.projectId, 'evt_ooo')).toEqual(before);
  });
});

describe('a trigger event whose processing failed in an internal step', () => {
  it('when the failed internal step arrives in a batch before its root, then the event shows Processing Failure', async () => {
    const traceId = newTraceId();
    const rootId = newSpanId();
    const failedStep = readableSpan({
      traceId,
      parentSpanId: rootId,
      name: 'map record',
      atMs: 5,
      status: { code: SpanStatusCode.ERROR, message: 'field Amount missing' },
      attributes: { 'tooltrace.kind': 'internal', 'tooltrace.trigger.event_id': 'evt_pf' },
    });
    const root = readableSpan({
      traceId,
      spanId: rootId,
      name: 'trigger_event HUBSPOT_DEAL_CREATED',
      attributes: {
        'tooltrace.kind': 'trigger_event',
        'tooltrace.trigger.event_id': 'evt_pf',
        'tooltrace.trigger.name': 'HUBSPOT_DEAL_CREATED',
        'tooltrace.integration': 'hubspot',
      },
    });
    expect((await exporters.sendProto([failedStep])).code).toBe(SUCCESS);
    expect((await exporters.sendJson([root])).code).toBe(SUCCESS);
    const detail = await h.store.getTriggerEvent(h.projectId, 'evt_pf');
    expect(detail?.event).toMatchObject({ traceId, status: 'processing_failure', integration: 'hubspot' });
    expect(detail?.logs.find((l) => l.name === 'map record')).toMatchObject({
      level: 'error',
      message: 'map record → error: field Amount missing',
    });
  });
});

describe('a subscription whose webhook creation failed for good', () => {
  const traceId = newTraceId();
  it('then it is a subscription row with Processing Failure', async () => {
    const rootId = newSpanId();
    const spans = [
      readableSpan({
        traceId,
        spanId: rootId,
        name: 'trigger_subscription GITHUB_PUSH',
        attributes: {
          'tooltrace.kind': 'trigger_subscription',
          'tooltrace.trigger.event_id': 'sub_1',
          'tooltrace.trigger.name': 'GITHUB_PUSH',
          'tooltrace.trigger.subscription_model': 'WEBHOOK',
          'user.id': 'u9',
        },
      }),
      readableSpan({
        traceId,
        parentSpanId: rootId,
        name: 'trigger_webhook_create',
        atMs: 10,
        status: { code: SpanStatusCode.ERROR, message: 'forbidden' },
        attributes: {
          'tooltrace.kind': 'trigger_webhook_create',
          'tooltrace.webhook_create.final': true,
          'http.request.method': 'POST',
          'url.full': 'https://api.github.com/repos/x/y/hooks',
          'http.response.status_code': 403,
          'tooltrace.http.response.body': '{"message":"Resource not accessible"}',
        },
      }),
    ];
    expect((await exporters.sendProto(spans)).code).toBe(SUCCESS);
    const { items } = await h.store.listTriggerEvents(h.projectId, { type: 'subscription' }, { limit: 10 });
    expect(items).toEqual([expect.objectContaining({ traceId, type: 'subscription', status: 'processing_failure' })]);
    const { logs } = await trace(traceId);
    expect(logs.find((l) => l.kind === 'trigger_webhook_create')).toMatchObject({
      message: 'POST https://api.github.com/repos/x/y/hooks → 403',
      body: '{"message":"Resource not accessible"}',
    });
  });
});

describe('partial success', () => {
  it('when a protobuf request holds a span with an all-zero trace ID, then the rest is stored and the answer says so', async () => {
    const good = readableSpan({ traceId: newTraceId(), name: 'good one' });
    const bad = readableSpan({ traceId: '0'.repeat(32), name: 'bad one' });
    const response = await fetch(`${h.collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${h.ingestKey}` },
      body: ProtobufTraceSerializer.serializeRequest([good, bad]),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/x-protobuf/);
    const decoded = ProtobufTraceSerializer.deserializeResponse(new Uint8Array(await response.arrayBuffer()));
    expect(Number(decoded.partialSuccess?.rejectedSpans)).toBe(1);
    expect(decoded.partialSuccess?.errorMessage).toMatch(/1 span rejected: .*spans\[1\]\.traceId: invalid trace ID/);
    expect(await h.store.getTrace(h.projectId, good.spanContext().traceId)).not.toBeNull();
  });

  it('when a JSON request holds a span with a malformed span ID, then the JSON answer carries partialSuccess', async () => {
    const good = readableSpan({ traceId: newTraceId(), name: 'good json' });
    const body = JSON.parse(Buffer.from(JsonTraceSerializer.serializeRequest([good])!).toString());
    const badSpan = { ...body.resourceSpans[0].scopeSpans[0].spans[0], spanId: 'xyz', name: 'bad json' };
    body.resourceSpans[0].scopeSpans[0].spans.push(badSpan);
    const response = await fetch(`${h.collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': h.ingestKey },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '1',
        errorMessage: expect.stringMatching(/spans\[1\]\.spanId: invalid span ID "xyz"/),
      },
    });
    const { logs } = await trace(good.spanContext().traceId);
    expect(logs.map((l) => l.name)).toEqual(['good json']);
  });

  it('when log records lack a trace ID, then they are rejected and counted', async () => {
    const traceId = newTraceId();
    const result = await exporters.sendLogs([readableLog({ body: 'orphan' }), readableLog({ traceId, body: 'kept' })]);
    expect(result.code).toBe(SUCCESS);
    expect((await trace(traceId)).logs.map((l) => l.message)).toEqual(['kept']);
  });
});

describe('deflate', () => {
  it('when a JSON request arrives deflate-compressed, then it is inflated and stored', async () => {
    const traceId = newTraceId();
    const body = zlib.deflateSync(JsonTraceSerializer.serializeRequest([readableSpan({ traceId, name: 'deflated' })])!);
    const response = await fetch(`${h.collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'deflate', 'x-api-key': h.ingestKey },
      body,
    });
    expect(response.status).toBe(200);
    expect((await trace(traceId)).logs.map((l) => l.name)).toEqual(['deflated']);
  });
});

describe('small requests', () => {
  it.each([
    ['application/x-protobuf', ''],
    ['application/json', ''],
    ['application/json', '{}'],
    ['application/json', '{"resourceSpans":[]}'],
  ])('when an empty %s request (%j) arrives, then it is answered 200', async (contentType, body) => {
    const response = await fetch(`${h.collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${h.ingestKey}` },
      body,
    });
    expect(response.status).toBe(200);
  });

  it('when /health is asked, then it answers ok', async () => {
    const response = await fetch(`${h.collector.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('when the official exporter uses a read key, then the export fails', async () => {
    const withReadKey = officialExporters(h.collector.url, h.readKey);
    const result = await withReadKey.sendProto([readableSpan({ traceId: newTraceId(), name: 'x' })]);
    await withReadKey.shutdown();
    expect(result.code).toBe(FAILED);
  });
});
