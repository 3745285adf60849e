/**
 * Whether a request may come in, decided before its body is read (DESIGN
 * §10): not while the store is known to be unavailable (503), not while the
 * write queue is full, and not when its body would pass the bound on bytes in
 * flight (429). Every refusal carries its Retry-After and is counted by reason
 * for /health. Any receiver (OTLP/HTTP, OTLP/gRPC) asks the same admission.
 * An overload's Retry-After grows while refusals outnumber admissions
 * (./refusal-backoff.ts); a 503's stays what the write queue says.
 */
import { createInflightBytes, type InflightBytesStats, type InflightReservation } from './inflight-bytes.ts';
import { createRefusalBackoff } from './refusal-backoff.ts';
import type { WriteQueue } from './write-queue.ts';

export type RefusalReason = 'storeUnavailable' | 'writeQueueFull' | 'inflightBytes';

export interface Refusal {
  /** `overloaded` → 429 (OTLP RESOURCE_EXHAUSTED); `unavailable` → 503 (UNAVAILABLE). */
  kind: 'overloaded' | 'unavailable';
  reason: RefusalReason;
  retryAfterSeconds: number;
  message: string;
}

export type AdmissionResult = { kind: 'admitted'; reservation: InflightReservation } | Refusal;

export interface AdmissionStats {
  inflight: InflightBytesStats;
  refused: Record<RefusalReason, number>;
  /** The Retry-After the newest overload refusal carried (it grows while refusals go on); null before any. */
  lastOverloadRetryAfterSeconds: number | null;
}

export interface Admission {
  /** `declaredBytes`: the body's Content-Length, or 0 when it is not known before reading. */
  admit(declaredBytes: number): AdmissionResult;
  /** The refusal for a body that outgrew the bound while it streamed (counted like the others). */
  refuseGrowth(): Refusal;
  stats(): AdmissionStats;
}

export interface AdmissionOptions {
  /** Bytes of request bodies held at once, across requests. Default 256 MiB. */
  maxInflightBytes?: number;
  /** What to tell clients refused for bytes in flight while refusals are occasional. Default 1 second. */
  retryAfterSeconds?: number;
  /** The most an overload's Retry-After grows to while refusals go on. Default 8 seconds. */
  maxRetryAfterSeconds?: number;
  now?: () => number;
}

export function createAdmission(writeQueue: Pick<WriteQueue, 'state'>, options: AdmissionOptions = {}): Admission {
  const inflight = createInflightBytes(options.maxInflightBytes);
  const retryAfterSeconds = options.retryAfterSeconds ?? 1;
  const backoff = createRefusalBackoff({
    ...(options.maxRetryAfterSeconds !== undefined ? { maxSeconds: options.maxRetryAfterSeconds } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const refused: Record<RefusalReason, number> = { storeUnavailable: 0, writeQueueFull: 0, inflightBytes: 0 };

  let lastOverloadRetryAfterSeconds: number | null = null;
  const refuse = (refusal: Refusal): Refusal => {
    refused[refusal.reason] += 1;
    if (refusal.kind === 'overloaded') lastOverloadRetryAfterSeconds = refusal.retryAfterSeconds;
    return refusal;
  };
  const overBytes = (): Refusal =>
    refuse({
      kind: 'overloaded',
      reason: 'inflightBytes',
      retryAfterSeconds: backoff.refused(retryAfterSeconds),
      message: `the collector holds ${inflight.stats().maxBytes} bytes of request bodies already; retry later`,
    });

  return {
    admit(declaredBytes) {
      // Requests admitted before and not yet answered: on their way to the write queue or in it.
      const state = writeQueue.state(inflight.stats().requests);
      if (state.kind === 'store_unavailable') {
        return refuse({
          kind: 'unavailable',
          reason: 'storeUnavailable',
          retryAfterSeconds: state.retryAfterSeconds,
          message: `the store is unavailable: ${state.message}`,
        });
      }
      if (state.kind === 'full') {
        return refuse({
          kind: 'overloaded',
          reason: 'writeQueueFull',
          retryAfterSeconds: backoff.refused(state.retryAfterSeconds),
          message: 'the collector is busy writing earlier batches; retry later',
        });
      }
      const reservation = inflight.reserve(declaredBytes);
      if (!reservation) return overBytes();
      backoff.admitted();
      return { kind: 'admitted', reservation };
    },
    refuseGrowth: overBytes,
    stats: () => ({ inflight: inflight.stats(), refused: { ...refused }, lastOverloadRetryAfterSeconds }),
  };
}
