/**
 * The SQLite writer worker: owns its own connection to the database file and
 * runs the store's writing methods there (`write`, with its retention step,
 * `setPlan`, `enforceRetention`, ingest status, the timer sweep), so a
 * transaction never blocks the thread that serves HTTP and queries. Says
 * `ready` once the file is open; takes `{ id, task }` and answers
 * `{ id, result }` with a {@link WriterAnswer}. Log lines of background runs
 * go to the main thread as `{ log }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lineLogger } from '@tooltrace/conventions';
import { openSqliteStore } from '../sqlite-store.ts';
import { cloneableFields, errorToData, type WriterAnswer, type WriterSettings, type WriterTask } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('writer-worker.ts runs as a worker thread');
const settings = (workerData as { data: WriterSettings }).data;

const store = openSqliteStore({
  path: settings.file,
  busyTimeoutMs: settings.busyTimeoutMs,
  retentionSweepIntervalMs: settings.retentionSweepIntervalMs,
  logger: lineLogger(
    ({ level, fields, message }) => port.postMessage({ log: { level, fields: cloneableFields(fields), message } }),
    {
      thread: 'sqlite-writer',
    },
  ),
});

async function perform(task: WriterTask): Promise<unknown> {
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

port.on('message', async ({ id, task }: { id: number; task: WriterTask }) => {
  let answer: WriterAnswer;
  try {
    answer = { ok: true, value: await perform(task) };
  } catch (error) {
    answer = { ok: false, error: errorToData(error) };
  }
  port.postMessage({ id, result: answer });
});
port.postMessage('ready');
