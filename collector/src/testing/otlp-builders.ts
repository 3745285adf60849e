/** Builders of normalised OTLP items for unit tests: only the fields a test cares about need naming. */
import { DEFAULT_MAPPING_LIMITS, type MappingOptions } from '../mapping/options.ts';
import type { OtlpLogRecord, OtlpResourceLogs, OtlpResourceSpans, OtlpSpan } from '../otlp/types.ts';

export const TRACE_ID = '4c7445d219724ed69e4746053bf1d45f';
export const START = '1764331200000000000'; // 2025-11-28T12:00:00Z

/** Default limits; the request arrives five minutes after START. */
export const MAPPING_OPTIONS: MappingOptions = {
  ...DEFAULT_MAPPING_LIMITS,
  receivedAtMs: Date.parse('2025-11-28T12:05:00Z'),
};

let counter = 0;
/** A fresh valid span ID per call, so tests do not collide. */
export function nextSpanId(): string {
  counter += 1;
  return counter.toString(16).padStart(16, 'a');
}

export function makeSpan(overrides: Partial<OtlpSpan> = {}): OtlpSpan {
  return {
    ref: 'resourceSpans[0].scopeSpans[0].spans[0]',
    traceId: TRACE_ID,
    spanId: nextSpanId(),
    parentSpanId: '',
    name: 'span',
    kind: 1,
    startTimeUnixNano: START,
    endTimeUnixNano: (BigInt(START) + 250_000_000n).toString(),
    traceState: '',
    flags: 0,
    attributes: {},
    events: [],
    links: [],
    status: { code: 0, message: '' },
    ...overrides,
  };
}

export function tracesOf(spans: OtlpSpan[], resource: OtlpResourceSpans['resource'] = { 'service.name': 'svc' }) {
  return { resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 's', version: '' }, spans }] }] };
}

export function makeLogRecord(overrides: Partial<OtlpLogRecord> = {}): OtlpLogRecord {
  return {
    ref: 'resourceLogs[0].scopeLogs[0].logRecords[0]',
    timeUnixNano: START,
    observedTimeUnixNano: START,
    severityNumber: 9,
    severityText: '',
    eventName: '',
    body: 'hello',
    attributes: {},
    flags: 0,
    traceId: TRACE_ID,
    spanId: 'bbbbbbbbbbbbbbbb',
    ...overrides,
  };
}

export function logsOf(records: OtlpLogRecord[], resource: OtlpResourceLogs['resource'] = { 'service.name': 'svc' }) {
  return { resourceLogs: [{ resource, scopeLogs: [{ scope: { name: 's', version: '' }, logRecords: records }] }] };
}
