import { describe, expect, it } from 'vitest';
import { parseToolFilters } from './filters.ts';
import {
  clearFiltersLabel,
  emptyListTitle,
  endOfResultsLabel,
  isNewRow,
  listQuery,
  liveDisabledReason,
  NEW_ROW_MS,
} from './list-page.ts';
import { statusOptionLabel, toolCallStatusView, triggerEventStatusView } from './status.ts';

const nouns = { plural: 'tool calls', one: 'call', many: 'calls' };

describe('list tab words', () => {
  it('when the table is empty, then the title says whether filters, a custom range or a preset emptied it', () => {
    expect(emptyListTitle(nouns, parseToolFilters(new URLSearchParams('status=error')))).toBe(
      'No tool calls match these filters',
    );
    expect(
      emptyListTitle(nouns, parseToolFilters(new URLSearchParams('from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z'))),
    ).toBe('No tool calls in this range');
    expect(emptyListTitle(nouns, parseToolFilters(new URLSearchParams('range=7d')))).toBe(
      'No tool calls in the last 7 days',
    );
  });

  it('when counts are one or many, then the nouns agree', () => {
    expect(endOfResultsLabel(1, nouns)).toBe('1 call · end of results');
    expect(endOfResultsLabel(3, nouns)).toBe('3 calls · end of results');
    expect(clearFiltersLabel(1)).toBe('Clear 1 filter');
    expect(clearFiltersLabel(2)).toBe('Clear 2 filters');
  });

  it('when a status value is known, then the picker shows its label; an unknown value is shown as it is', () => {
    expect(statusOptionLabel('tools', 'error')).toBe(toolCallStatusView('error').label);
    expect(statusOptionLabel('triggers', 'delivery_failures')).toBe(triggerEventStatusView('delivery_failures').label);
    expect(statusOptionLabel('tools', 'delivery_failures')).toBe('delivery_failures');
  });
});

describe('list tab URL and live mode', () => {
  it('when live mode is on, then the query carries live=1 beside the filters', () => {
    const filters = parseToolFilters(new URLSearchParams('userId=u1&range=1h'));
    expect(listQuery(filters, true).toString()).toBe('userId=u1&range=1h&live=1');
    expect(listQuery(filters, false).toString()).toBe('userId=u1&range=1h');
  });

  it('when the range is custom, then live mode is unavailable with a reason', () => {
    expect(liveDisabledReason({ preset: 'custom', from: 0, to: 1 })).toMatch(/pick a preset/);
    expect(liveDisabledReason({ preset: '15m' })).toBeNull();
  });

  it('when a row arrived over the stream a moment ago, then it is new; a fetched row never is', () => {
    expect(isNewRow(10_000, 10_000 + NEW_ROW_MS - 1)).toBe(true);
    expect(isNewRow(10_000, 10_000 + NEW_ROW_MS)).toBe(false);
    expect(isNewRow(undefined, Date.now())).toBe(false);
  });
});
