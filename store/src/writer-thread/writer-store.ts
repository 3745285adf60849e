/**
 * A store with its writes in a worker thread (DESIGN §10), for any backend:
 * the same {@link Store}, whose writing methods of the ingest path (`write`
 * and the retention work that deletes: `setPlan`, `enforceRetention`, the
 * timer sweep) and the ingest status run in the writer worker on its own
 * connection (SQLite) or client (Elasticsearch), while every read and the rare
 * admin writes run on the caller's (the `reader`). The backend's worker
 * module opens its store from plain `settings` and serves it with
 * `serveWriter` (serve-writer.ts).
 *
 * A write resolves only after the worker's store acknowledged it (committed,
 * or the bulk succeeded). A worker that dies fails the call it held with
 * {@link WorkerCrashedError} (nothing of that call is acknowledged) and is replaced.
 */
import type { Logger, Plan, RetentionLimits } from '@tooltrace/conventions';
import type { WritableBatch } from '../serialized-batch.ts';
import type { Project, RetentionRun, Store, WriteResult } from '../store.ts';
import { createWorkerPool, type WorkerPoolStats } from '../worker-threads/index.ts';
import { errorFromData, isWriterLog, type WriterAnswer, type WriterTask } from './protocol.ts';

export interface WriterWorkerOptions {
  /** The backend's worker module (tests give one that crashes on demand). */
  module: URL;
  /** What the worker is called in errors: `SQLite writer`, `Elasticsearch writer`. */
  name: string;
  /** What the worker opens its store with (`workerData.data`): plain data, cloned. */
  settings: unknown;
  logger: Logger;
}

export interface StoreWithWriter extends Store {
  /** The writer thread's state: busy, queued calls, crashes. */
  writerStats(): WorkerPoolStats;
}

/** The module beside `base` named `name`, `.ts` from sources and `.js` when built. */
export function siblingModule(name: string, base: string): URL {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}

export function withWriterWorker(reader: Store, options: WriterWorkerOptions): StoreWithWriter {
  const pool = createWorkerPool<WriterTask, WriterAnswer>(options.module, 1, {
    name: options.name,
    data: options.settings,
    onMessage(message) {
      if (!isWriterLog(message)) return;
      const { level, fields, message: text } = message.log;
      options.logger[level](fields, text);
    },
  });
  const call = async <T>(task: WriterTask): Promise<T> => {
    const answer = await pool.run(task);
    if (!answer.ok) throw errorFromData(answer.error);
    return answer.value as T;
  };
  let closed: Promise<void> | null = null;

  const routed: Partial<StoreWithWriter> = {
    write: (projectId: string, batch: WritableBatch) => call<WriteResult>({ method: 'write', projectId, batch }),
    setPlan: (projectId: string, plan: Plan, limits?: Partial<RetentionLimits>) =>
      call<Project>({ method: 'setPlan', projectId, plan, limits }),
    enforceRetention: (projectId?: string, now?: number) =>
      call<RetentionRun>({ method: 'enforceRetention', projectId, now }),
    ingestStatus: {
      record: (projectId, delta) => call<void>({ method: 'recordIngestStatus', projectId, delta }),
      summary: (projectId) => reader.ingestStatus.summary(projectId),
    },
    writerStats: () => pool.stats(),
    close() {
      closed ??= (async () => {
        // The writer closes its store first (SQLite checkpoints); a writer that is gone has nothing to close.
        await call({ method: 'close' }).catch(() => undefined);
        await pool.close();
        await reader.close();
      })();
      return closed;
    },
  };
  return new Proxy(reader as StoreWithWriter, {
    get(target, property) {
      if (Object.hasOwn(routed, property)) return routed[property as keyof StoreWithWriter];
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
