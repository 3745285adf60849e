/**
 * For crash tests of a writer worker: a write whose batch holds a log named
 * {@link CRASH_MARKER} ends the worker thread before the real writer sees it
 * (what a bug in native code would do). A backend's crashing writer calls this
 * first, then loads its real writer module in the same thread.
 */
import { parentPort } from 'node:worker_threads';
import { deserializeBatch } from '../../serialized-batch.ts';
import type { WriterTask } from '../protocol.ts';

export const CRASH_MARKER = 'crash-the-writer';

export function crashOnMarkedBatch(): void {
  parentPort!.on('message', ({ task }: { task: WriterTask }) => {
    if (task.method === 'write' && deserializeBatch(task.batch).logs.some((l) => l.name === CRASH_MARKER)) {
      // Ends the thread at once, before the real listener runs: the worker dies with nothing of the batch written.
      process.exit(70);
    }
  });
}
