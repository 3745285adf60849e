/**
 * Server-Sent Events feeds of new rows. The feed polls the store rather than
 * listening to the collector, so it also sees rows written by a collector in
 * another process. Each poll reads the newest rows of a look-back window and
 * sends those not sent before (or changed since, e.g. a trigger event whose
 * status moved on); rows already present when the client subscribed are not
 * sent, the client has them from the list.
 */
import type { Request, Response } from 'express';
import { ApiError } from './errors.ts';

export interface LiveFeedOptions {
  /** How often the store is polled. */
  pollMs: number;
  /** How far back a poll looks: rows whose time is older than this when they arrive (late spans) are not sent. */
  lookbackMs: number;
  /** Interval of SSE comment lines that keep proxies and clients from timing the stream out. */
  heartbeatMs: number;
  /** Open feeds one project may hold at once; each polls the store, so they are not free. */
  maxStreamsPerProject: number;
}

export const DEFAULT_LIVE_FEED_OPTIONS: LiveFeedOptions = {
  pollMs: 1000,
  lookbackMs: 15 * 60_000,
  heartbeatMs: 15_000,
  maxStreamsPerProject: 20,
};

/**
 * Rows one poll reads: the newest this many of the look-back window. More new
 * rows than this within one poll are not pushed (the list still has them). The
 * store's largest page, so one poll is one store read.
 */
export const LIVE_FEED_POLL_LIMIT = 500;

/** Counts open feeds per project and refuses one past the limit with a 429. */
export class StreamSlots {
  readonly #open = new Map<string, number>();
  constructor(readonly max: number) {}

  /** Takes a slot; the returned function gives it back (once, however often it is called). */
  acquire(projectId: string): () => void {
    const open = this.#open.get(projectId) ?? 0;
    if (open >= this.max) {
      throw new ApiError(
        429,
        'too_many_streams',
        `at most ${this.max} live feeds may be open per project; close one first`,
      );
    }
    this.#open.set(projectId, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#open.get(projectId) ?? 1) - 1;
      if (left > 0) this.#open.set(projectId, left);
      else this.#open.delete(projectId);
    };
  }

  openFor(projectId: string): number {
    return this.#open.get(projectId) ?? 0;
  }
}

export interface LiveFeedSource<T> {
  /** SSE event name, e.g. `tool-call`. */
  event: string;
  /** The newest rows (newest first) whose time is at or after `since` (epoch ms), with the client's filters. */
  recent(since: number): Promise<T[]>;
  /** Identity of a row across polls. */
  keyOf(row: T): string;
  /** The row's time (epoch ms), to forget rows that left the window. */
  timeOf(row: T): number;
  /** The row as the API answers it (serialise.ts). */
  toJson(row: T): unknown;
}

interface Seen {
  fingerprint: string;
  time: number;
}

/** Serves one feed until the client goes away; `release` gives its slot back when it does. */
export async function serveLiveFeed<T>(
  req: Request,
  res: Response,
  source: LiveFeedSource<T>,
  options: LiveFeedOptions,
  release: () => void,
  now: () => number = Date.now,
): Promise<void> {
  const seen = new Map<string, Seen>();
  let closed = false;
  let polling = false;
  const timers: NodeJS.Timeout[] = [];
  const stop = () => {
    closed = true;
    for (const timer of timers) clearInterval(timer);
    release();
  };
  req.once('close', stop);
  res.once('close', stop);

  // Rows already there are the client's starting point, not news.
  const remember = (row: T) =>
    seen.set(source.keyOf(row), { fingerprint: JSON.stringify(row), time: source.timeOf(row) });
  try {
    for (const row of await source.recent(now() - options.lookbackMs)) remember(row);
  } catch (error) {
    stop();
    throw error;
  }
  if (closed) return;

  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.write(`retry: 3000\n: connected\n\n`);

  const poll = async () => {
    // A client that does not keep up is not fed more until it drains; the next poll catches up.
    if (closed || polling || res.writableNeedDrain) return;
    polling = true;
    try {
      const windowStart = now() - options.lookbackMs;
      const fresh = (await source.recent(windowStart)).filter((row) => {
        const previous = seen.get(source.keyOf(row));
        return previous === undefined || previous.fingerprint !== JSON.stringify(row);
      });
      if (closed) return;
      fresh.sort((a, b) => source.timeOf(a) - source.timeOf(b));
      for (const row of fresh) {
        remember(row);
        res.write(`event: ${source.event}\nid: ${source.keyOf(row)}\ndata: ${JSON.stringify(source.toJson(row))}\n\n`);
      }
      for (const [key, entry] of seen) if (entry.time < windowStart) seen.delete(key);
    } catch (error) {
      req.log?.error({ err: error }, 'live feed poll failed');
      res.write(
        `event: error\ndata: ${JSON.stringify({ error: { code: 'internal', message: 'live feed failed' } })}\n\n`,
      );
      stop();
      res.end();
    } finally {
      polling = false;
    }
  };
  timers.push(setInterval(poll, options.pollMs));
  timers.push(
    setInterval(() => {
      if (!closed) res.write(': heartbeat\n\n');
    }, options.heartbeatMs),
  );
}
