/**
 * A bound on the bytes of request bodies held at once, across all requests
 * (DESIGN §10). Each request holds a reservation that grows as its body
 * arrives (from Content-Length up front, else chunk by chunk, and by its size
 * once inflated); a reservation that would pass the bound is refused, so the
 * caller answers 429 instead of buffering. One request alone is always let
 * through, so a bound below the body limit still makes progress.
 */

export interface InflightReservation {
  /** Grows this reservation to `bytes` (never shrinks it); false when that would pass the bound. */
  hold(bytes: number): boolean;
  /** Gives the bytes back; later calls do nothing. */
  release(): void;
}

export interface InflightBytesStats {
  bytes: number;
  /** The most held at once since start (the bound is kept when this stays ≤ maxBytes, one lone request aside). */
  peakBytes: number;
  maxBytes: number;
  requests: number;
}

export interface InflightBytes {
  /** A reservation of `bytes`, or null when it does not fit beside the others. */
  reserve(bytes: number): InflightReservation | null;
  stats(): InflightBytesStats;
}

export const DEFAULT_MAX_INFLIGHT_BYTES = 256 * 1024 * 1024;

export function createInflightBytes(maxBytes: number = DEFAULT_MAX_INFLIGHT_BYTES): InflightBytes {
  let total = 0;
  let peak = 0;
  let requests = 0;
  const add = (bytes: number) => {
    total += bytes;
    peak = Math.max(peak, total);
  };

  const fits = (held: number, wanted: number) => total - held + wanted <= maxBytes || total === held;

  return {
    reserve(bytes) {
      if (!fits(0, bytes)) return null;
      let held = bytes;
      let released = false;
      add(bytes);
      requests += 1;
      return {
        hold(wanted) {
          if (released || wanted <= held) return !released;
          if (!fits(held, wanted)) return false;
          add(wanted - held);
          held = wanted;
          return true;
        },
        release() {
          if (released) return;
          released = true;
          total -= held;
          requests -= 1;
        },
      };
    },
    stats: () => ({ bytes: total, peakBytes: peak, maxBytes, requests }),
  };
}
