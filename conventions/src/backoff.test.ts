import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  const options = { baseMs: 100, maxMs: 1_000 };

  it('when retries follow each other, then the delay doubles up to the cap', () => {
    const top = (attempt: number) => backoffDelay(attempt, { ...options, random: () => 1 });
    expect([1, 2, 3, 4, 5, 60].map(top)).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('when jitter is 0.5, then the delay stays between half and all of the exponential delay', () => {
    expect(backoffDelay(3, { ...options, random: () => 0 })).toBe(200);
    expect(backoffDelay(3, { ...options, random: () => 0.5 })).toBe(300);
    expect(backoffDelay(3, { ...options, jitter: 0, random: () => 0.9 })).toBe(400);
    expect(backoffDelay(3, { ...options, jitter: 1, random: () => 0 })).toBe(0);
  });

  it('when the attempt or the bounds are invalid, then it throws naming them', () => {
    expect(() => backoffDelay(0, options)).toThrow(/attempt must be an integer ≥ 1, got 0/);
    expect(() => backoffDelay(1, { baseMs: 10, maxMs: 5 })).toThrow(/baseMs 10, maxMs 5/);
  });
});
