/** Parent side of `bench/server-child.ts`: start, read RSS, stop. */
import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SOURCE_NODE_ARGS } from '../../source-conditions.ts';

/**
 * The child script is TypeScript (tsx runs it), but without the source condition its imports of our packages
 * resolve to their build (`dist/`), so the servers and their worker threads run what ships (`npm run bench`
 * builds first, bench/run.ts). The tests' children stay on sources.
 */
const BUILD_NODE_ARGS = ['--import', 'tsx'];

import type { ChildMessage, ChildMode } from '../server-child.ts';

const CHILD = fileURLToPath(new URL('../server-child.ts', import.meta.url));

export interface ServerChild {
  url: string;
  /** The query API's URL in `start` mode. */
  apiUrl: string | null;
  pid: number;
  rssAtReadyKb: number;
  /** Current resident set size, from /proc (Linux); null elsewhere. */
  rssKb(): number | null;
  /** Stops the server and returns the peak RSS of the child's whole life. */
  stop(): Promise<{ maxRssKb: number }>;
}

export function startServerChild(
  mode: ChildMode,
  file: string,
  env: Record<string, string> = {},
): Promise<ServerChild> {
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each server child there (open it in Chrome DevTools).
  const profileDir = process.env.BENCH_CPU_PROF;
  const child: ChildProcess = fork(CHILD, [mode, file], {
    execArgv: [
      ...(process.env.BENCH_SERVERS_FROM === 'build' ? BUILD_NODE_ARGS : SOURCE_NODE_ARGS),
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ],
    // Request logs go to the child's stdout as in production, but not into the report.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  const next = () =>
    new Promise<ChildMessage>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${mode} child exited with code ${code}`));
      child.once('exit', onExit);
      child.once('message', (message: ChildMessage) => {
        child.off('exit', onExit);
        resolve(message);
      });
    });
  return next().then((ready) => {
    if (ready.type !== 'ready') {
      child.kill();
      throw new Error(`${mode} child failed: ${ready.type === 'failed' ? ready.message : ready.type}`);
    }
    const pid = child.pid ?? 0;
    return {
      url: ready.url,
      apiUrl: ready.apiUrl,
      pid,
      rssAtReadyKb: ready.rssKb,
      rssKb: () => readRssKb(pid),
      stop: async () => {
        const stopped = next();
        child.send({ type: 'stop' });
        const message = await stopped;
        if (message.type !== 'stopped') throw new Error(`${mode} child did not stop cleanly`);
        return { maxRssKb: message.maxRssKb };
      },
    };
  });
}

function readRssKb(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}
