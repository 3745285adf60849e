/**
 * Back-pressure in front of the store: a bounded queue of writes. When it is
 * full the caller learns so at once (and answers 429 with Retry-After) instead
 * of buffering without limit; an accepted write resolves only once the store
 * has committed it, so nothing is acknowledged before it is durable.
 *
 * "Full" is measured in time, not only in batches: the queue keeps the
 * store's recent write time per item and counts as full once what is pending
 * would take longer than `maxQueuedMs` to write. A fixed depth is either too
 * deep for big batches on a slow disk (seconds of latency before any 429) or
 * too shallow for many small ones; the time bound follows the machine.
 *
 * Admission asks before a body is read, but a request it admits reaches the
 * queue only after its body was read and decoded. Under a burst many are
 * admitted while the queue still looks short, and they arrive later as
 * seconds of backlog (or are refused after all that work). So `state` also
 * counts the requests admitted but not yet here, each as an average batch.
 *
 * Writes of one project that wait behind a running one go to the store
 * merged (group commit): one transaction commits several requests, and each
 * is answered when it did. A batch the store refuses is then written alone,
 * so it fails only its own request.
 */
import { itemsOf, mergeWritable, type Store, StoreUnavailableError, type WritableBatch } from '@tooltrace/store';
import type { WriteOutcome, WriteStage } from './stages.ts';

export interface WriteQueueOptions {
  /** Writes waiting or running at once (at admission: with the requests on their way here); more are refused. Default 64. */
  maxPendingBatches?: number;
  /** Facts waiting or running at once; a batch that would pass this is refused (unless the queue is empty). Default 500 000. */
  maxPendingItems?: number;
  /**
   * Time the pending writes may take, estimated from the store's recent write time per item; past it the
   * queue is full. Default 1 000 ms: clients told `Retry-After: 1` come back before the writer runs dry.
   */
  maxQueuedMs?: number;
  /**
   * Writes handed to the store at the same time. Default 1 (SQLite has one writer). 2 keeps a store whose
   * writer is a thread of its own fed: the next batch is already there when one commits.
   */
  concurrency?: number;
  /**
   * Writes of one project waiting together are merged into one store write of up to this many facts
   * (group commit): fewer, larger transactions. 0 or 1 merges nothing. Default 5 000.
   */
  maxMergedItems?: number;
  /** What to tell refused clients. Default 1 second. */
  retryAfterSeconds?: number;
  /** How long after a write found the store unavailable new requests are refused with 503. Default 5 seconds. */
  unavailableSeconds?: number;
  /** Clock of that window. Default Date.now. */
  now?: () => number;
}

/** Whether a new request may be taken, asked before its body is read. */
export type WriteQueueState =
  | { kind: 'open' }
  | { kind: 'full'; retryAfterSeconds: number }
  | { kind: 'store_unavailable'; retryAfterSeconds: number; message: string };

export interface WriteQueueStats {
  pendingBatches: number;
  pendingItems: number;
  refused: number;
  /** The estimated time to write what is pending (ms), null before the first write was timed. */
  queuedMs: number | null;
}

/** A write waiting for its turn at the store. */
interface Waiting {
  projectId: string;
  batch: WritableBatch;
  items: number;
  settle(outcome: WriteOutcome): void;
}

/** Weight of the newest write in the running estimates of write time per item and items per batch. */
const RATE_WEIGHT = 0.2;

export interface WriteQueue extends WriteStage {
  stats(): WriteQueueStats;
  /**
   * `admitted`: requests admitted upstream and not yet answered (those whose writes are pending here
   * included); the ones not here yet count as batches of the average size written so far.
   */
  state(admitted?: number): WriteQueueState;
  /** Resolves once every accepted write has settled. */
  drain(): Promise<void>;
}

