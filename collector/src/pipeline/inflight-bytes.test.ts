import { describe, expect, it } from 'vitest';
import { createInflightBytes } from './inflight-bytes.ts';

describe('createInflightBytes', () => {
  it('when reservations fit beside each other, then they are granted and counted until released', () => {
    const inflight = createInflightBytes(100);
    const a = inflight.reserve(60)!;
    expect(inflight.reserve(50)).toBeNull();
    const b = inflight.reserve(40)!;
    expect(inflight.stats()).toEqual({ bytes: 100, peakBytes: 100, maxBytes: 100, requests: 2 });
    a.release();
    a.release();
    expect(inflight.stats()).toMatchObject({ bytes: 40, requests: 1 });
    b.release();
    expect(inflight.stats()).toMatchObject({ bytes: 0, peakBytes: 100, requests: 0 });
  });

  it('when a reservation grows past the bound beside others, then the growth is refused and nothing changes', () => {
    const inflight = createInflightBytes(100);
    const a = inflight.reserve(10)!;
    const b = inflight.reserve(10)!;
    expect(a.hold(80)).toBe(true);
    expect(a.hold(50)).toBe(true);
    expect(b.hold(30)).toBe(false);
    expect(inflight.stats().bytes).toBe(90);
  });

  it('when one request is alone, then it may pass the bound (progress), and a second one is refused meanwhile', () => {
    const inflight = createInflightBytes(100);
    const lone = inflight.reserve(500)!;
    expect(lone.hold(1000)).toBe(true);
    expect(inflight.reserve(0)).toBeNull();
    lone.release();
    expect(inflight.reserve(0)).not.toBeNull();
  });

  it('when a reservation was released, then it holds nothing more', () => {
    const inflight = createInflightBytes(100);
    const a = inflight.reserve(10)!;
    a.release();
    expect(a.hold(20)).toBe(false);
    expect(inflight.stats().bytes).toBe(0);
  });
});
