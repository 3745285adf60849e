/**
 * Tool calls and their logs, sent by the official OpenTelemetry exporters
 * (protobuf, protobuf+gzip, JSON, logs) to a real collector on an ephemeral
 * port; the test then reads the real SQLite store behind it.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { toRequestId } from '@tooltrace/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExporterHarness, startExporterHarness } from '../testing/harness.ts';
import { EXPORT_SUCCESS, newSpanId, newTraceId, readableLog, readableSpan, T0 } from '../testing/telemetry.ts';

let h: ExporterHarness;
beforeAll(async () => {
  h = await startExporterHarness();
});
afterAll(() => h?.close());

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

describe('when the official protobuf exporter (gzip) sends a failed tool call', () => {
  const traceId = newTraceId();
  beforeAll(async () => {
    expect((await h.exporters.sendProtoGzip(toolCallTrace(traceId))).code).toBe(EXPORT_SUCCESS);
  });

  it('then the store holds the tool call, keyed by its trace ID as requestId', async () => {
    const { toolCalls } = await h.trace(traceId);
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
        // Judged by the rule table from the provider request's 403 beside it in the export.
        errorCategory: 'permission_denied',
        errorGroup: expect.stringMatching(/^[0-9a-f]{16}$/),
        startedAtMs: T0,
        durationMs: 420,
        parameters: '{"channel":"#general","text":"hi"}',
      }),
    ]);
    const listed = await h.store.listToolCalls(h.projectId, { traceId }, { limit: 10 });
    expect(listed.items).toHaveLength(1);
  });

  it('then every span is a log with a readable message; the response body stays only on the error entry', async () => {
    const { logs } = await h.trace(traceId);
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
    const root = byName['run_tool SLACK_SEND_MESSAGE']!;
    expect(root.parentSpanId).toBeNull();
    expect(logs.filter((l) => l.source === 'span' && l.parentSpanId === root.spanId).map((l) => l.name)).toEqual([
      'refresh auth',
      'POST slack.com',
    ]);
  });
});

describe('when the official JSON exporter sends MCP and gen_ai tool calls', () => {
  const traceId = newTraceId();
  beforeAll(async () => {
    const mcp = newSpanId();
    const result = await h.exporters.sendJson([
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
    expect(result.code).toBe(EXPORT_SUCCESS);
  });

  it('then each tool-call span is its own ToolCall of the trace', async () => {
    const { toolCalls } = await h.trace(traceId);
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
    expect((await h.exporters.sendProto([span])).code).toBe(EXPORT_SUCCESS);
    const record = readableLog({
      traceId,
      spanId,
      atMs: 60,
      severityNumber: SeverityNumber.INFO,
      body: 'mapping failed',
      attributes: { 'exception.type': 'RangeError', 'exception.message': 'too deep' },
    });
    const plain = readableLog({ traceId, atMs: 70, severityNumber: SeverityNumber.WARN, body: 'slow provider' });
    expect((await h.exporters.sendLogs([record, plain])).code).toBe(EXPORT_SUCCESS);
  });

  it('then an exception span event and an exception log record are both error logs of the trace', async () => {
    const { logs } = await h.trace(traceId);
    expect(logs.map((l) => [l.source, l.level, l.message])).toEqual([
      ['span', 'info', 'map result'],
      ['span_event', 'error', 'TypeError: x is undefined'],
      ['log_record', 'error', 'mapping failed — RangeError: too deep'],
      ['log_record', 'warn', 'slow provider'],
    ]);
    const fromLog = logs.find((l) => l.source === 'log_record' && l.level === 'error')!;
    expect(fromLog).toMatchObject({ spanId, body: 'mapping failed', timeMs: T0 + 60 });
  });
});
