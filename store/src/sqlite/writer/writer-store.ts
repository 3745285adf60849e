/**
 * The SQLite store with its writes in a worker thread (DESIGN §10): the same
 * {@link Store}, whose writing methods of the ingest path (`write` and the
 * retention work that deletes: `setPlan`, `enforceRetention`, the timer
 * sweep) and the ingest status run on the writer worker's own connection,
 * while every read runs on the caller's connection (WAL: readers never wait
 * for the writer). Nothing is cached on either side, so what one connection
 * commits (a key rotation, a plan change, a write) the other reads at once.
 *
 * A write resolves only after the worker committed it. A worker that dies
 * fails the call it held with {@link WorkerCrashedError} (nothing of that
 * call is acknowledged) and is replaced.
 */
import type { IngestBatch, Logger, Plan, RetentionLimits } from '@tooltrace/conventions';
import type { Project, RetentionRun, Store, WriteResult } from '../../store.ts';
import { createWorkerPool, type WorkerPoolStats } from '../../worker-threads/index.ts';
import { errorFromData, isWriterLog, type WriterAnswer, type WriterSettings, type WriterTask } from './protocol.ts';

const WRITER_MODULE = new URL(`./writer-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

export interface WriterWorkerOptions {
  settings: WriterSettings;
  logger: Logger;
  /** The worker module (tests give one that crashes on demand). */
  module?: URL;
}

export interface StoreWithWriter extends Store {
  /** The writer thread's state: busy, queued calls, crashes. */
  writerStats(): WorkerPoolStats;
}

export function withWriterWorker(reader: Store, options: WriterWorkerOptions): StoreWithWriter {
  const pool = createWorkerPool<WriterTask, WriterAnswer>(options.module ?? WRITER_MODULE, 1, {
    name: 'SQLite writer',
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
    write: (projectId: string, batch: IngestBatch) => call<WriteResult>({ method: 'write', projectId, batch }),
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
        // The writer checkpoints and closes its connection first; a writer that is gone has nothing to close.
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
