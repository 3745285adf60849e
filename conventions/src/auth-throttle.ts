/**
 * Failed authentications per client address (DESIGN §5), shared by the
 * collector and the query API. Each address may fail `limit` times per
 * window; past that its failures are answered 429 with Retry-After instead of
 * 401 until the window ends. Only failures count: a valid key from the same
 * address keeps working (up to its own rate limit), which is why the key is
 * still checked while an address is throttled. Guessing stays futile because
 * keys carry 256 random bits; the throttle caps the load and the noise.
 * In memory, per process, with a bounded number of addresses tracked.
 */

export interface AuthThrottleOptions {
  /** Failures allowed per address per window. */
  limit: number;
  windowMs: number;
  /** Addresses tracked at once; the oldest windows are dropped past it. */
  maxAddresses?: number;
}

export const DEFAULT_AUTH_THROTTLE: AuthThrottleOptions = { limit: 30, windowMs: 60_000, maxAddresses: 100_000 };

export type FailureVerdict = { throttled: false } | { throttled: true; retryAfterSeconds: number };

export class AuthThrottle {
  private readonly windows = new Map<string, { startedAt: number; failures: number }>();

  constructor(
    private readonly options: AuthThrottleOptions = DEFAULT_AUTH_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a failed authentication from `address`; says whether to answer 429 instead of 401. */
  fail(address: string): FailureVerdict {
    const now = this.now();
    let window = this.windows.get(address);
    if (!window || now - window.startedAt >= this.options.windowMs) {
      this.windows.delete(address);
      window = { startedAt: now, failures: 0 };
      this.windows.set(address, window);
      this.evictOverflow();
    }
    window.failures += 1;
    if (window.failures <= this.options.limit) return { throttled: false };
    const retryAfterSeconds = Math.max(1, Math.ceil((window.startedAt + this.options.windowMs - now) / 1000));
    return { throttled: true, retryAfterSeconds };
  }

  private evictOverflow(): void {
    const max = this.options.maxAddresses ?? DEFAULT_AUTH_THROTTLE.maxAddresses ?? 100_000;
    while (this.windows.size > max) {
      const oldest = this.windows.keys().next().value;
      if (oldest === undefined) return;
      this.windows.delete(oldest);
    }
  }
}

/** The message of a throttled answer, the same on both servers. */
export function throttledMessage(retryAfterSeconds: number): string {
  return `too many failed authentications from this address; retry after ${retryAfterSeconds} s (Retry-After)`;
}
