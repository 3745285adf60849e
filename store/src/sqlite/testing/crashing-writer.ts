/**
 * A SQLite writer worker for crash tests: a write whose batch holds a log
 * named `crash-the-writer` ends the worker thread before it writes anything (what a bug in native code would do); everything else goes to the
 * real writer worker, loaded in the same thread.
 */
import { parentPort } from 'node:worker_threads';
import type { WriterTask } from '../writer/protocol.ts';

parentPort!.on('message', ({ task }: { task: WriterTask }) => {
  if (task.method === 'write' && task.batch.logs.some((l) => l.name === 'crash-the-writer')) {
    // Ends the thread at once, before the real listener runs: the worker dies with nothing of the batch written.
    process.exit(70);
  }
});
await import('../writer/writer-worker.ts');
