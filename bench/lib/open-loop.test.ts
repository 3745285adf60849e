import { describe, expect, it } from 'vitest';
import {
  afterConnectionError,
  backoffMs,
  batchesInWindow,
  bodiesPerSecond,
  dueAtMs,
  dueBy,
  nextStep,
  OFFICIAL_EXPORTER_RETRY,
  retryAfterMs,
} from './open-loop.ts';

describe('open-loop schedule', () => {
  it('turns spans/s into bodies/s and rejects a rate or size that is not positive', () => {
    expect(bodiesPerSecond(46_000, 500)).toBe(92);
    expect(() => bodiesPerSecond(0, 500)).toThrow(/positive rate/);
    expect(() => bodiesPerSecond(Number.NaN, 500)).toThrow(/positive rate/);
    expect(() => bodiesPerSecond(1000, 0)).toThrow(/body size/);
  });

  it('spaces batches evenly from 0 and counts those due at any moment, whatever happened before', () => {
    const perSecond = 40; // one every 25 ms
    expect([0, 1, 2, 40].map((i) => dueAtMs(i, perSecond))).toEqual([0, 25, 50, 1000]);
    expect(dueBy(-1, perSecond)).toBe(0);
    expect(dueBy(0, perSecond)).toBe(1);
    expect(dueBy(24.9, perSecond)).toBe(1);
    expect(dueBy(25, perSecond)).toBe(2);
    // A tick that comes 300 ms late finds every batch of those 300 ms due at once (an open loop catches up).
    expect(dueBy(1300, perSecond)).toBe(53);
    for (let i = 0; i < 200; i++) {
      expect(dueBy(dueAtMs(i, 7.3), 7.3)).toBe(i + 1);
    }
  });

  it('holds in a window exactly the batches due before it ends', () => {
    expect(batchesInWindow(1000, 40)).toBe(40); // 0, 25, …, 975 ms
    expect(batchesInWindow(1001, 40)).toBe(41);
    expect(batchesInWindow(30_000, 92)).toBe(2760);
    expect(dueAtMs(batchesInWindow(30_000, 92.5) - 1, 92.5)).toBeLessThan(30_000);
    expect(dueAtMs(batchesInWindow(30_000, 92.5), 92.5)).toBeGreaterThanOrEqual(30_000);
    for (let i = 1; i < 200; i++) {
      expect(batchesInWindow(dueAtMs(i, 7.3), 7.3)).toBe(i);
    }
  });
});

describe('retries as the official exporter makes them', () => {
  const refused = { status: 429, retryAfter: '1', retries: 0, elapsedMs: 40 };
  const noJitter = () => 0.5;

  it('reads Retry-After as integer seconds or an HTTP date, and nothing else', () => {
    expect(retryAfterMs('1')).toBe(1000);
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('0')).toBe(0);
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs('')).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
    const now = Date.UTC(2026, 11, 1, 0, 0, 0);
    expect(retryAfterMs('Tue, 01 Dec 2026 00:00:02 GMT', now)).toBe(2000);
    expect(retryAfterMs('Tue, 01 Dec 2026 00:00:00 GMT', now + 5000)).toBe(0);
  });

  it('accepts any 2xx and calls other statuses than the four retryable ones unexpected', () => {
    expect(nextStep({ ...refused, status: 200 })).toEqual({ kind: 'accepted' });
    expect(nextStep({ ...refused, status: 204 })).toEqual({ kind: 'accepted' });
    expect(nextStep({ ...refused, status: 400 })).toEqual({ kind: 'unexpected', status: 400 });
    expect(nextStep({ ...refused, status: 500 })).toEqual({ kind: 'unexpected', status: 500 });
  });

  it("retries the batch after the server's delay, for 429 and 503 alike", () => {
    expect(nextStep(refused)).toEqual({ kind: 'retry', inMs: 1000, retryAfterPresent: true });
    expect(nextStep({ ...refused, status: 503, retryAfter: '5' })).toEqual({
      kind: 'retry',
      inMs: 5000,
      retryAfterPresent: true,
    });
  });

  it('backs off on its own (1 s, ×1.5, at most 5 s, ±20 %) when the server names no delay', () => {
    const policy = OFFICIAL_EXPORTER_RETRY;
    expect([0, 1, 2, 3, 4].map((r) => backoffMs(r, policy, noJitter))).toEqual([1000, 1500, 2250, 3375, 5000]);
    expect(backoffMs(0, policy, () => 0)).toBeCloseTo(800);
    expect(backoffMs(0, policy, () => 0.999_999)).toBeCloseTo(1200);
    expect(nextStep({ ...refused, retryAfter: undefined, retries: 1 }, policy, noJitter)).toEqual({
      kind: 'retry',
      inMs: 1500,
      retryAfterPresent: false,
    });
  });

  it('gives up after 5 retries, or when the retry would start after the 10 s deadline', () => {
    expect(nextStep({ ...refused, retries: 4 }).kind).toBe('retry');
    expect(nextStep({ ...refused, retries: 5 })).toEqual({
      kind: 'give-up',
      reason: 'retries',
      retryAfterPresent: true,
    });
    expect(nextStep({ ...refused, elapsedMs: 9000 }).kind).toBe('retry');
    expect(nextStep({ ...refused, elapsedMs: 9001 })).toEqual({
      kind: 'give-up',
      reason: 'deadline',
      retryAfterPresent: true,
    });
  });

  it('retries after a connection error on its own backoff, within the same retry count and deadline', () => {
    expect(afterConnectionError({ retries: 0, elapsedMs: 5 }, OFFICIAL_EXPORTER_RETRY, noJitter)).toEqual({
      kind: 'retry',
      inMs: 1000,
    });
    expect(afterConnectionError({ retries: 2, elapsedMs: 5 }, OFFICIAL_EXPORTER_RETRY, noJitter)).toEqual({
      kind: 'retry',
      inMs: 2250,
    });
    expect(afterConnectionError({ retries: 5, elapsedMs: 5 }).kind).toBe('give-up');
    expect(afterConnectionError({ retries: 1, elapsedMs: 8600 }, OFFICIAL_EXPORTER_RETRY, noJitter).kind).toBe(
      'give-up',
    );
  });
});
