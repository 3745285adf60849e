/**
 * WAL checkpoints off the committing thread.
 *
 * SQLite's auto-checkpoint runs inside the commit that fills the WAL: that one
 * write copies some 10 000 pages into the database file and waits for two
 * fsyncs, about a quarter of `store.write`'s time in the bench. Here a thread of
 * its own (CHECKPOINT_THREAD below) does the copying and syncing every
 * `intervalMs` while writes go on. What it cannot do alone is start the WAL over:
 * SQLite restarts the file from its beginning only when a writer begins a
 * transaction with every frame already copied, and a busy writer always has a
 * few frames more. So once the thread reports the WAL past `restartFrames`, the
 * writer's next commit finishes the job with a passive checkpoint of the frames
 * committed since the thread's last pass, and its next transaction restarts the
 * WAL. Until the thread has its connection, and again should it fail, the
 * connection keeps SQLite's own auto-checkpoint, so the WAL stays bounded
 * either way.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { errorFields, type Logger } from '@tooltrace/conventions';
import type Database from 'better-sqlite3';
import { spawnWorker } from '../../worker-threads/index.ts';
import { useAutoCheckpoint } from '../connection.ts';

/**
 * The thread's whole program. Plain JavaScript rather than a module of ours: it needs better-sqlite3 and nothing
 * else, so it starts without the tsx loader our TypeScript workers need when run from sources (~0.3 s and ~35 MB of
 * RSS each). Its connection copies committed frames into the file every `intervalMs` (PASSIVE: it never waits for or
 * blocks the writer or readers; syncs included) and publishes the WAL's frame count after each pass. A pass that
 * finds the checkpoint lock taken (the writer's own pass) is skipped. An error ends the thread: the writer falls back.
 */
const CHECKPOINT_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const framesInWal = new Int32Array(workerData.shared);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  if (result && result.busy === 0) Atomics.store(framesInWal, 0, result.log);
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.postMessage('stopped');
});
parentPort.postMessage('ready');
`;

const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');

export interface WalCheckpointerOptions {
  /** How often the thread checkpoints. Default 100 ms. */
  intervalMs?: number;
  /** WAL frames past which the writer restarts the WAL. Default 10 000 (40 MB), the auto-checkpoint's threshold. */
  restartFrames?: number;
  /** A module to run as the thread instead (tests give one that fails). */
  module?: URL;
}

export class WalCheckpointer {
  /** The WAL's frame count as of the thread's last pass (shared memory: the thread writes it, the writer reads it). */
  private readonly frames = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  private readonly worker: Worker;
  private readonly restartFrames: number;
  private running = true;

  constructor(
    private readonly db: Database.Database,
    file: string,
    private readonly logger: Logger,
    options: WalCheckpointerOptions = {},
  ) {
    this.restartFrames = options.restartFrames ?? 10_000;
    const workerData = { betterSqlite3, file, intervalMs: options.intervalMs ?? 100, shared: this.frames.buffer };
    this.worker = options.module
      ? spawnWorker(options.module, workerData)
      : new Worker(CHECKPOINT_THREAD, { eval: true, workerData });
    this.worker.unref();
    // SQLite's own auto-checkpoint stays on until the thread has its connection: starting takes a moment.
    this.worker.on('message', (message) => {
      if (message === 'ready' && this.running) useAutoCheckpoint(db, false);
    });
    this.worker.once('error', (error) => this.fallBack(error));
    this.worker.once('exit', (code) => this.fallBack(new Error(`the checkpoint thread exited with code ${code}`)));
  }

  /** Whether checkpoints still run on the thread (false once it failed or was stopped). */
  get inBackground(): boolean {
    return this.running;
  }

  /** Call after each commit: past `restartFrames`, copies what the thread has not, so the next transaction restarts the WAL. */
  afterCommit(): void {
    if (!this.running || Atomics.load(this.frames, 0) < this.restartFrames) return;
    try {
      const [result] = this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number }[];
      // Busy: the thread is mid-pass; the next commit tries again.
      if (result && result.busy === 0) Atomics.store(this.frames, 0, 0);
    } catch (error) {
      // The write has committed; a failed tidy-up must not fail it. The thread's next pass reports the WAL again.
      this.logger.warn(errorFields(error), 'WAL checkpoint after a commit failed');
    }
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    const stopped = new Promise<void>((resolve) => {
      this.worker.on('message', (message) => {
        if (message === 'stopped') resolve();
      });
      this.worker.once('exit', () => resolve());
    });
    this.worker.postMessage('stop');
    await stopped;
    await this.worker.terminate();
  }

  private fallBack(error: unknown): void {
    if (!this.running) return;
    this.running = false;
    useAutoCheckpoint(this.db, true);
    this.logger.warn(
      errorFields(error),
      'WAL checkpoint thread failed; checkpoints run in the committing thread again',
    );
  }
}
