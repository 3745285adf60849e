/**
 * A decode + map worker thread: takes `{ id, task }`, answers `{ id, result }`
 * (its batch serialized and, with its forward bodies, transferred, not copied) or `{ id, error }` for a task
 * that threw. It
 * says `ready` once loaded, so the pool sends nothing to a worker that is
 * still starting.
 */
import { parentPort } from 'node:worker_threads';
import { type DecodeMapTask, decodeAndMap, workerAnswer } from './decode-map-task.ts';

const port = parentPort;
if (!port) throw new Error('decode-map-worker.ts runs as a worker thread');

port.on('message', ({ id, task }: { id: number; task: DecodeMapTask }) => {
  try {
    const { result, transfer } = workerAnswer(decodeAndMap(task));
    port.postMessage({ id, result }, transfer);
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
});
port.postMessage('ready');
