/**
 * The WAL checkpointer thread: its own connection copies committed WAL frames
 * into the database file (PASSIVE: it never waits for or blocks the writer or
 * readers) every `intervalMs`, fsyncs included, and after each pass publishes
 * the WAL's frame count in `shared` for the writer (./wal-checkpointer.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { type CheckpointWorkerData, FRAMES_IN_WAL } from './wal-checkpointer.ts';

const { file, intervalMs, shared } = (workerData as { data: CheckpointWorkerData }).data;
const frames = new Int32Array(shared);
const db = new Database(file, { fileMustExist: true });
// A passive checkpoint that finds the lock taken (the writer restarting the WAL) skips this pass.
db.pragma('busy_timeout = 0');
db.pragma('synchronous = NORMAL');

interface CheckpointResult {
  busy: number;
  log: number;
}

const timer = setInterval(() => {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
  if (result && result.busy === 0) Atomics.store(frames, FRAMES_IN_WAL, result.log);
}, intervalMs);

parentPort?.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort?.postMessage('stopped');
});
parentPort?.postMessage('ready');
