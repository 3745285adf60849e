import { describe, expect, it } from 'vitest';
import { seededRandom } from './random.ts';
import { weave } from './scenario.ts';
import { spreadOverDay } from './timeline.ts';

describe('spreadOverDay', () => {
  it('when given a seed, then the steps go from the oldest offset down to now, the same for the same seed', () => {
    const offsets = spreadOverDay(100, seededRandom(1));
    expect(offsets).toHaveLength(100);
    expect(offsets[0]).toBe(23 * 3600);
    expect(offsets.slice(-4)).toEqual([0, 0, 0, 0]);
    expect(offsets[95]).toBeGreaterThan(0);
    for (const [i, offset] of offsets.entries()) {
      expect(Number.isInteger(offset)).toBe(true);
      if (i > 0) expect(offset).toBeLessThanOrEqual(offsets[i - 1]!);
    }
    expect(spreadOverDay(100, seededRandom(1))).toEqual(offsets);
    expect(spreadOverDay(100, seededRandom(2))).not.toEqual(offsets);
  });

  it('when there are fewer steps than happen now, then all of them happen now', () => {
    expect(spreadOverDay(2, seededRandom(1))).toEqual([0, 0]);
  });

  it('when the oldest offset is not a whole number of seconds, then it refuses naming it', () => {
    expect(() => spreadOverDay(10, seededRandom(1), { oldestSecondsAgo: 1.5 })).toThrow(/1\.5/);
  });
});

describe('weave', () => {
  it('when extra items are woven in, then they are spread evenly, in order, the last after the last main item', () => {
    expect(weave<number | string>([1, 2, 3, 4, 5, 6], ['a', 'b', 'c'])).toEqual([1, 2, 'a', 3, 4, 'b', 5, 6, 'c']);
    expect(weave([1, 2], [])).toEqual([1, 2]);
    expect(weave([], ['a'])).toEqual(['a']);
  });
});
