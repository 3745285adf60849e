/** The real `tooltrace` binary as child processes, for tests: `start` until a line appears, and one-shot commands. */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

export const BIN = path.resolve(import.meta.dirname, '../../bin/tooltrace.js');
const run = promisify(execFile);

export interface Started {
  child: ChildProcess;
  lines: string[];
  /** stderr so far: the process's JSON log lines. */
  stderr(): string;
  field(name: string): string;
}

/** Spawns `tooltrace start` (ephemeral ports unless `env` sets them) and resolves once a line matches `until`. */
export async function startTooltrace(dataDir: string, env: Record<string, string>, until: RegExp): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: {
      ...process.env,
      TOOLTRACE_DATA_DIR: dataDir,
      TOOLTRACE_COLLECTOR_PORT: '0',
      TOOLTRACE_GRPC_PORT: '0',
      TOOLTRACE_API_PORT: '0',
      ...env,
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
      if (parts.some((line) => until.test(line))) resolve();
    });
    child.once('exit', (code) => reject(new Error(`start exited with ${code}:\n${stderr}\n${lines.join('\n')}`)));
  });
  return {
    child,
    lines,
    stderr: () => stderr,
    field(name) {
      const line = lines.find((l) => l.startsWith(name));
      if (!line) throw new Error(`no "${name}" line in:\n${lines.join('\n')}`);
      return line.slice(name.length).trim();
    },
  };
}

/** Stops a started process with `signal` (SIGKILL: as a crash would) and waits for it to exit. */
export async function stopTooltrace(started: Started | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!started || started.child.exitCode !== null || started.child.signalCode !== null) return;
  const exited = new Promise((resolve) => started.child.once('exit', resolve));
  started.child.kill(signal);
  await exited;
}

/** Runs `tooltrace ARGS…` to completion. */
export async function runTooltrace(
  dataDir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, TOOLTRACE_DATA_DIR: dataDir, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** A port free right now, for a process that must come back on the same port after a restart. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
