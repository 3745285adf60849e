// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { formatTimestamp } from './format.ts';
import { displayTimeZone, setTimeZoneChoice, timeZoneChoice, timeZoneLabel } from './time-zone.ts';

afterEach(() => setTimeZoneChoice('local'));

describe('time zone choice', () => {
  it('shows every time in UTC once chosen, and remembers the choice', () => {
    setTimeZoneChoice('utc');
    expect(timeZoneChoice()).toBe('utc');
    expect(displayTimeZone()).toBe('UTC');
    expect(formatTimestamp('2026-11-28T23:15:03.123Z')).toBe('Nov 28, 23:15:03.123');
    expect(localStorage.getItem('tooltrace.timeZone')).toBe('utc');
    setTimeZoneChoice('local');
    expect(displayTimeZone()).toBeUndefined();
  });

  it('labels the zone: UTC, or local with its offset', () => {
    expect(timeZoneLabel('utc')).toBe('UTC');
    expect(timeZoneLabel('local', new Date('2026-07-01T00:00:00Z'), 'Europe/Berlin')).toBe('Local GMT+2');
  });
});
