/**
 * OTLP nanosecond timestamps (canonical decimal strings: digits only, no
 * leading zeros, as the decoders produce them) to what the records hold.
 * Every span needs epoch ms and a duration, so these avoid BigInt: a
 * timestamp's milliseconds are its digits without the last six, which a
 * double holds exactly (fixed64 nanoseconds are at most 1.8·10^13 ms).
 */

const NANOS_PER_MS = 1_000_000n;
/** Below this many whole milliseconds of difference, nanosecond arithmetic in doubles stays exact (< 2^53). */
const EXACT_DIFF_MS = 9_000_000_000;

/** Whole epoch milliseconds of a nanosecond timestamp (the digits without the last six). */
export function nanosToMs(nanos: string): number {
  return nanos.length > 6 ? Number(nanos.slice(0, -6)) : 0;
}

/** Nanoseconds past the whole millisecond (the last six digits): what ordering within a millisecond needs. */
export function subMsNanos(nanos: string): number {
  return Number(nanos.length > 6 ? nanos.slice(-6) : nanos);
}

/**
 * ISO 8601 UTC with millisecond precision, for messages only (records carry epoch ms). Pure: no state kept
 * between calls (a per-second prefix cache once lived here; it bought nothing measurable, bench/README.md).
 */
export function nanosToIso(nanos: string): string {
  return new Date(nanosToMs(nanos)).toISOString();
}

export function msToNanos(ms: number): string {
  return (BigInt(Math.trunc(ms)) * NANOS_PER_MS).toString();
}

/**
 * Fractional milliseconds between two timestamps, as sent: negative when the
 * end precedes the start (clock skew), which the trace view then flags.
 */
export function durationMs(startNanos: string, endNanos: string): number {
  const diffMs = nanosToMs(endNanos) - nanosToMs(startNanos);
  if (Math.abs(diffMs) < EXACT_DIFF_MS) {
    return (diffMs * 1e6 + (subMsNanos(endNanos) - subMsNanos(startNanos))) / 1e6;
  }
  return Number(BigInt(endNanos) - BigInt(startNanos)) / 1e6;
}

/** The first non-zero timestamp, else the receive time. */
export function firstKnownTime(receivedAtNanos: string, ...candidates: string[]): string {
  return candidates.find((c) => c !== '0') ?? receivedAtNanos;
}
