/**
 * The one retry-delay rule of tooltrace (issue 17): exponential from `baseMs`,
 * capped at `maxMs`, with "equal jitter" — half the delay fixed, half random —
 * so retries of many clients spread out but never collapse to zero. Pure: the
 * caller passes the random source in tests and does the waiting itself.
 */
export interface BackoffOptions {
  /** Delay before the first retry (attempt 1), before jitter. */
  baseMs: number;
  /** No delay exceeds this, jitter included. */
  maxMs: number;
  /** Fraction of the delay that is random, 0 (none) to 1; default 0.5. */
  jitter?: number;
  /** Source of randomness in [0, 1); default Math.random. */
  random?: () => number;
}

/** The wait before retry number `attempt` (1 for the first retry). */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`backoffDelay: attempt must be an integer ≥ 1, got ${attempt}`);
  }
  const { baseMs, maxMs } = options;
  if (!(baseMs >= 0) || !(maxMs >= baseMs)) {
    throw new RangeError(`backoffDelay: need 0 ≤ baseMs ≤ maxMs, got baseMs ${baseMs}, maxMs ${maxMs}`);
  }
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  // 2 ** 52 is past any cap; clamping the exponent keeps the arithmetic finite.
  const full = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 52));
  const random = (options.random ?? Math.random)();
  return Math.round(full * (1 - jitter) + full * jitter * random);
}
