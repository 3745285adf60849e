/**
 * A decode worker for crash tests: a body holding `crash-this-worker` kills
 * the worker with an uncaught error before it answers (what a bug in a decoder
 * or native code would do); `throw-in-this-task` makes the task throw; any
 * other body is decoded and mapped as in the real worker.
 */
import { parentPort } from 'node:worker_threads';
import { type DecodeMapTask, decodeAndMap, workerAnswer } from '../pipeline/decode-map-task.ts';

const port = parentPort!;
port.on('message', ({ id, task }: { id: number; task: DecodeMapTask }) => {
  const text = Buffer.from(task.body).toString('latin1');
  if (text.includes('crash-this-worker')) {
    setImmediate(() => {
      throw new Error('decoder bug: crashed on purpose');
    });
    return;
  }
  if (text.includes('throw-in-this-task')) {
    port.postMessage({ id, error: 'Error: decoder bug: threw on purpose' });
    return;
  }
  const { result, transfer } = workerAnswer(decodeAndMap(task));
  port.postMessage({ id, result }, transfer);
});
port.postMessage('ready');
