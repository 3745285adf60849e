/** mapTracesRequest: the log entry of every span and span event, and spans rejected for bad IDs. */
import { StoredLogSchema } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import type { OtlpAttributes } from '../otlp/types.ts';
import { MAPPING_OPTIONS, makeSpan, START, tracesOf } from '../testing/otlp-builders.ts';
import { mapTracesRequest } from './map-spans.ts';
import type { MappingOptions } from './options.ts';

const map = (spans = [makeSpan()], opts: Partial<MappingOptions> = {}) =>
  mapTracesRequest(tracesOf(spans), { ...MAPPING_OPTIONS, ...opts });

const ERROR = { code: 2, message: '' };

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
    expect(() => StoredLogSchema.parse({ ...log, projectId: 'p' })).not.toThrow();
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
      id: `event:${span.spanId}@${span.startTimeUnixNano}:0`,
      source: 'span_event',
      level: 'info',
      message: 'retrying',
    });
    expect(retry!.timeMs).toBe(Date.parse('2025-11-28T12:00:00.000Z'));
    expect(exception).toMatchObject({
      id: `event:${span.spanId}@${span.startTimeUnixNano}:1`,
      spanId: span.spanId,
      source: 'span_event',
      level: 'error',
      name: 'exception',
      message: 'TypeError: fetch failed',
      timeMs: Date.parse('2025-11-28T12:00:00.005Z'),
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
    expect(log.timeMs).toBe(Date.parse('2025-11-28T12:05:00.000Z'));
    expect(log.durationMs).toBe(0);
  });

  it('when a span ends before it starts, then its log keeps the negative duration and its tool call shows 0', () => {
    const span = makeSpan({
      endTimeUnixNano: (BigInt(START) - 40_000_000n).toString(),
      attributes: { 'tooltrace.kind': 'tool_call', 'tooltrace.tool_call.type': 'run_tool' },
    });
    const { batch } = map([span]);
    expect(StoredLogSchema.parse({ ...batch.logs[0], projectId: 'p' }).durationMs).toBe(-40);
    expect(batch.toolCalls[0]!.durationMs).toBe(0);
  });

  it('when two different spans share a span ID, then both are kept as logs (the trace view flags them)', () => {
    const first = makeSpan({ name: 'first', events: [{ name: 'e', timeUnixNano: START, attributes: {} }] });
    const second = makeSpan({
      spanId: first.spanId,
      name: 'second',
      startTimeUnixNano: (BigInt(START) + 1n).toString(),
      events: [{ name: 'e', timeUnixNano: START, attributes: {} }],
    });
    const logs = map([first, second]).batch.logs;
    expect(logs.map((l) => l.name)).toEqual(['first', 'e', 'second', 'e']);
    expect(new Set(logs.map((l) => l.id)).size).toBe(4);
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
