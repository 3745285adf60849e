/**
 * The Retry-After of an overload refusal, doubled for every whole second in
 * a row that the collector refused more requests than it admitted, up to a
 * cap; back to the base after the first second that admitted more.
 *
 * Why it grows: under sustained overload most of what senders offer cannot
 * be written however they time their retries, and every refused attempt
 * still costs a request (headers, a body on the wire, an answer) on the same
 * cores as the writer. The official exporters give up on a batch once its
 * next retry would fall past their deadline (10 s in OpenTelemetry JS), so a
 * longer wait means fewer futile attempts, not more data lost than the writer
 * could have taken. A short overload (a burst) still hears the base delay.
 */

export interface RefusalBackoffOptions {
  /** The most it grows to. Default 8 seconds: under the exporters' 10 s deadline, so one retry is still made. */
  maxSeconds?: number;
  now?: () => number;
}

export interface RefusalBackoff {
  admitted(): void;
  /** Counts a refusal and says its Retry-After: `baseSeconds` (what it is while refusals are occasional), grown. */
  refused(baseSeconds: number): number;
}

export const DEFAULT_MAX_RETRY_AFTER_SECONDS = 8;

export function createRefusalBackoff(options: RefusalBackoffOptions = {}): RefusalBackoff {
  const maxSeconds = options.maxSeconds ?? DEFAULT_MAX_RETRY_AFTER_SECONDS;
  const now = options.now ?? Date.now;
  let second = Math.floor(now() / 1000);
  let admitted = 0;
  let refused = 0;
  /** Whole seconds in a row, up to the current one, that refused more than they admitted. */
  let saturatedSeconds = 0;

  const roll = () => {
    const current = Math.floor(now() / 1000);
    if (current === second) return;
    const saturated = refused > admitted;
    // A second with no traffic at all in between breaks the run.
    saturatedSeconds = saturated && current === second + 1 ? saturatedSeconds + 1 : 0;
    second = current;
    admitted = 0;
    refused = 0;
  };

  return {
    admitted() {
      roll();
      admitted += 1;
    },
    refused(baseSeconds) {
      roll();
      refused += 1;
      return Math.max(baseSeconds, Math.min(maxSeconds, baseSeconds * 2 ** Math.min(saturatedSeconds, 30)));
    },
  };
}
