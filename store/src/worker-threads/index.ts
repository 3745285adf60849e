export { ownedBytes } from './owned-bytes.ts';
export { spawnWorker } from './spawn-worker.ts';
export {
  createWorkerPool,
  WorkerCrashedError,
  type WorkerPool,
  type WorkerPoolOptions,
  type WorkerPoolStats,
  WorkerTaskError,
} from './worker-pool.ts';
