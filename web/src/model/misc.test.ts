import { describe, expect, it } from 'vitest';
import { readKeyProblem, roleOfSessionKey, takeReadKeyFromHash } from './auth.ts';
import { exportFileName, exportParams } from './export.ts';
import { formatDuration, formatRangeShort, formatTimeOfDay, formatTimestamp } from './format.ts';
import { moveSelection, shortcutFor } from './keyboard.ts';
import { retentionView } from './retention.ts';

describe('sign-in link', () => {
  it('when the hash carries a read key, then it is taken out and the rest kept', () => {
    expect(takeReadKeyFromHash('#readKey=tt_read_abc&x=1')).toEqual({ readKey: 'tt_read_abc', remainingHash: '#x=1' });
    expect(takeReadKeyFromHash('')).toEqual({ readKey: null, remainingHash: '' });
  });

  it('when the hash carries an admin key, then it becomes the session key and leaves the hash', () => {
    expect(takeReadKeyFromHash('#adminKey=tt_admin_abc&x=1')).toEqual({
      readKey: 'tt_admin_abc',
      remainingHash: '#x=1',
    });
    expect(roleOfSessionKey('tt_admin_abc')).toBe('admin');
    expect(roleOfSessionKey('tt_read_abc')).toBe('read');
  });

  it('when the form gets an ingest key, then the hint says to use the read key', () => {
    expect(readKeyProblem('tt_ingest_x')).toMatch(/ingest key/);
    expect(readKeyProblem('tt_read_x')).toBeNull();
    expect(readKeyProblem('tt_admin_x')).toBeNull();
    expect(readKeyProblem('nope')).toMatch(/tt_admin_/);
  });
});

describe('keyboard', () => {
  const press = (k: string) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false });
  it('when keys are pressed outside fields, then they map to actions; inside a field only Esc does', () => {
    expect(['/', 'j', 'k', 'Enter', 'Escape', 'x'].map((k) => shortcutFor(press(k), false))).toEqual([
      'focus-search',
      'next',
      'previous',
      'open',
      'close',
      null,
    ]);
    expect(shortcutFor(press('j'), true)).toBeNull();
    expect(shortcutFor(press('Escape'), true)).toBe('close');
    expect(shortcutFor({ ...press('k'), metaKey: true }, false)).toBeNull();
  });

  it('when the selection moves, then it stays within the rows', () => {
    expect(moveSelection(null, 1, 3)).toBe(0);
    expect(moveSelection(null, -1, 3)).toBe(2);
    expect(moveSelection(2, 1, 3)).toBe(2);
    expect(moveSelection(0, -1, 3)).toBe(0);
    expect(moveSelection(1, 1, 0)).toBeNull();
  });
});

describe('formatting', () => {
  it('when durations are formatted, then the unit fits the size', () => {
    expect([0.25, 4.5, 842, 1240, 65_000, null, -7].map(formatDuration)).toEqual([
      '250 µs',
      '4.5 ms',
      '842 ms',
      '1.24 s',
      '1m 5s',
      '—',
      '−7 ms',
    ]);
  });

  it('when a custom range is labelled, then the day is written once when both ends share it', () => {
    const utc = { timeZone: 'UTC' };
    expect(formatRangeShort(Date.parse('2026-11-28T00:30Z'), Date.parse('2026-11-28T05:30Z'), utc)).toBe(
      'Nov 28, 00:30 – 05:30',
    );
    expect(formatRangeShort(Date.parse('2026-11-27T22:00Z'), Date.parse('2026-11-28T05:30Z'), utc)).toBe(
      'Nov 27, 22:00 – Nov 28, 05:30',
    );
  });

  it('when a timestamp is formatted, then it shows the date and milliseconds in the given zone', () => {
    expect(formatTimestamp('2026-11-28T12:15:03.123Z', { timeZone: 'UTC' })).toBe('Nov 28, 12:15:03.123');
    expect(formatTimeOfDay('2026-11-28T12:15:03.123Z', { timeZone: 'UTC' })).toBe('Nov 28, 12:15:03');
  });
});

describe('retention and export', () => {
  it('when usage nears the cap, then the indicator warns and says how many logs were dropped', () => {
    const view = retentionView({
      projectId: 'p',
      projectName: 'Demo',
      plan: 'trial',
      limits: { maxAgeDays: 7, maxLogs: 50_000 },
      logCount: 42_000,
      logsDropped: 1200,
      oldestLogAt: null,
      ageRetention: 'sweep',
    });
    expect(view).toMatchObject({
      planLabel: 'Trial',
      usageLabel: '42,000 / 50K logs',
      ageLabel: '7-day retention',
      droppedLabel: '1,200 oldest logs dropped',
      tone: 'warning',
    });
    expect(view.usagePct).toBe(84);
  });

  it('when the current filter is exported, then the API gets it with the format and a dated file name', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    const params = exportParams({ values: { status: 'error' }, range: { preset: '1h' } }, 'ndjson', now);
    expect(params.get('status')).toBe('error');
    expect(params.get('format')).toBe('ndjson');
    expect(exportFileName('tool-calls', 'csv', now)).toBe('tooltrace-tool-calls-2026-11-28T12-00-00.csv');
  });
});
