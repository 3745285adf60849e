import { describe, expect, it } from 'vitest';
import { findTraceIdInText, traceIdInputState } from './request-id.ts';

const TRACE = '4c7445d219724ed69e4746053bf1d45f';

describe('request ID detection in pasted text', () => {
  it('when a bare requestId or trace ID is pasted, then it gives the trace ID', () => {
    expect(findTraceIdInText(' 4c7445d2-1972-4ed6-9e47-46053bf1d45f\n')).toBe(TRACE);
    expect(findTraceIdInText(TRACE.toUpperCase())).toBe(TRACE);
  });

  it('when a whole ActionKit error body is pasted, then the labelled requestId wins', () => {
    const body = JSON.stringify({
      message: 'Unable to update Task',
      code: '41070',
      details: { correlation: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' },
      meta: { requestId: '4c7445d2-1972-4ed6-9e47-46053bf1d45f' },
    });
    expect(findTraceIdInText(body)).toBe(TRACE);
  });

  it('when the text holds no usable ID, then it gives null', () => {
    expect(findTraceIdInText('SLACK_SEND_MESSAGE failed')).toBeNull();
    expect(findTraceIdInText('00000000-0000-0000-0000-000000000000')).toBeNull();
    expect(findTraceIdInText(`${TRACE}ff`)).toBeNull();
    expect(findTraceIdInText('')).toBeNull();
  });

  it('when the search box holds text, then its state says whether it is an ID', () => {
    expect(traceIdInputState('  ')).toEqual({ kind: 'empty' });
    expect(traceIdInputState('abc')).toEqual({ kind: 'invalid' });
    expect(traceIdInputState(TRACE)).toEqual({ kind: 'valid', traceId: TRACE });
  });
});
