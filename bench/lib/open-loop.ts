/**
 * The pure part of the overload phase's open-loop generator: when each batch
 * is due, and what a client does with an answer. Batches start on a fixed
 * schedule whatever the answers (an open loop: offered load is offered, not
 * throttled by the server's latency), and refused batches are retried as the
 * official OpenTelemetry JS exporters do (`@opentelemetry/otlp-exporter-base`
 * 0.223, `retrying-transport.ts`): after the server's `Retry-After` when it
 * sends one, otherwise after an exponential backoff with jitter (so too
 * after a connection error); at most 5 retries, and none that would start
 * after the export's 10 s deadline.
 */

/** Batches (request bodies) per second that carry `spansPerSecond` in bodies of `spansPerBody`. */
export function bodiesPerSecond(spansPerSecond: number, spansPerBody: number): number {
  if (!(spansPerSecond > 0) || !(spansPerBody > 0)) {
    throw new Error(
      `an open loop needs a positive rate and body size (got ${spansPerSecond} spans/s, ${spansPerBody})`,
    );
  }
  return spansPerSecond / spansPerBody;
}

/** When batch `index` (0-based) is due, in ms from the start, at `perSecond` batches a second. */
export function dueAtMs(index: number, perSecond: number): number {
  return (index * 1000) / perSecond;
}

/** How many batches are due by `elapsedMs` (the first is due at 0): exactly those with `dueAtMs(i) <= elapsedMs`. */
export function dueBy(elapsedMs: number, perSecond: number): number {
  if (elapsedMs < 0) return 0;
  let count = Math.floor((elapsedMs * perSecond) / 1000) + 1;
  // The division and the product round differently: settle the edge on dueAtMs itself, so a timer set for a
  // batch's due time always finds it due.
  while (dueAtMs(count, perSecond) <= elapsedMs) count += 1;
  while (count > 0 && dueAtMs(count - 1, perSecond) > elapsedMs) count -= 1;
  return count;
}

/** How many batches a window of `windowMs` holds (those due before it ends). */
export function batchesInWindow(windowMs: number, perSecond: number): number {
  let count = Math.max(0, Math.ceil((windowMs * perSecond) / 1000));
  while (dueAtMs(count, perSecond) < windowMs) count += 1;
  while (count > 0 && dueAtMs(count - 1, perSecond) >= windowMs) count -= 1;
  return count;
}

export interface RetryPolicy {
  /** Retries after the first attempt; the official exporter makes 5. */
  maxRetries: number;
  /** The export's deadline from its first attempt; no retry starts after it. Official default 10 000 ms. */
  deadlineMs: number;
  /** Backoff when the server names no delay: first, growth factor, cap, ± jitter share. */
  initialBackoffMs: number;
  backoffMultiplier: number;
  maxBackoffMs: number;
  jitter: number;
}

/** The official JS exporters' constants (MAX_ATTEMPTS, INITIAL_BACKOFF, …, and `timeoutMillis` 10 000). */
export const OFFICIAL_EXPORTER_RETRY: RetryPolicy = {
  maxRetries: 5,
  deadlineMs: 10_000,
  initialBackoffMs: 1000,
  backoffMultiplier: 1.5,
  maxBackoffMs: 5000,
  jitter: 0.2,
};

/**
 * `Retry-After` in ms as the official exporter reads it: integer seconds (0 or less → at once), or an HTTP date;
 * undefined when absent or unreadable (then the client backs off on its own).
 */
export function retryAfterMs(header: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const seconds = Number.parseInt(header, 10);
  if (Number.isInteger(seconds)) return seconds > 0 ? seconds * 1000 : 0;
  const at = new Date(header).getTime();
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

export type NextStep =
  | { kind: 'accepted' }
  /** Send the same batch again after `inMs`; `retryAfterPresent` says whether the server named the delay. */
  | { kind: 'retry'; inMs: number; retryAfterPresent: boolean }
  /** Refused, and the exporter stops: `retries` used up, or the delay would pass the deadline. */
  | { kind: 'give-up'; reason: 'retries' | 'deadline'; retryAfterPresent: boolean }
  | { kind: 'unexpected'; status: number };

export interface AnswerFacts {
  status: number;
  retryAfter: string | undefined;
  /** Retries this batch has had so far (0 after its first attempt). */
  retries: number;
  /** Time since the batch's first attempt started. */
  elapsedMs: number;
}

/** What an exporter does after an answer. `random` ∈ [0, 1) feeds the backoff's jitter. */
export function nextStep(
  answer: AnswerFacts,
  policy: RetryPolicy = OFFICIAL_EXPORTER_RETRY,
  random: () => number = Math.random,
): NextStep {
  if (answer.status >= 200 && answer.status <= 299) return { kind: 'accepted' };
  // The official exporters retry these four; the collector refuses with 429 (overloaded) or 503 (store down).
  if (![429, 502, 503, 504].includes(answer.status)) return { kind: 'unexpected', status: answer.status };
  const named = retryAfterMs(answer.retryAfter);
  const retryAfterPresent = named !== undefined;
  if (answer.retries >= policy.maxRetries) return { kind: 'give-up', reason: 'retries', retryAfterPresent };
  const inMs = named ?? backoffMs(answer.retries, policy, random);
  if (inMs > policy.deadlineMs - answer.elapsedMs) return { kind: 'give-up', reason: 'deadline', retryAfterPresent };
  return { kind: 'retry', inMs, retryAfterPresent };
}

/**
 * After a connection error (reset, refused) the official exporter retries too, after its own backoff, within
 * the same retry count and deadline.
 */
export function afterConnectionError(
  facts: Pick<AnswerFacts, 'retries' | 'elapsedMs'>,
  policy: RetryPolicy = OFFICIAL_EXPORTER_RETRY,
  random: () => number = Math.random,
): { kind: 'retry'; inMs: number } | { kind: 'give-up' } {
  if (facts.retries >= policy.maxRetries) return { kind: 'give-up' };
  const inMs = backoffMs(facts.retries, policy, random);
  return inMs > policy.deadlineMs - facts.elapsedMs ? { kind: 'give-up' } : { kind: 'retry', inMs };
}

/** The exporter's own delay before retry number `retries + 1` when the server names none. */
export function backoffMs(retries: number, policy: RetryPolicy, random: () => number): number {
  const base = policy.initialBackoffMs * policy.backoffMultiplier ** retries;
  const jitter = random() * 2 * policy.jitter - policy.jitter;
  return Math.max(0, Math.min(base * (1 + jitter), policy.maxBackoffMs));
}
