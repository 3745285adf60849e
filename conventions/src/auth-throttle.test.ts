import { describe, expect, it } from 'vitest';
import { AuthThrottle } from './auth-throttle.ts';

describe('failed-authentication throttle', () => {
  it('when an address fails more than the limit within the window, then it is throttled until the window ends', () => {
    let now = 1_000_000;
    const throttle = new AuthThrottle({ limit: 3, windowMs: 10_000 }, () => now);
    for (let i = 0; i < 3; i += 1) expect(throttle.fail('1.2.3.4')).toEqual({ throttled: false });
    expect(throttle.fail('1.2.3.4')).toEqual({ throttled: true, retryAfterSeconds: 10 });
    now += 4_500;
    expect(throttle.fail('1.2.3.4')).toEqual({ throttled: true, retryAfterSeconds: 6 });
    expect(throttle.fail('5.6.7.8')).toEqual({ throttled: false });
    now += 5_500;
    expect(throttle.fail('1.2.3.4')).toEqual({ throttled: false });
  });

  it('when more addresses fail than it tracks, then the oldest are forgotten', () => {
    const throttle = new AuthThrottle({ limit: 1, windowMs: 60_000, maxAddresses: 2 }, () => 0);
    throttle.fail('a');
    throttle.fail('b');
    throttle.fail('c');
    expect(throttle.fail('a')).toEqual({ throttled: false });
    expect(throttle.fail('c')).toEqual({ throttled: true, retryAfterSeconds: 60 });
  });
});
