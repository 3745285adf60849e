/**
 * WAL checkpoints off the committing thread.
 *
 * SQLite's auto-checkpoint runs inside the commit that fills the WAL: that one
 * write copies some 10 000 pages into the database file and waits for two
 * fsyncs, about a quarter of `store.write`'s time in the bench. Here a thread of
 * its own (./checkpoint-worker.ts) does the copying and syncing every
 * `intervalMs` while writes go on. What it cannot do alone is start the WAL over:
 * SQLite restarts the file from its beginning only when a writer begins a
 * transaction with every frame already copied, and a busy writer always has a
 * few frames more. So once the thread reports the WAL past `restartFrames`, the
 * writer's next commit finishes the job with a passive checkpoint of the frames
 * committed since the thread's last pass, and its next transaction restarts the
 * WAL. Should the thread fail, the connection goes back to SQLite's own
 * auto-checkpoint, so the WAL stays bounded either way.
 */
import type { Worker } from 'node:worker_threads';
import { errorFields, type Logger } from '@tooltrace/conventions';
import type Database from 'better-sqlite3';
import { spawnWorker } from '../../worker-threads/index.ts';
import { siblingModule } from '../../writer-thread/writer-store.ts';
import { useAutoCheckpoint } from '../connection.ts';

/** Index of the WAL's frame count, as of the thread's last pass, in the shared Int32Array. */
export const FRAMES_IN_WAL = 0;

/** What the checkpoint thread is started with (`workerData.data`). */
export interface CheckpointWorkerData {
  file: string;
  intervalMs: number;
  shared: SharedArrayBuffer;
}

export interface WalCheckpointerOptions {
  /** How often the thread checkpoints. Default 100 ms. */
  intervalMs?: number;
  /** WAL frames past which the writer restarts the WAL. Default 10 000 (40 MB), the auto-checkpoint's threshold. */
  restartFrames?: number;
  /** The thread's module (tests give one that fails). */
  module?: URL;
}

interface CheckpointResult {
  busy: number;
  log: number;
}

export class WalCheckpointer {
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
    const data: CheckpointWorkerData = {
      file,
      intervalMs: options.intervalMs ?? 100,
      shared: this.frames.buffer as SharedArrayBuffer,
    };
    this.worker = spawnWorker(options.module ?? siblingModule('checkpoint-worker', import.meta.url), data);
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

  /** Call after each commit: restarts the WAL once the thread found it past `restartFrames`. */
  afterCommit(): void {
    if (!this.running || Atomics.load(this.frames, FRAMES_IN_WAL) < this.restartFrames) return;
    try {
      const [result] = this.db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
      // Busy: the thread is mid-pass; the next commit tries again.
      if (result && result.busy === 0) Atomics.store(this.frames, FRAMES_IN_WAL, 0);
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
