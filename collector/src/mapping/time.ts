/** OTLP nanosecond timestamps (decimal strings) to what the records hold. */

const NANOS_PER_MS = 1_000_000n;

/** ISO 8601 UTC with millisecond precision. */
export function nanosToIso(nanos: string): string {
  return new Date(Number(BigInt(nanos) / NANOS_PER_MS)).toISOString();
}

export function msToNanos(ms: number): string {
  return (BigInt(Math.trunc(ms)) * NANOS_PER_MS).toString();
}

/** Fractional milliseconds between two timestamps; never negative (clock skew gives 0). */
export function durationMs(startNanos: string, endNanos: string): number {
  const diff = BigInt(endNanos) - BigInt(startNanos);
  return diff > 0n ? Number(diff) / 1e6 : 0;
}

/** The first non-zero timestamp, else the receive time. */
export function firstKnownTime(receivedAtNanos: string, ...candidates: string[]): string {
  return candidates.find((c) => c !== '0') ?? receivedAtNanos;
}
