/**
 * One destination's sender: takes the oldest queued batches (one request's
 * worth, same signal and encoding), posts them, and records the outcome in
 * the outbox. One request in flight per destination, so a slow or dead
 * destination holds only its own loop; retries wait with backoff, never
 * sooner than the destination's Retry-After.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ForwardDestination } from '@tooltrace/conventions';
import { type BackoffOptions, retryDelay } from './backoff.ts';
import { CONTENT_TYPE, signalPath } from './otlp-encode.ts';
import type { Outbox, QueuedBatch } from './outbox.ts';
import { postOtlp, type SendOutcome } from './sender.ts';

const gzipAsync = promisify(gzip);

export interface LoopOptions {
  outbox: Outbox;
  /** The destination's current settings; null once it was deleted. */
  settings(): Promise<ForwardDestination | null>;
  allowPrivate: boolean;
  backoff: BackoffOptions;
  /** Largest request body before compression (several batches are merged up to it). */
  maxRequestBytes: number;
  maxRequestBatches: number;
  /** How long a lone small batch waits for company before it is sent. */
  lingerMs: number;
  timeoutMs: number;
  now: () => number;
  /** Told about every failed attempt (one diagnostic channel). */
  onFailure(destinationId: string, outcome: Exclude<SendOutcome, { kind: 'sent' }>): void;
}

/** Batches of one signal as one OTLP request: protobuf messages concatenate; JSON ones are merged. */
function mergedPayload(batches: readonly QueuedBatch[]): Buffer {
  const first = batches[0] as QueuedBatch;
  if (batches.length === 1) return first.payload;
  if (first.encoding === 'protobuf') return Buffer.concat(batches.map((b) => b.payload));
  const key = first.signal === 'traces' ? 'resourceSpans' : 'resourceLogs';
  const merged = batches.flatMap(
    (b) => (JSON.parse(b.payload.toString('utf8')) as Record<string, unknown[]>)[key] ?? [],
  );
  return Buffer.from(JSON.stringify({ [key]: merged }));
}

export class DestinationLoop {
  private wakeUp: (() => void) | null = null;
  private stopped = false;
  private attempt = 0;
  private readonly done: Promise<void>;

  constructor(
    readonly destinationId: string,
    private readonly options: LoopOptions,
  ) {
    this.done = this.run();
  }

  /** New batches were queued. */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.done;
  }

  private sleep(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(finish, ms);
      timer.unref();
      const previous = this.wakeUp;
      function finish() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        previous?.();
        if (wakeable || this.stopped) finish();
      };
    });
  }

  private async run(): Promise<void> {
    const { outbox, now } = this.options;
    while (!this.stopped) {
      const destination = await this.options.settings().catch(() => undefined);
      if (destination === null) {
        outbox.forget(this.destinationId);
        return;
      }
      if (destination === undefined || !destination.enabled) {
        await this.sleep(2_000, true);
        continue;
      }
      outbox.expire(this.destinationId, now());
      const batches = outbox.head(this.destinationId, this.options.maxRequestBytes, this.options.maxRequestBatches);
      if (batches.length === 0) {
        await this.sleep(5_000, true);
        continue;
      }
      const bytes = batches.reduce((n, b) => n + b.bytes, 0);
      const age = now() - (batches[0] as QueuedBatch).enqueuedAt;
      if (this.attempt === 0 && bytes < this.options.maxRequestBytes / 2 && age < this.options.lingerMs) {
        await this.sleep(this.options.lingerMs - age, false);
        continue;
      }
      const outcome = await this.send(destination, batches);
      if (outcome.kind === 'sent') {
        this.attempt = 0;
        outbox.settle(this.destinationId, batches, { kind: 'sent' }, now());
        continue;
      }
      outbox.settle(this.destinationId, batches, outcome, now());
      this.options.onFailure(this.destinationId, outcome);
      if (outcome.kind === 'reject') {
        this.attempt = 0;
        continue;
      }
      this.attempt += 1;
      await this.sleep(retryDelay(this.attempt, outcome.retryAfterMs, this.options.backoff), false);
    }
  }

  private async send(destination: ForwardDestination, batches: readonly QueuedBatch[]): Promise<SendOutcome> {
    const first = batches[0] as QueuedBatch;
    const plain = mergedPayload(batches);
    const gzipped = destination.compression === 'gzip';
    const headers: Record<string, string> = {
      ...destination.headers,
      'content-type': CONTENT_TYPE[first.encoding],
      ...(gzipped ? { 'content-encoding': 'gzip' } : {}),
    };
    return postOtlp({
      url: `${destination.endpoint.replace(/\/+$/, '')}${signalPath(first.signal)}`,
      headers,
      body: gzipped ? await gzipAsync(plain) : plain,
      timeoutMs: this.options.timeoutMs,
      allowPrivate: this.options.allowPrivate,
    });
  }
}
