import { LogEntrySchema, ToolCallSchema } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import type { OtlpAttributes } from '../otlp/types.ts';
import { makeSpan, START, TRACE_ID, tracesOf } from '../testing/otlp-builders.ts';
import { mapTracesRequest } from './map-spans.ts';
import { DEFAULT_MAPPING_LIMITS, type MappingOptions } from './options.ts';

const options: MappingOptions = { ...DEFAULT_MAPPING_LIMITS, receivedAtMs: Date.parse('2025-11-28T12:05:00Z') };
const map = (spans = [makeSpan()], opts: Partial<MappingOptions> = {}) =>
  mapTracesRequest(tracesOf(spans), { ...options, ...opts });

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
        attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.call.arguments': '{"q":"otel"}' },
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
      startedAt: '2025-11-28T12:00:00.000Z',
      durationMs: 250,
    });
    expect(() => ToolCallSchema.parse({ ...fact, projectId: 'p' })).not.toThrow();
    const log = batch.logs.find((l) => l.source === 'span')!;
    expect(log).toMatchObject({ message, level, kind: 'tool_call', id: `span:${span.spanId}` });
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

describe('span log entries', () => {
  it.each([
    {
      name: 'a failed provider request keeps its response body, as `body` only',
      attributes: {
        'tooltrace.kind': 'provider_request',
        'http.request.method': 'POST',
        'url.full': 'https://slack.com/api/chat.postMessage',
        'http.response.status_code': 403,
        'tooltrace.http.response.body': '{"ok":false,"error":"not_authed"}',
      },
      status: { code: 0, message: '' },
      expected: {
        level: 'error',
        message: 'POST https://slack.com/api/chat.postMessage → 403',
        body: '{"ok":false,"error":"not_authed"}',
      },
    },
    {
      name: 'a successful provider request loses the body the SDK sent anyway',
      attributes: {
        'tooltrace.kind': 'provider_request',
        'http.request.method': 'GET',
        'url.full': 'https://slack.com/api/users.list',
        'http.response.status_code': 200,
        'tooltrace.http.response.body': '{"ok":true}',
      },
      status: { code: 0, message: '' },
      expected: { level: 'info', message: 'GET https://slack.com/api/users.list → 200', body: null },
    },
    {
      name: 'a provider request that never got an answer',
      attributes: { 'http.request.method': 'GET', 'url.full': 'https://api.example.com/x' },
      status: { code: 2, message: 'connect ECONNREFUSED' },
      expected: { level: 'error', message: 'GET https://api.example.com/x → error: connect ECONNREFUSED', body: null },
    },
    {
      name: 'a delivery attempt that got a 500',
      attributes: {
        'tooltrace.kind': 'trigger_delivery',
        'tooltrace.delivery.id': 'd1',
        'tooltrace.delivery.attempt': 2,
        'url.full': 'https://hooks.example.com/in',
        'http.response.status_code': 500,
      },
      status: { code: 2, message: '' },
      expected: { level: 'error', message: 'delivery 2 to https://hooks.example.com/in → 500' },
    },
    {
      name: 'a poll detection',
      attributes: {
        'tooltrace.kind': 'trigger_poll',
        'tooltrace.trigger.name': 'SALESFORCE_RECORD_CREATED',
        'tooltrace.trigger.records.new': 3,
        'tooltrace.trigger.records.updated': 1,
      },
      status: { code: 0, message: '' },
      expected: { level: 'info', message: 'poll SALESFORCE_RECORD_CREATED: 3 new, 1 updated' },
    },
    {
      name: 'a plain span with a multi-line name',
      attributes: {},
      status: { code: 2, message: 'bad\nthing' },
      expected: { level: 'error', message: 'multi line → error: bad thing' },
      spanName: 'multi\nline',
    },
  ])('$name', ({ attributes, status, expected, spanName }) => {
    const span = makeSpan({
      name: spanName ?? 'span',
      attributes: attributes as OtlpAttributes,
      status,
      parentSpanId: 'cccccccccccccccc',
    });
    const log = map([span]).batch.logs[0]!;
    expect(log).toMatchObject({ ...expected, source: 'span', parentSpanId: 'cccccccccccccccc', durationMs: 250 });
    expect(log.attributes).not.toHaveProperty('tooltrace.http.response.body');
    expect(() => LogEntrySchema.parse({ ...log, projectId: 'p' })).not.toThrow();
  });

  it('when a span recorded an exception event, then the event is an error log with the exception as message', () => {
    const span = makeSpan({
      events: [
        { name: 'retrying', timeUnixNano: '0', attributes: { attempt: 1 } },
        {
          name: 'exception',
          timeUnixNano: (BigInt(START) + 5_000_000n).toString(),
          attributes: {
            'exception.type': 'TypeError',
            'exception.message': 'fetch\nfailed',
            'exception.stacktrace': 'at x',
          },
        },
      ],
    });
    const [, retry, exception] = map([span]).batch.logs;
    expect(retry).toMatchObject({
      id: `event:${span.spanId}:0`,
      source: 'span_event',
      level: 'info',
      message: 'retrying',
    });
    expect(retry!.timestamp).toBe('2025-11-28T12:00:00.000Z');
    expect(exception).toMatchObject({
      id: `event:${span.spanId}:1`,
      spanId: span.spanId,
      source: 'span_event',
      level: 'error',
      name: 'exception',
      message: 'TypeError: fetch failed',
      timestamp: '2025-11-28T12:00:00.005Z',
      attributes: { 'exception.stacktrace': 'at x' },
      durationMs: null,
    });
  });

  it('when attribute values and bodies are over the limits, then they are cut with a marker', () => {
    const span = makeSpan({
      status: ERROR,
      attributes: {
        long: 'x'.repeat(50),
        nested: { inner: ['y'.repeat(50)] },
        'tooltrace.http.response.body': 'z'.repeat(100),
      },
    });
    const log = map([span], { maxAttributeValueLength: 10, maxBodyLength: 20 }).batch.logs[0]!;
    expect(log.attributes.long).toBe(`${'x'.repeat(10)}…[truncated: 40 of 50 characters omitted]`);
    expect(log.attributes.nested).toEqual({ inner: [`${'y'.repeat(10)}…[truncated: 40 of 50 characters omitted]`] });
    expect(log.body).toBe(`${'z'.repeat(20)}…[truncated: 80 of 100 characters omitted]`);
  });

  it('when a span has no start time, then the receive time stands in', () => {
    const log = map([makeSpan({ startTimeUnixNano: '0', endTimeUnixNano: '0' })]).batch.logs[0]!;
    expect(log.timestamp).toBe('2025-11-28T12:05:00.000Z');
    expect(log.durationMs).toBe(0);
  });

  it('when the same request is mapped twice, then the facts are identical (re-sends upsert)', () => {
    const spans = [makeSpan({ events: [{ name: 'e', timeUnixNano: START, attributes: {} }] })];
    expect(map(spans)).toEqual(map(spans));
  });
});

