import { describe, expect, it } from 'vitest';
import { customRange, parseInstant, resolveRange } from './date-range.ts';

describe('date ranges', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');

  it('when a preset is resolved, then it ends now and spans its length', () => {
    expect(resolveRange({ preset: '15m' }, now)).toEqual({ from: now - 15 * 60_000, to: now });
    expect(resolveRange({ preset: '30d' }, now).from).toBe(now - 30 * 86_400_000);
  });

  it('when a custom range is made from instants in reverse order, then it is ordered and never empty', () => {
    expect(customRange(now, now - 5000)).toEqual({ preset: 'custom', from: now - 5000, to: now });
    expect(customRange(now, now)).toEqual({ preset: 'custom', from: now, to: now + 1000 });
  });

  it('when instants are ISO, epoch ms or junk, then they parse or give null', () => {
    expect(parseInstant('2026-11-28T12:00:00Z')).toBe(now);
    expect(parseInstant(String(now))).toBe(now);
    expect(parseInstant('yesterday')).toBeNull();
    expect(parseInstant(null)).toBeNull();
  });
});
