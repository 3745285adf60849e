import { describe, expect, it } from 'vitest';
import { retryAfterMs, retryDelay } from './backoff.ts';

describe('retryDelay', () => {
  it('doubles per attempt within [base/2, base], capped', () => {
    const options = { initialMs: 100, maxMs: 1000 };
    expect(retryDelay(1, null, options, () => 0)).toBe(50);
    expect(retryDelay(1, null, options, () => 1)).toBe(100);
    expect(retryDelay(3, null, options, () => 1)).toBe(400);
    expect(retryDelay(10, null, options, () => 1)).toBe(1000);
    expect(retryDelay(10, null, options, () => 0)).toBe(500);
  });

  it('never retries sooner than Retry-After', () => {
    expect(retryDelay(1, 2000, { initialMs: 100, maxMs: 1000 }, () => 1)).toBe(2000);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs('Mon, 30 Nov 2026 12:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(undefined, now)).toBeNull();
  });
});