describe('rejected spans', () => {
  it.each([
    ['an empty trace ID', { traceId: '' }, /spans\[0\]\.traceId: invalid trace ID ""/],
    ['an all-zero trace ID', { traceId: '0'.repeat(32) }, /traceId: invalid trace ID/],
    ['a short trace ID', { traceId: 'abcd' }, /traceId: invalid trace ID "abcd"/],
    ['a base64 trace ID', { traceId: 'tHRF0hlyTtaeR0YFO/HUXw==' }, /traceId: invalid trace ID/],
    ['a non-hex span ID', { spanId: 'zzzzzzzzzzzzzzzz' }, /spanId: invalid span ID/],
    ['a malformed parent span ID', { parentSpanId: '12' }, /parentSpanId: invalid span ID "12"/],
  ])('when a span has %s, then it alone is rejected, naming the field', (_, overrides, reason) => {
    const good = makeSpan();
    const bad = makeSpan(overrides);
    const result = map([good, bad]);
    expect(result.rejected).toBe(1);
    expect(result.reasons[0]).toMatch(reason);
    expect(result.batch.logs.map((l) => l.spanId)).toEqual([good.spanId]);
  });

  it('when the parent span ID is all zeros, then the span is a root rather than rejected', () => {
    const result = map([makeSpan({ parentSpanId: '0'.repeat(16) })]);
    expect(result.rejected).toBe(0);
    expect(result.batch.logs[0]!.parentSpanId).toBeNull();
  });
});

