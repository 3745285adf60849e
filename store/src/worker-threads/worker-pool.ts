/**
 * A fixed pool of worker threads running one module (protocol: `ready`, then
 * `{ id, task }` → `{ id, result }` | `{ id, error }`; any other message goes
 * to `onMessage`, e.g. a worker's log lines). The collector's decode workers
 * and the SQLite writer both run in one.
 * Tasks wait in arrival order for a free worker; admission bounds how many
 * bodies can be waiting. A worker that dies (uncaught error, exit) fails the
 * task it held with WorkerCrashedError and is replaced, so a batch is
 * answered, never left hanging; a task that cannot be posted (not
 * structured-cloneable) is rejected with the reason and jams nothing. Workers that die before they ever get ready
 * (a module that cannot load) are not restarted forever: after three in a
 * row the pool fails every task with the reason.
 */
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from './spawn-worker.ts';

export class WorkerCrashedError extends Error {
  override readonly name = 'WorkerCrashedError';
}

export class WorkerTaskError extends Error {
  override readonly name = 'WorkerTaskError';
}

export interface WorkerPoolStats {
  workers: number;
  busy: number;
  queued: number;
  crashed: number;
}

export interface WorkerPoolOptions {
  /** What a worker is called in errors: `decode worker`, `SQLite writer`. */
  name: string;
  /** Given to every worker as `workerData.data` (structured clone). */
  data?: unknown;
  /** Messages that are neither `ready` nor an answer. */
  onMessage?: (message: unknown) => void;
}

export interface WorkerPool<Task, Result> {
  run(task: Task, transfer?: ArrayBuffer[]): Promise<Result>;
  stats(): WorkerPoolStats;
  close(): Promise<void>;
}

interface Job<Task, Result> {
  task: Task;
  transfer: ArrayBuffer[];
  resolve(result: Result): void;
  reject(error: Error): void;
}

interface Slot<Task, Result> {
  worker: Worker;
  ready: boolean;
  job: (Job<Task, Result> & { id: number }) | null;
}

export function createWorkerPool<Task, Result>(
  module: URL,
  size: number,
  options: WorkerPoolOptions,
): WorkerPool<Task, Result> {
  const { name } = options;
  const slots = new Set<Slot<Task, Result>>();
  const queue: Job<Task, Result>[] = [];
  let nextId = 0;
  let crashed = 0;
  let failedStarts = 0;
  let broken: WorkerCrashedError | null = null;
  let closed = false;

  const dispatch = () => {
    for (const slot of slots) {
      while (queue.length > 0 && slot.ready && !slot.job) {
        const job = queue.shift()!;
        slot.job = { ...job, id: nextId++ };
        try {
          slot.worker.postMessage({ id: slot.job.id, task: job.task }, job.transfer);
        } catch (error) {
          // A task that cannot be cloned fails alone, at once; the worker never got it and takes the next.
          slot.job = null;
          job.reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    }
  };

  const start = () => {
    const slot: Slot<Task, Result> = { worker: spawnWorker(module, options.data), ready: false, job: null };
    slots.add(slot);
    slot.worker.on('message', (message: 'ready' | { id?: number; result?: Result; error?: string }) => {
      if (typeof message === 'object' && message !== null && typeof message.id !== 'number') {
        options.onMessage?.(message);
        return;
      }
      if (message === 'ready') {
        slot.ready = true;
        failedStarts = 0;
      } else if (slot.job && message.id === slot.job.id) {
        const job = slot.job;
        slot.job = null;
        if (message.error !== undefined) job.reject(new WorkerTaskError(message.error));
        else job.resolve(message.result as Result);
      }
      dispatch();
    });
    const replace = (why: string) => {
      if (!slots.delete(slot)) return;
      slot.job?.reject(new WorkerCrashedError(`a ${name} stopped while handling this batch: ${why}`));
      if (closed) return;
      crashed += 1;
      failedStarts = slot.ready ? 0 : failedStarts + 1;
      if (failedStarts >= 3) {
        broken = new WorkerCrashedError(`${name}s cannot start: ${why}`);
        for (const job of queue.splice(0)) job.reject(broken);
        return;
      }
      start();
    };
    slot.worker.on('error', (error) => replace(error.message));
    slot.worker.on('exit', (code) => replace(`exit code ${code}`));
  };

  for (let i = 0; i < size; i++) start();

  return {
    run(task, transfer = []) {
      if (closed) return Promise.reject(new WorkerCrashedError('the worker pool is closed'));
      if (broken) return Promise.reject(broken);
      return new Promise<Result>((resolve, reject) => {
        queue.push({ task, transfer, resolve, reject });
        dispatch();
      });
    },
    stats: () => ({
      workers: slots.size,
      busy: [...slots].filter((s) => s.job).length,
      queued: queue.length,
      crashed,
    }),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new WorkerCrashedError('the worker pool is closed'));
      await Promise.all([...slots].map((slot) => slot.worker.terminate()));
    },
  };
}