export function createWriteQueue(store: Pick<Store, 'write'>, options: WriteQueueOptions = {}): WriteQueue {
  const maxPendingBatches = options.maxPendingBatches ?? 64;
  const maxPendingItems = options.maxPendingItems ?? 500_000;
  const concurrency = options.concurrency ?? 1;
  const maxQueuedMs = options.maxQueuedMs ?? 1000;
  const maxMergedItems = options.maxMergedItems ?? 5000;
  const retryAfterSeconds = options.retryAfterSeconds ?? 1;
  const unavailableSeconds = options.unavailableSeconds ?? 5;
  const now = options.now ?? Date.now;

  let pendingBatches = 0;
  let pendingItems = 0;
  let running = 0;
  let refused = 0;
  let unavailable: { untilMs: number; message: string } | null = null;
  let msPerItem: number | null = null;
  let itemsPerBatch: number | null = null;
  /** When the store last finished a write: overlapping writes are timed from there, not from their call. */
  let lastDoneAt = 0;
  const queuedMs = (aheadItems = 0) => (msPerItem === null ? null : (pendingItems + aheadItems) * msPerItem);
  const full = (admitted: number) => {
    const ahead = Math.max(0, admitted - pendingBatches);
    const batches = pendingBatches + ahead;
    if (batches >= maxPendingBatches) return true;
    // Only a queue can be full: writes the store is already running, however slow (an Elasticsearch bulk
    // with a refresh takes a second), are not a backlog, and a trickle of traffic must never see a 429.
    if (batches <= concurrency) return false;
    const estimate = queuedMs(ahead * (itemsPerBatch ?? 0));
    return estimate !== null && estimate > maxQueuedMs;
  };

  const timeWrite = (startedAt: number, items: number) => {
    const doneAt = now();
    const took = doneAt - Math.max(startedAt, lastDoneAt);
    lastDoneAt = doneAt;
    if (items === 0 || took < 0) return;
    const sample = took / items;
    msPerItem = msPerItem === null ? sample : msPerItem + RATE_WEIGHT * (sample - msPerItem);
  };
  const waiting: Waiting[] = [];
  let idle: { promise: Promise<void>; resolve: () => void } | null = null;

  /** The oldest waiting write and the later ones of its project, in order, up to `maxMergedItems` together. */
  const takeGroup = (): Waiting[] => {
    const head = waiting.shift()!;
    const group = [head];
    let items = head.items;
    for (let i = 0; i < waiting.length; ) {
      const next = waiting[i]!;
      if (next.projectId !== head.projectId) {
        i += 1;
        continue;
      }
      if (items + next.items > maxMergedItems) break;
      group.push(next);
      items += next.items;
      waiting.splice(i, 1);
    }
    return group;
  };

  const startNext = () => {
    while (running < concurrency && waiting.length > 0) {
      running += 1;
      void writeGroup(takeGroup()).finally(() => {
        running -= 1;
        startNext();
      });
    }
  };

  async function writeOne(projectId: string, batch: WritableBatch, items: number): Promise<WriteOutcome> {
    try {
      const startedAt = now();
      const result = await store.write(projectId, batch);
      timeWrite(startedAt, items);
      unavailable = null;
      return { kind: 'written', result };
    } catch (error) {
      // An unusable store may recover (disk freed, lock released); anything else would fail again.
      const retryable = error instanceof StoreUnavailableError;
      const message = error instanceof Error ? error.message : String(error);
      if (retryable) unavailable = { untilMs: now() + unavailableSeconds * 1000, message };
      return { kind: 'failed', retryable, message, error };
    }
  }

  /** Writes what waited together as one batch: one transaction (or bulk request) instead of one per request. */
  async function writeGroup(group: Waiting[]): Promise<void> {
    const items = group.reduce((n, w) => n + w.items, 0);
    const outcome = await writeOne(group[0]!.projectId, mergeWritable(group.map((w) => w.batch)), items);
    if (group.length > 1 && outcome.kind === 'failed' && !outcome.retryable) {
      // A batch the store refuses must not fail the requests merged with it: each is written on its own.
      for (const w of group) w.settle(await writeOne(w.projectId, w.batch, w.items));
      return;
    }
    for (const w of group) w.settle(outcome);
  }

  return {
    write(projectId, batch) {
      const items = itemsOf(batch);
      const refuse =
        pendingBatches >= maxPendingBatches || (pendingBatches > 0 && pendingItems + items > maxPendingItems);
      if (refuse) {
        refused += 1;
        return Promise.resolve({ kind: 'overloaded', retryAfterSeconds });
      }
      pendingBatches += 1;
      pendingItems += items;
      itemsPerBatch = itemsPerBatch === null ? items : itemsPerBatch + RATE_WEIGHT * (items - itemsPerBatch);
      const written = new Promise<WriteOutcome>((settle) => {
        waiting.push({ projectId, batch, items, settle });
        startNext();
      });
      return written.finally(() => {
        pendingBatches -= 1;
        pendingItems -= items;
        if (pendingBatches === 0 && idle) {
          idle.resolve();
          idle = null;
        }
      });
    },
    stats: () => ({ pendingBatches, pendingItems, refused, queuedMs: queuedMs() }),
    state(admitted = 0) {
      if (unavailable && now() < unavailable.untilMs) {
        return { kind: 'store_unavailable', retryAfterSeconds: unavailableSeconds, message: unavailable.message };
      }
      return full(admitted) ? { kind: 'full', retryAfterSeconds } : { kind: 'open' };
    },
    drain() {
      if (pendingBatches === 0) return Promise.resolve();
      if (!idle) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => {
          resolve = r;
        });
        idle = { promise, resolve };
      }
      return idle.promise;
    },
  };
}