describe('trigger facts', () => {
  const root = (kind: 'trigger_event' | 'trigger_subscription', extra: Record<string, string> = {}) =>
    makeSpan({
      name: `${kind} SALESFORCE_RECORD_CREATED`,
      attributes: {
        'tooltrace.kind': kind,
        'tooltrace.trigger.event_id': 'evt_1',
        'tooltrace.trigger.id': 'trg_1',
        'tooltrace.trigger.name': 'SALESFORCE_RECORD_CREATED',
        'tooltrace.trigger.subscription_model': 'polling',
        'tooltrace.integration': 'salesforce',
        'user.id': 'u1',
        ...extra,
      },
    });

  it('when a trigger_event root arrives, then it yields a root fact', () => {
    const span = root('trigger_event');
    expect(map([span]).batch.triggers).toEqual([
      {
        traceId: TRACE_ID,
        spanId: span.spanId,
        type: 'event',
        observedAt: '2025-11-28T12:00:00.000Z',
        processingFailed: false,
        root: {
          eventId: 'evt_1',
          triggerId: 'trg_1',
          triggerName: 'SALESFORCE_RECORD_CREATED',
          integration: 'salesforce',
          subscriptionModel: 'POLLING',
          userId: 'u1',
          receivedAt: '2025-11-28T12:00:00.000Z',
          failed: false,
        },
      },
    ]);
    expect(map([span]).batch.logs[0]!.message).toBe('SALESFORCE_RECORD_CREATED event evt_1 received');
  });

  it('when a subscription root carries no event ID, then its trace ID identifies it', () => {
    const span = makeSpan({ attributes: { 'tooltrace.kind': 'trigger_subscription', 'user.id': 'u1' } });
    const fact = map([span]).batch.triggers[0]!;
    expect(fact.type).toBe('subscription');
    expect(fact.root?.eventId).toBe(TRACE_ID);
  });

  it('when a root ended in ERROR, then the root fact says it failed', () => {
    const span = { ...root('trigger_event'), status: { code: 2, message: 'mapping failed' } };
    expect(map([span]).batch.triggers[0]!.root?.failed).toBe(true);
  });

  it.each([
    ['its trigger root is in the same request', true, {}, true],
    [
      'it carries trigger attributes (root sent earlier or later)',
      false,
      { 'tooltrace.trigger.event_id': 'evt_1' },
      true,
    ],
    ['nothing says the trace is a trigger trace', false, {}, false],
  ])(
    'when a failing internal span arrives and %s, then processing failure is reported: %s',
    (_, withRoot, attrs, expected) => {
      const failing = makeSpan({ status: ERROR, attributes: { 'tooltrace.kind': 'internal', ...attrs } });
      const spans = withRoot ? [root('trigger_event'), failing] : [failing];
      const facts = map(spans).batch.triggers.filter((t) => t.spanId === failing.spanId);
      expect(facts).toEqual(
        expected
          ? [
              {
                traceId: TRACE_ID,
                spanId: failing.spanId,
                type: 'event',
                root: null,
                processingFailed: true,
                observedAt: '2025-11-28T12:00:00.000Z',
              },
            ]
          : [],
      );
    },
  );

  it('when a failing internal span belongs to a tool call trace, then no trigger fact appears', () => {
    const call = makeSpan({ attributes: { 'tooltrace.kind': 'tool_call' } });
    const failing = makeSpan({ status: ERROR, attributes: { 'tooltrace.kind': 'internal' } });
    expect(map([call, failing]).batch.triggers).toEqual([]);
  });

  it.each([
    [true, true, true],
    [true, false, false],
    [false, true, false],
  ])('when a webhook creation (final=%s, failed=%s) arrives, then processing failure=%s', (final, failed, expected) => {
    const span = makeSpan({
      status: failed ? ERROR : { code: 0, message: '' },
      attributes: { 'tooltrace.kind': 'trigger_webhook_create', 'tooltrace.webhook_create.final': final },
    });
    const facts = map([span]).batch.triggers;
    expect(facts).toEqual(
      expected ? [expect.objectContaining({ type: 'subscription', processingFailed: true, root: null })] : [],
    );
  });

  it('when delivery spans arrive, then each is an attempt fact, taking the event from the root when it lacks one', () => {
    const r = root('trigger_event');
    const first = makeSpan({
      parentSpanId: r.spanId,
      status: ERROR,
      attributes: {
        'tooltrace.kind': 'trigger_delivery',
        'tooltrace.delivery.id': 'dlv_1',
        'tooltrace.delivery.attempt': 1,
        'tooltrace.delivery.final': false,
        'url.full': 'https://hooks.example.com/in',
        'user.id': 'u1',
        'http.response.status_code': 500,
      },
    });
    const second = makeSpan({
      parentSpanId: r.spanId,
      attributes: {
        'tooltrace.kind': 'trigger_delivery',
        'tooltrace.delivery.id': 'dlv_1',
        'tooltrace.delivery.attempt': '2',
        'tooltrace.delivery.final': 'true',
        'tooltrace.trigger.event_id': 'evt_other',
        'http.response.status_code': 204,
      },
    });
    const attempts = map([second, first, r]).batch.deliveryAttempts;
    expect(attempts).toEqual([
      expect.objectContaining({
        spanId: second.spanId,
        attempt: 2,
        final: true,
        succeeded: true,
        eventId: 'evt_other',
        httpStatus: 204,
      }),
      expect.objectContaining({
        spanId: first.spanId,
        deliveryId: 'dlv_1',
        eventId: 'evt_1',
        triggerId: 'trg_1',
        attempt: 1,
        final: false,
        succeeded: false,
        userId: 'u1',
        webhookUrl: 'https://hooks.example.com/in',
        httpStatus: 500,
        startedAt: '2025-11-28T12:00:00.000Z',
        durationMs: 250,
      }),
    ]);
  });
});
