/** mapTracesRequest: which spans are tool calls, and the ToolCall facts they give. */
import { StoredToolCallSchema } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import { MAPPING_OPTIONS, makeSpan, START, TRACE_ID, tracesOf } from '../testing/otlp-builders.ts';
import { mapTracesRequest } from './map-spans.ts';
import type { MappingOptions } from './options.ts';

const map = (spans = [makeSpan()], opts: Partial<MappingOptions> = {}) =>
  mapTracesRequest(tracesOf(spans), { ...MAPPING_OPTIONS, ...opts });

const SERVER = 2;
const CLIENT = 3;
const ERROR = { code: 2, message: '' };

describe('tool calls', () => {
  it.each([
    {
      name: 'our run_tool root, success',
      span: makeSpan({
        name: 'run_tool SLACK_SEND_MESSAGE',
        kind: SERVER,
        attributes: {
          'tooltrace.kind': 'tool_call',
          'tooltrace.tool_call.type': 'run_tool',
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'SLACK_SEND_MESSAGE',
          'gen_ai.tool.call.arguments': '{"channel":"#general"}',
          'tooltrace.integration': 'slack',
          'user.id': 'user-1',
          'http.response.status_code': 200,
        },
      }),
      call: {
        type: 'run_tool',
        toolName: 'SLACK_SEND_MESSAGE',
        integration: 'slack',
        userId: 'user-1',
        status: 'success',
        httpStatus: 200,
        errorCode: null,
        errorMessage: null,
        parameters: '{"channel":"#general"}',
        toolCallId: null,
      },
      message: 'run_tool SLACK_SEND_MESSAGE → 200',
      level: 'info',
    },
    {
      name: 'our run_tool root, failed with a platform error code',
      span: makeSpan({
        name: 'run_tool SLACK_SEND_MESSAGE',
        kind: SERVER,
        status: { code: 2, message: 'Team not authorized' },
        attributes: {
          'tooltrace.kind': 'tool_call',
          'tooltrace.tool_call.type': 'run_tool',
          'gen_ai.tool.name': 'SLACK_SEND_MESSAGE',
          'http.response.status_code': '403',
          'error.type': 'ProviderError',
          'tooltrace.error.code': 41070,
          'tooltrace.error.message': 'Team not authorized',
        },
      }),
      call: { status: 'error', httpStatus: 403, errorCode: '41070', errorMessage: 'Team not authorized' },
      message: 'run_tool SLACK_SEND_MESSAGE → error 41070: Team not authorized',
      level: 'error',
    },
    {
      name: 'our list_tools root',
      span: makeSpan({
        name: 'list_tools',
        kind: SERVER,
        attributes: { 'tooltrace.kind': 'tool_call', 'tooltrace.tool_call.type': 'list_tools' },
      }),
      call: { type: 'list_tools', toolName: null, status: 'success' },
      message: 'list_tools → ok',
      level: 'info',
    },
    {
      name: 'an MCP tools/call SERVER span',
      span: makeSpan({
        name: 'tools/call get_weather',
        kind: SERVER,
        attributes: { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'get_weather' },
      }),
      call: { type: 'run_tool', toolName: 'get_weather', status: 'success', integration: null },
      message: 'tools/call get_weather → ok',
      level: 'info',
    },
    {
      name: 'an MCP tools/call SERVER span naming the tool only in its span name, failing',
      span: makeSpan({
        name: 'tools/call get_weather',
        kind: SERVER,
        attributes: { 'mcp.method.name': 'tools/call', 'error.type': 'tool_error', 'rpc.jsonrpc.error_code': -32602 },
      }),
      call: { type: 'run_tool', toolName: 'get_weather', status: 'error', errorCode: '-32602' },
      message: 'tools/call get_weather → error -32602',
      level: 'error',
    },
    {
      name: 'an MCP tools/list SERVER span',
      span: makeSpan({ name: 'tools/list', kind: SERVER, attributes: { 'mcp.method.name': 'tools/list' } }),
      call: { type: 'list_tools', toolName: null },
      message: 'tools/list → ok',
      level: 'info',
    },
    {
      name: 'an agent framework execute_tool span (INTERNAL), with an exception',
      span: makeSpan({
        name: 'execute_tool search_docs',
        kind: 1,
        status: ERROR,
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.call.arguments': '{"q":"otel"}',
          'gen_ai.tool.call.id': 'call_9x2Yq',
        },
        events: [
          {
            name: 'exception',
            timeUnixNano: START,
            attributes: { 'exception.type': 'TimeoutError', 'exception.message': 'search timed out' },
          },
        ],
      }),
      call: {
        type: 'run_tool',
        toolName: 'search_docs',
        status: 'error',
        errorMessage: 'search timed out',
        parameters: '{"q":"otel"}',
        toolCallId: 'call_9x2Yq',
      },
      message: 'execute_tool search_docs → error: search timed out',
      level: 'error',
    },
  ])('$name', ({ span, call, message, level }) => {
    const { batch, rejected } = map([span]);
    expect(rejected).toBe(0);
    expect(batch.toolCalls).toHaveLength(1);
    const fact = batch.toolCalls[0]!;
    expect(fact).toMatchObject({
      ...call,
      traceId: TRACE_ID,
      spanId: span.spanId,
      requestId: '4c7445d2-1972-4ed6-9e47-46053bf1d45f',
      startedAtMs: Date.parse('2025-11-28T12:00:00.000Z'),
      durationMs: 250,
    });
    expect(() => StoredToolCallSchema.parse({ ...fact, projectId: 'p' })).not.toThrow();
    const log = batch.logs.find((l) => l.source === 'span')!;
    expect(log).toMatchObject({
      message,
      level,
      kind: 'tool_call',
      id: `span:${span.spanId}@${span.startTimeUnixNano}`,
    });
  });

  it('when an MCP span is a CLIENT (the calling side), then it is not a tool call', () => {
    const span = makeSpan({ name: 'tools/call x', kind: CLIENT, attributes: { 'mcp.method.name': 'tools/call' } });
    expect(map([span]).batch.toolCalls).toEqual([]);
  });

  it('when a trace holds several tool calls, then each becomes its own ToolCall', () => {
    const spans = ['a', 'b', 'c'].map((tool) =>
      makeSpan({ name: `execute_tool ${tool}`, attributes: { 'gen_ai.operation.name': 'execute_tool' } }),
    );
    expect(map(spans).batch.toolCalls.map((c) => c.toolName)).toEqual(['a', 'b', 'c']);
  });
});
