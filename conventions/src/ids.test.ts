import { describe, expect, it } from 'vitest';
import {
  InvalidTraceIdError,
  isTraceIdLike,
  isValidSpanId,
  isValidTraceId,
  TRACE_ID_FORMAT_HINT,
  toRequestId,
  toTraceId,
} from './ids.ts';

const TRACE = '4c7445d219724ed69e4746053bf1d45f';
const REQUEST = '4c7445d2-1972-4ed6-9e47-46053bf1d45f';

describe('toTraceId', () => {
  it('accepts a trace ID as is', () => {
    expect(toTraceId(TRACE)).toBe(TRACE);
  });

  it('accepts the request ID (UUID) form', () => {
    expect(toTraceId(REQUEST)).toBe(TRACE);
  });

  it('accepts any case and surrounding whitespace in both forms', () => {
    expect(toTraceId(TRACE.toUpperCase())).toBe(TRACE);
    expect(toTraceId(` ${REQUEST.toUpperCase()}\n`)).toBe(TRACE);
    expect(toTraceId('\t4C7445d2-1972-4ED6-9e47-46053BF1d45f  ')).toBe(TRACE);
  });

  it.each([
    ['all-zero trace ID', '0'.repeat(32)],
    ['all-zero request ID', '00000000-0000-0000-0000-000000000000'],
    ['too short', TRACE.slice(0, 31)],
    ['too long', `${TRACE}0`],
    ['non-hex', `${TRACE.slice(0, 31)}g`],
    ['misplaced dashes', '4c7445d21-972-4ed6-9e47-46053bf1d45f'],
    ['UUID without one dash', '4c7445d2-19724ed6-9e47-46053bf1d45f'],
    ['braces', `{${REQUEST}}`],
    ['inner spaces', '4c7445d2 1972 4ed6 9e47 46053bf1d45f'],
    ['empty', ''],
    ['spaces only', '   '],
    ['SQL', "' OR 1=1 --"],
    ['span ID', 'a1b2c3d4e5f60718'],
  ])('rejects %s with a typed error that explains the format', (_label, input) => {
    expect(() => toTraceId(input)).toThrow(InvalidTraceIdError);
    try {
      toTraceId(input);
    } catch (error) {
      expect((error as InvalidTraceIdError).message).toContain(TRACE_ID_FORMAT_HINT);
      expect((error as InvalidTraceIdError).input).toBe(input);
    }
  });

  it('rejects non-strings without crashing', () => {
    expect(() => toTraceId(42 as unknown as string)).toThrow(InvalidTraceIdError);
    expect(() => toTraceId(null as unknown as string)).toThrow(InvalidTraceIdError);
  });

  it('clips a huge input in the message', () => {
    const huge = 'x'.repeat(10_000);
    expect(() => toTraceId(huge)).toThrow(/x{80}…/);
    expect(() => toTraceId(huge)).not.toThrow(/x{81}/);
  });
});

describe('toRequestId', () => {
  it('formats a trace ID as a lowercase UUID and round-trips', () => {
    expect(toRequestId(TRACE)).toBe(REQUEST);
    expect(toRequestId(TRACE.toUpperCase())).toBe(REQUEST);
    expect(toRequestId(REQUEST)).toBe(REQUEST);
    expect(toTraceId(toRequestId(TRACE))).toBe(TRACE);
  });

  it('rejects what toTraceId rejects', () => {
    expect(() => toRequestId('0'.repeat(32))).toThrow(InvalidTraceIdError);
    expect(() => toRequestId('nope')).toThrow(InvalidTraceIdError);
  });
});

describe('ID predicates', () => {
  it('isTraceIdLike accepts both forms and refuses garbage', () => {
    expect(isTraceIdLike(REQUEST)).toBe(true);
    expect(isTraceIdLike(` ${TRACE.toUpperCase()} `)).toBe(true);
    expect(isTraceIdLike('0'.repeat(32))).toBe(false);
    expect(isTraceIdLike('hello')).toBe(false);
  });

  it('isValidTraceId is strict: normalised lowercase hex only', () => {
    expect(isValidTraceId(TRACE)).toBe(true);
    expect(isValidTraceId(TRACE.toUpperCase())).toBe(false);
    expect(isValidTraceId(REQUEST)).toBe(false);
    expect(isValidTraceId(` ${TRACE}`)).toBe(false);
    expect(isValidTraceId('0'.repeat(32))).toBe(false);
  });

  it('isValidSpanId wants 16 lowercase hex characters, not all zeros', () => {
    expect(isValidSpanId('a1b2c3d4e5f60718')).toBe(true);
    expect(isValidSpanId('A1B2C3D4E5F60718')).toBe(false);
    expect(isValidSpanId('0'.repeat(16))).toBe(false);
    expect(isValidSpanId('a1b2c3d4e5f6071')).toBe(false);
    expect(isValidSpanId(TRACE)).toBe(false);
  });
});
