import { describe, expect, it } from 'vitest';
import {
  activeFilterCount,
  filtersToApiParams,
  filtersToParams,
  ignoredParams,
  parseToolFilters,
  parseTriggerFilters,
  withFilterValue,
} from './filters.ts';

describe('filters ⇄ URL', () => {
  it('when the URL holds every tool filter, then they are all parsed and written back the same', () => {
    const params = new URLSearchParams(
      'userId=user-7&integration=slack&status=error&toolName=SLACK_SEND_MESSAGE&type=run_tool&traceId=4c7445d219724ed69e4746053bf1d45f&range=7d',
    );
    const filters = parseToolFilters(params);
    expect(filters.values).toEqual({
      userId: 'user-7',
      integration: 'slack',
      status: 'error',
      toolName: 'SLACK_SEND_MESSAGE',
      type: 'run_tool',
      traceId: '4c7445d219724ed69e4746053bf1d45f',
    });
    expect(filters.range).toEqual({ preset: '7d' });
    expect(filtersToParams(filters).toString()).toBe(params.toString());
  });

  it('when the trace ID is a requestId, then the filter holds the trace ID form', () => {
    const filters = parseToolFilters(new URLSearchParams('traceId=4C7445D2-1972-4ED6-9E47-46053BF1D45F'));
    expect(filters.values.traceId).toBe('4c7445d219724ed69e4746053bf1d45f');
  });

  it('when values are ones the API would reject, then they are dropped instead of failing the page', () => {
    const filters = parseToolFilters(
      new URLSearchParams('status=queued&type=other&traceId=123&userId=%20%20&range=2y'),
    );
    expect(filters.values).toEqual({});
    expect(filters.range).toEqual({ preset: '24h' });
  });

  it('when the trigger URL has a trigger status, then it is kept (and a tool-only key is ignored)', () => {
    const filters = parseTriggerFilters(new URLSearchParams('status=delivery_failures&type=subscription&toolName=X'));
    expect(filters.values).toEqual({ status: 'delivery_failures', type: 'subscription' });
  });

  it('when the range is custom, then from/to round-trip as ISO and reach the API unchanged', () => {
    const filters = parseToolFilters(new URLSearchParams('from=2026-11-28T10:00:00.000Z&to=1795867200000'));
    expect(filters.range).toEqual({ preset: 'custom', from: Date.parse('2026-11-28T10:00:00Z'), to: 1795867200000 });
    const params = filtersToParams(filters);
    expect(params.get('from')).toBe('2026-11-28T10:00:00.000Z');
    expect(params.get('to')).toBe(new Date(1795867200000).toISOString());
    expect(filtersToApiParams(filters, 0).get('from')).toBe('2026-11-28T10:00:00.000Z');
  });

  it('when a preset is resolved for the API, then from is that long before the pinned now', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    const params = filtersToApiParams({ values: { integration: 'slack' }, range: { preset: '1h' } }, now);
    expect(Object.fromEntries(params)).toEqual({
      integration: 'slack',
      from: '2026-11-28T11:00:00.000Z',
      to: '2026-11-28T12:00:00.000Z',
    });
  });

  it('when a value is set and then cleared, then the filters follow and the count says so', () => {
    const set = withFilterValue(parseToolFilters(new URLSearchParams()), 'userId', 'u1');
    expect(activeFilterCount(set)).toBe(1);
    const cleared = withFilterValue(set, 'userId', '');
    expect(cleared.values).toEqual({});
    expect(filtersToParams(cleared).toString()).toBe('');
  });
});

describe('ignoredParams', () => {
  it('names the URL filters parsing drops, and only those', () => {
    const params = new URLSearchParams('status=bogus&from=yesterday&integration=slack&range=2y&httpStatus=abc&foo=1');
    expect(ignoredParams(params, 'tools')).toEqual([
      { name: 'status', value: 'bogus' },
      { name: 'httpStatus', value: 'abc' },
      { name: 'range', value: '2y' },
      { name: 'from', value: 'yesterday' },
    ]);
    expect(ignoredParams(new URLSearchParams('status=error&errorGroup=0b932c49d4520882'), 'tools')).toEqual([]);
    expect(ignoredParams(new URLSearchParams('status=error'), 'triggers')).toEqual([
      { name: 'status', value: 'error' },
    ]);
  });
});
