/**
 * Time sanity and attribute limits (DESIGN §5): what is rejected, what is
 * stored in part, and the reason given for each in partial_success.
 */
import { describe, expect, it } from 'vitest';
import { MAX_ATTRIBUTES } from '../otlp/types.ts';
import {
  logsOf,
  MAPPING_OPTIONS,
  makeLogRecord,
  makeSpan,
  nextSpanId,
  START,
  tracesOf,
} from '../testing/otlp-builders.ts';
import { mapLogsRequest } from './map-logs.ts';
import { mapTracesRequest } from './map-spans.ts';
import type { MappingOptions } from './options.ts';

const RECEIVED_MS = MAPPING_OPTIONS.receivedAtMs;
const DAY_MS = 86_400_000;
const nanosAt = (ms: number) => `${ms}000000`;

const mapSpans = (spans: ReturnType<typeof makeSpan>[], opts: Partial<MappingOptions> = {}) =>
  mapTracesRequest(tracesOf(spans), { ...MAPPING_OPTIONS, ...opts });

describe('time sanity of spans', () => {
  it('when a span starts more than a day after the request arrived, then it is rejected and the reason says so', () => {
    const late = makeSpan({
      ref: 'resourceSpans[0].scopeSpans[0].spans[1]',
      startTimeUnixNano: nanosAt(RECEIVED_MS + DAY_MS + 1000),
      endTimeUnixNano: nanosAt(RECEIVED_MS + DAY_MS + 2000),
    });
    const result = mapSpans([makeSpan(), late]);
    expect(result.rejected).toBe(1);
    expect(result.reasons).toEqual([
      'resourceSpans[0].scopeSpans[0].spans[1].startTimeUnixNano: 2025-11-29T12:05:01.000Z is more than 1 day in the future (received at 2025-11-28T12:05:00.000Z)',
    ]);
    expect(result.batch.logs).toHaveLength(1);
  });

  it('when a span starts within a day ahead (clock skew), then it is stored', () => {
    const skewed = makeSpan({
      startTimeUnixNano: nanosAt(RECEIVED_MS + DAY_MS - 1000),
      endTimeUnixNano: nanosAt(RECEIVED_MS + DAY_MS - 500),
    });
    expect(mapSpans([skewed])).toMatchObject({ rejected: 0 });
  });

  it('when a span carries the largest fixed64 time (year 2554), then it is rejected, not kept on top of every list', () => {
    const absurd = makeSpan({ startTimeUnixNano: '18446744073709551615', endTimeUnixNano: '18446744073709551615' });
    const result = mapSpans([absurd]);
    expect(result.rejected).toBe(1);
    expect(result.reasons[0]).toMatch(/startTimeUnixNano: 2554-07-21T23:34:33\.709Z is more than 1 day in the future/);
  });

  it('when only the end is absurd, then the end is named', () => {
    const result = mapSpans([makeSpan({ endTimeUnixNano: '18446744073709551615' })]);
    expect(result.reasons[0]).toMatch(/\.endTimeUnixNano: 2554-.* is more than 1 day in the future/);
  });

  it("when a span is older than the project's age limit, then it is rejected naming the limit; without a limit it is stored", () => {
    const old = makeSpan({
      startTimeUnixNano: nanosAt(RECEIVED_MS - 8 * DAY_MS),
      endTimeUnixNano: nanosAt(RECEIVED_MS - 8 * DAY_MS + 100),
    });
    const limited = mapSpans([old], { maxAgeDays: 7 });
    expect(limited.rejected).toBe(1);
    expect(limited.reasons[0]).toMatch(
      /spans\[0\]\.startTimeUnixNano: 2025-11-20T12:05:00\.000Z is older than the project's age limit of 7 days$/,
    );
    expect(mapSpans([old], { maxAgeDays: 30 }).rejected).toBe(0);
    expect(mapSpans([old], { maxAgeDays: null }).rejected).toBe(0);
  });

  it('when a span has no times, then it takes the receive time and is stored', () => {
    const result = mapSpans([makeSpan({ startTimeUnixNano: '0', endTimeUnixNano: '0' })], { maxAgeDays: 7 });
    expect(result.rejected).toBe(0);
    expect(result.batch.logs[0]!.timeMs).toBe(Date.parse('2025-11-28T12:05:00.000Z'));
  });
});

describe('time sanity of log records', () => {
  it('when a record is from the future or older than the age limit, then it is rejected naming its time field', () => {
    const records = [
      makeLogRecord({ ref: 'r[0]', timeUnixNano: nanosAt(RECEIVED_MS + 2 * DAY_MS) }),
      makeLogRecord({ ref: 'r[1]', timeUnixNano: '0', observedTimeUnixNano: nanosAt(RECEIVED_MS - 40 * DAY_MS) }),
      makeLogRecord({ ref: 'r[2]', timeUnixNano: START }),
    ];
    const result = mapLogsRequest(logsOf(records), { ...MAPPING_OPTIONS, maxAgeDays: 30 });
    expect(result.rejected).toBe(2);
    expect(result.reasons[0]).toMatch(/^r\[0\]\.timeUnixNano: .* is more than 1 day in the future/);
    expect(result.reasons[1]).toMatch(
      /^r\[1\]\.observedTimeUnixNano: .* is older than the project's age limit of 30 days/,
    );
    expect(result.logs).toHaveLength(1);
  });
});

describe('attribute limits', () => {
  it('when the decoder dropped attributes of a span or event, then it is stored with a warning that counts them', () => {
    const attributes = Object.fromEntries(Array.from({ length: MAX_ATTRIBUTES }, (_, i) => [`k${i}`, i]));
    const span = makeSpan({
      spanId: nextSpanId(),
      attributes,
      droppedAttributes: 500,
      events: [{ timeUnixNano: START, name: 'e', attributes: {}, droppedAttributes: 7 }],
    });
    const result = mapSpans([span]);
    expect(result.rejected).toBe(0);
    expect(result.warnings).toEqual([
      'resourceSpans[0].scopeSpans[0].spans[0].attributes: 1500 attributes, over the limit of 1000; 500 dropped, the first 1000 stored',
      'resourceSpans[0].scopeSpans[0].spans[0].events[0].attributes: 1007 attributes, over the limit of 1000; 7 dropped, the first 1000 stored',
    ]);
    // The sent attributes kept, plus the count of those dropped (which the trace view turns into a warning).
    const stored = result.batch.logs[0]!.attributes;
    expect(Object.keys(stored)).toHaveLength(MAX_ATTRIBUTES + 1);
    expect(stored['otel.dropped_attributes_count']).toBe(500);
    expect(result.batch.logs[1]!.attributes).toEqual({ 'otel.dropped_attributes_count': 7 });
  });

  it('when a log record had attributes dropped, then the warning names it', () => {
    const result = mapLogsRequest(logsOf([makeLogRecord({ ref: 'r[0]', droppedAttributes: 1 })]), MAPPING_OPTIONS);
    expect(result.warnings).toEqual([
      'r[0].attributes: 1001 attributes, over the limit of 1000; 1 dropped, the first 1000 stored',
    ]);
    expect(result.logs).toHaveLength(1);
  });
});
