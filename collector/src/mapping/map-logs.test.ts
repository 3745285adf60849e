import { StoredLogSchema } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import { logsOf, MAPPING_OPTIONS, makeLogRecord, TRACE_ID } from '../testing/otlp-builders.ts';
import { mapLogsRequest } from './map-logs.ts';
import type { MappingOptions } from './options.ts';

const map = (records = [makeLogRecord()], opts: Partial<MappingOptions> = {}) =>
  mapLogsRequest(logsOf(records), { ...MAPPING_OPTIONS, ...opts });

describe('log records', () => {
  it.each([
    [1, '', 'debug'],
    [5, '', 'debug'],
    [9, '', 'info'],
    [12, '', 'info'],
    [13, '', 'warn'],
    [17, '', 'error'],
    [21, '', 'error'],
    [0, 'WARNING', 'warn'],
    [0, 'Error', 'error'],
    [0, 'debug', 'debug'],
    [0, '', 'info'],
  ])('when severity number is %s and text %j, then the level is %s', (severityNumber, severityText, level) => {
    expect(map([makeLogRecord({ severityNumber, severityText })]).logs[0]!.level).toBe(level);
  });

  it('when a record is an info log, then it maps to an info entry without body', () => {
    const record = makeLogRecord({
      body: 'refreshing\ntoken',
      attributes: { 'tooltrace.kind': 'internal', 'tooltrace.http.response.body': 'secret' },
    });
    const [log] = map([record]).logs;
    expect(log).toMatchObject({
      traceId: TRACE_ID,
      spanId: 'bbbbbbbbbbbbbbbb',
      parentSpanId: null,
      source: 'log_record',
      timeMs: Date.parse('2025-11-28T12:00:00.000Z'),
      subMsNanos: 0,
      level: 'info',
      kind: 'internal',
      name: null,
      message: 'refreshing token',
      body: null,
      serviceName: 'svc',
      durationMs: null,
    });
    expect(log!.attributes).not.toHaveProperty('tooltrace.http.response.body');
    expect(log!.id).toMatch(/^log:[0-9a-f]{32}$/);
    expect(() => StoredLogSchema.parse({ ...log, projectId: 'p' })).not.toThrow();
  });

  it('when a record carries exception.* attributes, then it is an error whatever its severity, body kept', () => {
    const record = makeLogRecord({
      severityNumber: 9,
      body: 'request failed',
      attributes: {
        'exception.type': 'TypeError',
        'exception.message': 'fetch failed',
        'exception.stacktrace': 'at y',
      },
    });
    const [log] = map([record]).logs;
    expect(log).toMatchObject({
      level: 'error',
      message: 'request failed — TypeError: fetch failed',
      body: 'request failed',
      attributes: { 'exception.stacktrace': 'at y' },
    });
  });

  it('when an exception record has no body, then the exception is the message', () => {
    const record = makeLogRecord({ body: null, attributes: { 'exception.message': 'boom' } });
    expect(map([record]).logs[0]).toMatchObject({ level: 'error', message: 'boom', body: null });
  });

  it('when an error record has a response body attribute, then that becomes the body', () => {
    const record = makeLogRecord({
      severityNumber: 17,
      body: { event: 'provider failed' },
      attributes: { 'tooltrace.http.response.body': '{"error":"rate_limited"}' },
    });
    expect(map([record]).logs[0]).toMatchObject({
      message: '{"event":"provider failed"}',
      body: '{"error":"rate_limited"}',
    });
  });

  it('when a record has no time, then the observed time, else the receive time, stands in', () => {
    const observed = makeLogRecord({ timeUnixNano: '0', observedTimeUnixNano: '1764331260000000000' });
    const neither = makeLogRecord({ timeUnixNano: '0', observedTimeUnixNano: '0', body: 'other' });
    const [a, b] = map([observed, neither]).logs;
    expect(a!.timeMs).toBe(Date.parse('2025-11-28T12:01:00.000Z'));
    expect(b!.timeMs).toBe(Date.parse('2025-11-28T12:05:00.000Z'));
  });

  it('when the same record is sent twice, then it keeps its ID; when it differs, the ID differs', () => {
    const record = makeLogRecord();
    expect(map([record]).logs[0]!.id).toBe(map([{ ...record }]).logs[0]!.id);
    expect(map([{ ...record, body: 'hello!' }]).logs[0]!.id).not.toBe(map([record]).logs[0]!.id);
  });

  it.each([
    ['no trace ID', { traceId: '' }, /traceId: missing; tooltrace stores log records that belong to a trace/],
    ['an all-zero trace ID', { traceId: '0'.repeat(32) }, /traceId: missing/],
    ['a malformed trace ID', { traceId: 'nothex' }, /traceId: invalid trace ID "nothex"/],
    ['a malformed span ID', { spanId: 'abc' }, /spanId: invalid span ID "abc"/],
  ])('when a record has %s, then it alone is rejected, naming the field', (_, overrides, reason) => {
    const result = map([makeLogRecord(), makeLogRecord(overrides)]);
    expect(result.logs).toHaveLength(1);
    expect(result.rejected).toBe(1);
    expect(result.reasons[0]).toMatch(reason);
  });

  it('when a record has no span ID, then it is kept as a trace-level log', () => {
    expect(map([makeLogRecord({ spanId: '' })]).logs[0]!.spanId).toBeNull();
  });

  it('when attributes are over the limit, then they are truncated with a marker', () => {
    const record = makeLogRecord({ severityNumber: 17, body: 'b'.repeat(30), attributes: { big: 'a'.repeat(30) } });
    const log = map([record], { maxAttributeValueLength: 5, maxBodyLength: 8 }).logs[0]!;
    expect(log.attributes.big).toBe('aaaaa…[truncated: 25 of 30 characters omitted]');
    expect(log.body).toBe('bbbbbbbb…[truncated: 22 of 30 characters omitted]');
  });
});
