/**
 * The waiting half of a retry: sleeps `backoffDelay` (conventions, the one
 * delay rule) before retry number n. Every retry loop of the store waits
 * through this; tests pass a `sleep` that records instead of waiting.
 */
import { type BackoffOptions, backoffDelay } from '@tooltrace/conventions';

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function backoffSleeper(options: BackoffOptions, sleep: Sleep = realSleep): (retry: number) => Promise<void> {
  return (retry) => sleep(backoffDelay(retry, options));
}
