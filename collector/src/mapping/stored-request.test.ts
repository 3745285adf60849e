import { describe, expect, it } from 'vitest';
import type { LogsRequest, TracesRequest } from '../otlp/types.ts';
import { logsOf, MAPPING_OPTIONS, makeLogRecord, makeSpan, TRACE_ID, tracesOf } from '../testing/otlp-builders.ts';
import { mapLogsRequest } from './map-logs.ts';
import { mapTracesRequest } from './map-spans.ts';
import type { MappingLimits } from './options.ts';
import { DEFAULT_MAPPING_LIMITS } from './options.ts';
import { storedRequest } from './stored-request.ts';

const storedTraces = (request: TracesRequest, rejected: string[], limits: MappingLimits) =>
  storedRequest({ signal: 'traces', request }, rejected, limits).request as TracesRequest;
const storedLogs = (request: LogsRequest, rejected: string[], limits: MappingLimits) =>
  storedRequest({ signal: 'logs', request }, rejected, limits).request as LogsRequest;

const BODY = 'tooltrace.http.response.body';
// Longer than every key used here: keys are cut too.
const limits = { maxAttributeValueLength: 30, maxBodyLength: 40 };

describe('the request as stored', () => {
  it('when the mapper rejected a span, then it is left out and empty groups go', () => {
    const good = makeSpan({ ref: 'a', name: 'good' });
    const bad = makeSpan({ ref: 'b', name: 'bad', traceId: '0'.repeat(32) });
    const request = tracesOf([good, bad]);
    const mapped = mapTracesRequest(request, MAPPING_OPTIONS);
    expect(mapped.rejectedRefs).toEqual(['b']);
    expect(
      storedTraces(request, mapped.rejectedRefs, DEFAULT_MAPPING_LIMITS).resourceSpans[0]?.scopeSpans[0]?.spans,
    ).toEqual([good]);
    expect(storedTraces(tracesOf([bad]), ['b'], DEFAULT_MAPPING_LIMITS)).toEqual({ resourceSpans: [] });
  });

  it('when values are longer than stored, then they are cut as the mapper cuts them', () => {
    const span = makeSpan({
      attributes: { short: 'ok', long: 'x'.repeat(50), nested: ['y'.repeat(32)] },
      status: { code: 2, message: 'm'.repeat(35) },
    });
    const [out] = storedTraces(tracesOf([span]), [], limits).resourceSpans[0]!.scopeSpans[0]!.spans;
    const [entry] = mapTracesRequest(tracesOf([span]), { ...MAPPING_OPTIONS, ...limits }).batch.logs;
    expect(out?.attributes.long).toBe(entry?.attributes.long);
    expect(out?.attributes.nested).toEqual(entry?.attributes.nested);
    expect(out?.attributes.short).toBe('ok');
    expect(out?.status.message).toBe(entry?.attributes['otel.status_description']);
  });

  it('when a span has links, then only the stored ones go on, their attributes cut as stored', () => {
    const valid = { traceId: TRACE_ID, spanId: 'b7ad6b7169203331', traceState: '', flags: 0 };
    const span = makeSpan({
      links: [
        { ...valid, attributes: { why: 'z'.repeat(50) } },
        { ...valid, traceId: 'not hex', attributes: {} },
      ],
    });
    const [out] = storedTraces(tracesOf([span]), [], limits).resourceSpans[0]!.scopeSpans[0]!.spans;
    const [entry] = mapTracesRequest(tracesOf([span]), { ...MAPPING_OPTIONS, ...limits }).batch.logs;
    expect(out?.links.map((l) => l.traceId)).toEqual([TRACE_ID]);
    expect(out?.links[0]?.attributes.why).toBe(entry?.links?.[0]?.attributes.why);
    const plain = makeSpan({ links: [{ ...valid, attributes: { why: 'short' } }] });
    expect(storedTraces(tracesOf([plain]), [], limits).resourceSpans[0]?.scopeSpans[0]?.spans[0]).toBe(plain);
  });

  it('when nothing needs cutting, then the span is passed on as it is (no copy)', () => {
    const span = makeSpan({ attributes: { a: 'short' }, events: [{ timeUnixNano: '0', name: 'e', attributes: {} }] });
    expect(storedTraces(tracesOf([span]), [], limits).resourceSpans[0]?.scopeSpans[0]?.spans[0]).toBe(span);
  });

  it('when a span or event is not an error, then the response body is dropped; on errors it is cut to the body limit', () => {
    const ok = makeSpan({
      attributes: { [BODY]: 'fine' },
      events: [
        { timeUnixNano: '0', name: 'note', attributes: { [BODY]: 'b' } },
        { timeUnixNano: '0', name: 'exception', attributes: { [BODY]: 'z'.repeat(45) } },
      ],
    });
    const failed = makeSpan({ attributes: { 'http.response.status_code': 500, [BODY]: 'e'.repeat(45) } });
    const [outOk, outFailed] = storedTraces(tracesOf([ok, failed]), [], limits).resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(outOk?.attributes).toEqual({});
    expect(outOk?.events[0]?.attributes).toEqual({});
    expect(outOk?.events[1]?.attributes[BODY]).toMatch(/^z{40}…\[truncated: 5 of 45/);
    expect(outFailed?.attributes[BODY]).toMatch(/^e{40}…\[truncated: 5 of 45/);
  });

  it('when log records are rejected or long, then the rest go out as stored', () => {
    const info = makeLogRecord({ ref: 'i', body: 'b'.repeat(50), attributes: { [BODY]: 'x', k: 'v'.repeat(31) } });
    const error = makeLogRecord({ ref: 'e', severityNumber: 17, attributes: { [BODY]: 'short body' } });
    const orphan = makeLogRecord({ ref: 'o', traceId: '' });
    const request = logsOf([info, error, orphan]);
    const mapped = mapLogsRequest(request, { ...MAPPING_OPTIONS, ...limits });
    expect(mapped.rejectedRefs).toEqual(['o']);
    const records = storedLogs(request, mapped.rejectedRefs, limits).resourceLogs[0]!.scopeLogs[0]!.logRecords;
    expect(records.map((r) => r.ref)).toEqual(['i', 'e']);
    expect(records[0]?.attributes).toEqual({ k: mapped.logs[0]?.attributes.k });
    expect(records[0]?.body).toMatch(/^b{40}…\[truncated: 10 of 50/);
    expect(records[1]).toBe(error);
    expect(records[1]?.traceId).toBe(TRACE_ID);
  });
});
