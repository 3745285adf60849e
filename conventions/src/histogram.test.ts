import { describe, expect, it } from 'vitest';
import { bucketAt, emptyBuckets, NICE_BUCKET_STEPS_MS, planBuckets } from './histogram.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-11-28T00:00:00Z');

describe('planBuckets', () => {
  it.each([
    ['1 hour into 60 buckets', HOUR, 60, MINUTE],
    ['24 hours into 60 buckets', DAY, 60, 30 * MINUTE],
    ['24 hours into 24 buckets', DAY, 24, HOUR],
    ['7 days into 60 buckets', 7 * DAY, 60, 3 * HOUR],
    ['30 days into 60 buckets', 30 * DAY, 60, 12 * HOUR],
    ['5 minutes into 60 buckets', 5 * MINUTE, 60, 5_000],
    ['2 seconds into 60 buckets', 2_000, 60, 1_000],
  ])('when the range is %s, then the bucket is the smallest nice step that fits', (_name, range, target, expected) => {
    const plan = planBuckets(T0, T0 + range, target);
    expect(plan.bucketMs).toBe(expected);
    expect(plan.count).toBeLessThanOrEqual(target);
  });

  it('when the range is not aligned, then the first bucket starts at the aligned boundary and the count still fits', () => {
    const from = T0 + 7 * MINUTE + 13_000;
    const plan = planBuckets(from, from + HOUR, 60);
    // 1 m would need 61 epoch-aligned buckets, so the next nice step is taken.
    expect(plan.bucketMs).toBe(5 * MINUTE);
    expect(plan.start).toBe(T0 + 5 * MINUTE);
    expect(plan.start % plan.bucketMs).toBe(0);
    expect(plan.start + plan.count * plan.bucketMs).toBeGreaterThanOrEqual(plan.end);
    expect(plan.count).toBeLessThanOrEqual(60);
  });

  it('for any range and target, the buckets cover the range without exceeding the target', () => {
    for (const range of [1, 999, 61_000, 3 * HOUR + 1, 3 * DAY, 45 * DAY, 400 * DAY, 5000 * DAY]) {
      for (const target of [1, 2, 7, 60, 500]) {
        const from = T0 + 12_345;
        const plan = planBuckets(from, from + range, target);
        expect(plan.count).toBeLessThanOrEqual(target);
        expect(plan.start).toBeLessThanOrEqual(from);
        expect(plan.start + plan.count * plan.bucketMs).toBeGreaterThanOrEqual(from + range);
        // The buckets a store lists for the plan are exactly the ones planned.
        const starts = emptyBuckets(plan.start, plan.end, plan.bucketMs).map((b) => b.start);
        expect(starts).toHaveLength(plan.count);
        expect(starts[1] === undefined || starts[1] - (starts[0] ?? 0) === plan.bucketMs).toBe(true);
      }
    }
  });

  it('when the range is longer than the largest nice step allows, then whole days are used', () => {
    const plan = planBuckets(T0, T0 + 10 * 365 * DAY, 60);
    expect(plan.bucketMs % DAY).toBe(0);
    expect(plan.bucketMs).toBeGreaterThan(NICE_BUCKET_STEPS_MS.at(-1) ?? 0);
  });

  it('when the range is empty or the target is not positive, then it throws', () => {
    expect(() => planBuckets(T0, T0, 60)).toThrow(RangeError);
    expect(() => planBuckets(T0, T0 + 1, 0)).toThrow(RangeError);
  });
});

describe('emptyBuckets and bucketAt', () => {
  it('when a range is listed, then every bucket is there and each time lands in the bucket that holds it', () => {
    const buckets = emptyBuckets(1_000, 3_500, 1_000);
    expect(buckets).toEqual([
      { start: 1_000, counts: {} },
      { start: 2_000, counts: {} },
      { start: 3_000, counts: {} },
    ]);
    expect([999, 1_000, 2_999, 3_000, 3_999, 4_000].map((t) => bucketAt(buckets, 1_000, 1_000, t)?.start)).toEqual([
      undefined,
      1_000,
      2_000,
      3_000,
      3_000,
      undefined,
    ]);
  });
});
