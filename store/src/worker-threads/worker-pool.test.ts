/** The worker pool with a real worker thread (an echo module). */
import { describe, expect, it } from 'vitest';
import { createWorkerPool } from './worker-pool.ts';

const ECHO = new URL('./testing/echo-worker.ts', import.meta.url);

describe('createWorkerPool', () => {
  it('when a task cannot be cloned, then that task fails with the reason and the worker takes the next', async () => {
    const pool = createWorkerPool<unknown, unknown>(ECHO, 1, { name: 'echo worker' });
    try {
      // Queued before the worker is ready (posted from its `ready` message), then again once it is.
      const early = pool.run({ call: () => 1 });
      const next = pool.run({ n: 1 });
      await expect(early).rejects.toThrow(/could not be cloned/);
      await expect(next).resolves.toEqual({ n: 1 });
      await expect(pool.run({ call: () => 2 })).rejects.toThrow(/could not be cloned/);
      await expect(pool.run({ n: 2 })).resolves.toEqual({ n: 2 });
      expect(pool.stats()).toMatchObject({ workers: 1, busy: 0, queued: 0, crashed: 0 });
    } finally {
      await pool.close();
    }
  });
});
