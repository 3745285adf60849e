import { describe, expect, it } from 'vitest';
import { durationMs, nanosToIso, nanosToMs, subMsNanos } from './time.ts';

// The definitions the fast paths must match exactly (BigInt arithmetic, as the mapper first did it).
const referenceIso = (nanos: string) => new Date(Number(BigInt(nanos) / 1_000_000n)).toISOString();
const referenceDuration = (start: string, end: string) => {
  return Number(BigInt(end) - BigInt(start)) / 1e6;
};

/** Canonical nanosecond strings of every length, around real times and at the fixed64 extremes. */
function samples(): string[] {
  const out = ['0', '1', '999999', '1000000', '1999999', '18446744073709551615', '9007199254740993'];
  let x = 1_764_331_200_000_000_000n; // 2025-11-28T12:00:00Z
  for (let i = 0; i < 400; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
    out.push((x >> BigInt(i % 60)).toString());
    out.push((1_764_331_200_000_000_000n + (x % 100_000_000_000n)).toString());
  }
  return out;
}

describe('nanosToIso', () => {
  it('when given any canonical nanosecond string, then it equals the BigInt + Date definition', () => {
    for (const nanos of samples()) expect(nanosToIso(nanos), nanos).toBe(referenceIso(nanos));
  });

  it('when consecutive times share a second or jump back and forth, then each keeps its own milliseconds', () => {
    const times = ['1764331200005000000', '1764331200999999999', '1764331199000000000', '1764331200042000000'];
    expect(times.map(nanosToIso)).toEqual([
      '2025-11-28T12:00:00.005Z',
      '2025-11-28T12:00:00.999Z',
      '2025-11-28T11:59:59.000Z',
      '2025-11-28T12:00:00.042Z',
    ]);
  });
});

describe('nanosToMs and subMsNanos', () => {
  it('when given any canonical nanosecond string, then ms·10⁶ + the remainder is exactly that string', () => {
    for (const nanos of samples()) {
      const remainder = subMsNanos(nanos);
      expect(remainder, nanos).toBeGreaterThanOrEqual(0);
      expect(remainder, nanos).toBeLessThan(1_000_000);
      expect((BigInt(nanosToMs(nanos)) * 1_000_000n + BigInt(remainder)).toString(), nanos).toBe(nanos);
    }
  });
});

describe('durationMs', () => {
  it('when given pairs in either order, near and far apart, then it equals the BigInt definition', () => {
    const all = samples();
    for (let i = 0; i + 1 < all.length; i++) {
      const [a, b] = [all[i]!, all[i + 1]!];
      expect(durationMs(a, b), `${a} → ${b}`).toBe(referenceDuration(a, b));
      expect(durationMs(b, a), `${b} → ${a}`).toBe(referenceDuration(b, a));
    }
    expect(durationMs('1764331200000000000', '1764331200001500001')).toBe(1.500001);
    // An end before the start is kept as sent (the trace view warns), not clamped to 0.
    expect(durationMs('1764331200001500001', '1764331200000000000')).toBe(-1.500001);
    expect(durationMs('0', '18446744073709551615')).toBe(referenceDuration('0', '18446744073709551615'));
  });
});
