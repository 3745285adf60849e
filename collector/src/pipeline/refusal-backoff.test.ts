import { describe, expect, it } from 'vitest';
import { createRefusalBackoff } from './refusal-backoff.ts';

function clockAt(ms: number) {
  const clock = { ms, now: () => clock.ms };
  return clock;
}

describe('createRefusalBackoff', () => {
  it('when refusals outnumber admissions second after second, then Retry-After doubles up to the cap', () => {
    const clock = clockAt(10_000);
    const backoff = createRefusalBackoff({ maxSeconds: 8, now: clock.now });
    const seen: number[] = [];
    for (let second = 0; second < 6; second++) {
      clock.ms = 10_000 + second * 1000;
      backoff.admitted();
      backoff.refused(1);
      seen.push(backoff.refused(1));
    }
    expect(seen).toEqual([1, 2, 4, 8, 8, 8]);
  });

  it('when a second admits as many as it refuses, then the next refusal hears the base again', () => {
    const clock = clockAt(0);
    const backoff = createRefusalBackoff({ now: clock.now });
    backoff.refused(1);
    clock.ms = 1000;
    expect(backoff.refused(1)).toBe(2);
    backoff.admitted();
    backoff.admitted();
    clock.ms = 2000;
    expect(backoff.refused(1)).toBe(1);
  });

  it('when a second passes with no traffic at all, then the run of refusing seconds is over', () => {
    const clock = clockAt(0);
    const backoff = createRefusalBackoff({ now: clock.now });
    backoff.refused(1);
    clock.ms = 1500;
    expect(backoff.refused(1)).toBe(2);
    clock.ms = 3200;
    expect(backoff.refused(1)).toBe(1);
  });

  it('when the base is larger (a slow store), then it grows from there and never falls under it', () => {
    const clock = clockAt(0);
    const backoff = createRefusalBackoff({ maxSeconds: 2, now: clock.now });
    backoff.refused(3);
    clock.ms = 1000;
    expect(backoff.refused(3)).toBe(3);
    const doubling = createRefusalBackoff({ maxSeconds: 100, now: clock.now });
    doubling.refused(3);
    clock.ms = 2000;
    expect(doubling.refused(3)).toBe(6);
  });
});
