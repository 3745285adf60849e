/**
 * decode → redact → map of one request, inline or in a pool of worker
 * threads (DESIGN §10), behind one small interface. With workers the body is
 * transferred, not copied (and forward bodies come back the same way), so the
 * HTTP thread only reads bodies, writes, appends to the outbox and answers; a worker that crashes fails its batch (the pool replaces it).
 */
import type { RedactionRules } from '@tooltrace/conventions';
import { createWorkerPool, type WorkerPoolStats } from '@tooltrace/store/worker-threads';
import type { ForwardTarget } from '../forwarding/forward-bodies.ts';
import type { MappingLimits } from '../mapping/options.ts';
import { type DecodeMapResult, type DecodeMapTask, decodeAndMap } from './decode-map-task.ts';
import type { MapContext, RawBatch } from './stages.ts';

/** What one request's decode stage needs besides its body. */
export interface DecodeMapJob {
  context: MapContext;
  /** The project's redaction rules, applied between decode and map. */
  rules: RedactionRules;
  /** The project's enabled forwarding destinations: a body is encoded for each (none when []). */
  forward: ForwardTarget[];
}

export interface DecodeMapStage {
  run(raw: RawBatch, job: DecodeMapJob): Promise<DecodeMapResult>;
  /** null when decoding runs inline. */
  stats(): WorkerPoolStats | null;
  close(): Promise<void>;
}

export function inlineDecodeMap(limits: Partial<MappingLimits> = {}): DecodeMapStage {
  return {
    run: async (raw, job) =>
      decodeAndMap({ signal: raw.signal, encoding: raw.encoding, body: raw.body, limits, ...job }),
    stats: () => null,
    close: async () => undefined,
  };
}

const WORKER_MODULE = new URL(`./decode-map-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** Whether the body owns its whole ArrayBuffer, so transferring it detaches nothing else. */
function ownsBuffer(body: Uint8Array): boolean {
  return body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer;
}

export function workerDecodeMap(
  limits: Partial<MappingLimits>,
  workers: number,
  module: URL = WORKER_MODULE,
): DecodeMapStage {
  const pool = createWorkerPool<DecodeMapTask, DecodeMapResult>(module, workers, { name: 'decode worker' });
  return {
    run(raw, job) {
      // A body sharing its memory (a small pooled Buffer) is copied; a body read by read-body.ts is transferred.
      const body = ownsBuffer(raw.body) ? raw.body : new Uint8Array(raw.body);
      const task = { signal: raw.signal, encoding: raw.encoding, body, limits, ...job };
      return pool.run(task, [body.buffer as ArrayBuffer]);
    },
    stats: () => pool.stats(),
    close: () => pool.close(),
  };
}
