import { describe, expect, it } from 'vitest';
import { parseApiTime } from './time.ts';

describe('parseApiTime', () => {
  it.each([
    ['2026-11-28T12:00:00Z', Date.UTC(2026, 10, 28, 12)],
    ['2026-11-28T12:00:00.123Z', Date.UTC(2026, 10, 28, 12, 0, 0, 123)],
    ['2026-11-28T14:00:00+02:00', Date.UTC(2026, 10, 28, 12)],
    ['2026-11-28T12:00Z', Date.UTC(2026, 10, 28, 12)],
    ['2026-11-28', Date.UTC(2026, 10, 28)],
    ['1795867200000', 1795867200000],
    [' 0 ', 0],
  ])('when given %j, then it is %d ms', (text, expected) => {
    expect(parseApiTime(text)).toBe(expected);
  });

  it.each(['', 'yesterday', '2026-11-28T12:00:00', '2026-13-45T00:00:00Z', '-5', '1.5', '12345678901234567', 'NaN'])(
    'when given %j, then it is not a time',
    (text) => {
      expect(parseApiTime(text)).toBeNull();
    },
  );
});
