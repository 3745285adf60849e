/**
 * The worker side of a writer thread, for any backend: the backend's worker
 * module opens its own store (own connection or client) with the logger given
 * here and hands it to {@link serveWriter}, which says `ready` once it is
 * open, takes `{ id, task }` and answers `{ id, result }` with a
 * {@link WriterAnswer}. Log lines (background retention runs, sweeps) go to
 * the main thread as `{ log }`, written there by the caller's logger.
 */
import { parentPort } from 'node:worker_threads';
import { type Logger, lineLogger } from '@tooltrace/conventions';
import type { Store } from '../store.ts';
import { cloneableFields, errorToData, type WriterAnswer, type WriterTask } from './protocol.ts';

function writerPort() {
  if (!parentPort) throw new Error('a store writer runs as a worker thread');
  return parentPort;
}

/** A logger whose lines the main thread writes; `thread` names this worker in each line. */
export function writerLogger(thread: string): Logger {
  const port = writerPort();
  return lineLogger(
    ({ level, fields, message }) => port.postMessage({ log: { level, fields: cloneableFields(fields), message } }),
    { thread },
  );
}

function perform(store: Store, task: WriterTask): Promise<unknown> {
  switch (task.method) {
    case 'write':
      return store.write(task.projectId, task.batch);
    case 'setPlan':
      return store.setPlan(task.projectId, task.plan, task.limits);
    case 'enforceRetention':
      return store.enforceRetention(task.projectId, task.now);
    case 'recordIngestStatus':
      return store.ingestStatus.record(task.projectId, task.delta);
    case 'close':
      return store.close();
  }
}

/**
 * Serves the writing methods of `store` to the main thread; a store that cannot open ends the worker. Says
 * once, through `logger`, that it is ready: operators (and the whole-stack tests) see where writes run.
 */
export async function serveWriter(opening: Store | Promise<Store>, logger: Logger): Promise<void> {
  const port = writerPort();
  const store = await opening;
  logger.info({}, 'store writer thread ready: writes run off the thread that serves HTTP and queries');
  port.on('message', async ({ id, task }: { id: number; task: WriterTask }) => {
    let answer: WriterAnswer;
    try {
      answer = { ok: true, value: await perform(store, task) };
    } catch (error) {
      answer = { ok: false, error: errorToData(error) };
    }
    port.postMessage({ id, result: answer });
  });
  port.postMessage('ready');
}
