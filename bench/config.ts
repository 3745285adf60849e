/** The bench's settings, read once from the environment (see run.ts for the variables). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
  return value;
}

const PHASES = ['ingest', 'query', 'forward', 'overload', 'peers'];

export function configFromEnv() {
  const phases = new Set((process.env.BENCH_PHASES ?? PHASES.join(',')).split(',').map((p) => p.trim()));
  for (const p of phases)
    if (!PHASES.includes(p)) throw new Error(`BENCH_PHASES: unknown phase ${JSON.stringify(p)} (${PHASES.join(', ')})`);
  const dir = process.env.BENCH_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-bench-'));
  fs.mkdirSync(dir, { recursive: true });
  return {
    seed: intEnv('BENCH_SEED', 1, 0),
    dir,
    keepDir: process.env.BENCH_DIR !== undefined,
    ingestSpans: intEnv('BENCH_INGEST_SPANS', 100_000, 500),
    spansPerRequest: 500,
    clients: intEnv('BENCH_CLIENTS', 4, 1),
    ingestRounds: intEnv('BENCH_INGEST_ROUNDS', 3, 1),
    forwardRounds: intEnv('BENCH_FORWARD_ROUNDS', 2, 1),
    queryLogs: intEnv('BENCH_LOGS', 1_000_000, 1000),
    runs: intEnv('BENCH_RUNS', 200, 1),
    warmup: 20,
    overloadSeconds: intEnv('BENCH_OVERLOAD_SECONDS', 60, 5),
    peerRounds: intEnv('BENCH_PEER_ROUNDS', 3, 1),
    phases,
  };
}
