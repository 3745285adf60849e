/**
 * Retry timing for forwarding (DESIGN §9): the shared exponential backoff
 * with jitter from conventions, with the answer's `Retry-After` as a floor,
 * never shortened.
 */
import { backoffDelay } from '@tooltrace/conventions';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000 };

/**
 * The wait before retry number `attempt` (1 for the first retry): a random
 * point in [base/2, base] where base doubles per attempt up to `maxMs`, so
 * many senders do not retry in step; at least `retryAfterMs` when the
 * receiver asked for it.
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | null,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const jittered = backoffDelay(attempt, { baseMs: options.initialMs, maxMs: options.maxMs, jitter: 0.5, random });
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** `Retry-After` in ms: delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}
