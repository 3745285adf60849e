/** A worker for the pool's tests: answers each task with the task itself. */
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', ({ id, task }: { id: number; task: unknown }) =>
  parentPort?.postMessage({ id, result: task }),
);
parentPort?.postMessage('ready');
