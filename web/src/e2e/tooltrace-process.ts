/** Runs the real `tooltrace start` (store, collector, query API, built UI, demo traffic) for end-to-end tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(REPO_ROOT, 'cli/bin/tooltrace.js');
const WEB_DIST_INDEX = path.join(REPO_ROOT, 'web/dist/index.html');

export interface RunningTooltrace {
  /** The UI link as printed, with `#readKey=`. */
  uiLink: string;
  /** The UI origin, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  readKey: string;
  ingestKey: string;
  /** The store's directory, for `tooltrace project …` run beside it. */
  dataDir: string;
  /** The collector's base URL, e.g. `http://127.0.0.1:4318`. */
  collectorUrl: string;
  lines: string[];
  /** GET on the query API with the read key, for tests to find data to look at. */
  api<T>(pathAndQuery: string): Promise<T>;
  stop(): Promise<void>;
}

/** Starts `tooltrace start` on ephemeral ports with a fresh data dir and waits for the demo to finish. */
export async function startTooltrace(): Promise<RunningTooltrace> {
  if (!existsSync(WEB_DIST_INDEX)) {
    throw new Error(
      `the UI is not built (${WEB_DIST_INDEX} is missing): run \`npm run build -w @tooltrace/web\` first`,
    );
  }
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tooltrace-web-e2e-'));
  const child = spawn(process.execPath, [BIN, 'start'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      TOOLTRACE_DATA_DIR: dataDir,
      TOOLTRACE_COLLECTOR_PORT: '0',
      TOOLTRACE_GRPC_PORT: '0',
      TOOLTRACE_API_PORT: '0',
      TOOLTRACE_DEMO: 'on',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk) => {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      lines.push(...parts);
      if (parts.some((line) => /^demo {7}done:/.test(line))) resolve();
    });
    child.once('exit', (code) =>
      reject(
        new Error(`tooltrace start exited with ${code} before the demo finished:\n${stderr}\n${lines.join('\n')}`),
      ),
    );
  });

  const field = (name: string) => {
    const line = lines.find((l) => l.startsWith(name));
    if (!line) throw new Error(`tooltrace start printed no "${name}" line:\n${lines.join('\n')}`);
    return line.slice(name.length).trim();
  };
  const uiLink = field('ui');
  const readKey = field('read key');
  const origin = new URL(uiLink).origin;

  return {
    uiLink,
    origin,
    readKey,
    ingestKey: field('ingest key'),
    dataDir,
    collectorUrl: field('collector'),
    lines,
    async api<T>(pathAndQuery: string): Promise<T> {
      const response = await fetch(`${origin}/api/v1${pathAndQuery}`, {
        headers: { Authorization: `Bearer ${readKey}` },
      });
      if (!response.ok) throw new Error(`GET ${pathAndQuery} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    },
    stop: () => stopChild(child, dataDir),
  };
}

async function stopChild(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    // A process that does not shut down on SIGTERM is killed rather than left behind.
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(force);
  }
  await fs.rm(dataDir, { recursive: true, force: true });
}
