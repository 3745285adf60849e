/**
 * A Forwarder that sends accepted batches on to extra OTLP/HTTP receivers
 * (per project), unchanged. Sends go through a bounded queue: when it is full
 * the new send is dropped and counted, never buffered without limit.
 * Retryable answers (network errors, 429, 502, 503, 504) are retried with
 * exponential backoff (honouring Retry-After, capped); other answers fail the
 * send for good. Forwarding is best effort and never affects ingestion.
 */
import type { Signal } from '../otlp/types.ts';
import type { ForwardBatch, Forwarder } from './stages.ts';

export interface OtlpHttpDestination {
  /** Base URL of an OTLP/HTTP receiver, e.g. `http://otel-collector:4318`; `/v1/traces` or `/v1/logs` is appended. */
  endpoint: string;
  headers?: Record<string, string>;
}

export interface OtlpHttpForwarderOptions {
  /** The destinations of a project's batches; none means the project is not forwarded. */
  destinations(projectId: string): readonly OtlpHttpDestination[];
  /** Sends waiting (including those waiting for a retry). Default 1000. */
  maxQueueSize?: number;
  /** Sends in flight at once. Default 4. */
  concurrency?: number;
  /** Tries per send, the first included. Default 5. */
  maxAttempts?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Per request. Default 10 s. */
  timeoutMs?: number;
  /** How long `shutdown` keeps sending what is queued before dropping it. Default 5 s. */
  shutdownTimeoutMs?: number;
  /** Told about every send that gave up or was dropped. */
  onGiveUp?: (reason: string) => void;
}

export interface ForwarderStats {
  queued: number;
  inFlight: number;
  sent: number;
  /** Sends that got a non-retryable answer or ran out of attempts. */
  failed: number;
  /** Sends dropped because the queue was full or the forwarder shut down. */
  dropped: number;
}

export interface OtlpHttpForwarder extends Forwarder {
  stats(): ForwarderStats;
}

interface Send {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  contentType: string;
  attempt: number;
}

type SendResult =
  | { kind: 'sent' }
  | { kind: 'retry'; afterMs: number | null; reason: string }
  | { kind: 'fail'; reason: string };

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

function signalUrl(endpoint: string, signal: Signal): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/${signal}`;
}

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

export function createOtlpHttpForwarder(options: OtlpHttpForwarderOptions): OtlpHttpForwarder {
  const maxQueueSize = options.maxQueueSize ?? 1000;
  const concurrency = options.concurrency ?? 4;
  const maxAttempts = options.maxAttempts ?? 5;
  const initialBackoffMs = options.initialBackoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 5_000;

  const ready: Send[] = [];
  const backingOff = new Map<NodeJS.Timeout, Send>();
  const inFlightControllers = new Set<AbortController>();
  const stats = { sent: 0, failed: 0, dropped: 0 };
  let inFlight = 0;
  let stopped = false;
  let onSettled: (() => void) | null = null;

  const queued = () => ready.length + backingOff.size;
  const giveUp = (reason: string) => options.onGiveUp?.(reason);

  async function attempt(send: Send): Promise<SendResult> {
    const controller = new AbortController();
    inFlightControllers.add(controller);
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    try {
      const response = await fetch(send.url, {
        method: 'POST',
        headers: { ...send.headers, 'content-type': send.contentType },
        body: send.body,
        signal: controller.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { kind: 'sent' };
      const reason = `${send.url} answered ${response.status}`;
      if (RETRYABLE_STATUS.has(response.status)) {
        return { kind: 'retry', afterMs: retryAfterMs(response.headers.get('retry-after')), reason };
      }
      return { kind: 'fail', reason };
    } catch (error) {
      return { kind: 'retry', afterMs: null, reason: `${send.url}: ${(error as Error).message}` };
    } finally {
      clearTimeout(timer);
      inFlightControllers.delete(controller);
    }
  }

  function pump(): void {
    while (inFlight < concurrency && ready.length > 0) {
      const send = ready.shift()!;
      inFlight += 1;
      void attempt(send).then((result) => {
        inFlight -= 1;
        settle(send, result);
        pump();
        if (onSettled && queued() === 0 && inFlight === 0) onSettled();
      });
    }
  }

  function settle(send: Send, result: SendResult): void {
    if (result.kind === 'sent') {
      stats.sent += 1;
      return;
    }
    if (result.kind === 'fail' || send.attempt >= maxAttempts || stopped) {
      stats.failed += 1;
      giveUp(`gave up after ${send.attempt} attempt(s): ${result.reason}`);
      return;
    }
    const backoff = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (send.attempt - 1));
    const jittered = backoff / 2 + Math.random() * (backoff / 2);
    const delay = Math.min(maxBackoffMs, result.afterMs ?? jittered);
    const next = { ...send, attempt: send.attempt + 1 };
    const timer = setTimeout(() => {
      backingOff.delete(timer);
      ready.push(next);
      pump();
    }, delay);
    backingOff.set(timer, next);
  }

  return {
    forward(batch: ForwardBatch): void {
      if (stopped) {
        stats.dropped += 1;
        return;
      }
      let destinations: readonly OtlpHttpDestination[];
      try {
        destinations = options.destinations(batch.projectId);
      } catch (error) {
        giveUp(`cannot resolve destinations of project ${batch.projectId}: ${(error as Error).message}`);
        return;
      }
      for (const destination of destinations) {
        if (queued() >= maxQueueSize) {
          stats.dropped += 1;
          giveUp(`queue full (${maxQueueSize}): dropped a ${batch.signal} batch for ${destination.endpoint}`);
          continue;
        }
        ready.push({
          url: signalUrl(destination.endpoint, batch.signal),
          headers: destination.headers ?? {},
          body: batch.body,
          contentType: batch.contentType,
          attempt: 1,
        });
      }
      pump();
    },

    stats: () => ({ queued: queued(), inFlight, ...stats }),

    async shutdown(): Promise<void> {
      stopped = true;
      // Waiting retries go now rather than after their backoff; each gets this last attempt.
      for (const [timer, send] of backingOff) {
        clearTimeout(timer);
        ready.push(send);
      }
      backingOff.clear();
      pump();
      if (queued() > 0 || inFlight > 0) {
        let deadline: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => {
            onSettled = resolve;
          }),
          new Promise<void>((resolve) => {
            deadline = setTimeout(resolve, shutdownTimeoutMs);
          }),
        ]);
        clearTimeout(deadline);
      }
      stats.dropped += ready.length;
      ready.length = 0;
      for (const controller of inFlightControllers) controller.abort(new Error('forwarder shut down'));
    },
  };
}
