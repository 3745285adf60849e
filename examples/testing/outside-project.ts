/**
 * A fresh project outside this repository, as a user would make it: the packages packed with
 * `npm pack`, installed with plain `npm install`, run on plain `node` (no tsx, no TypeScript).
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const PACKED_WORKSPACES = ['conventions', 'store', 'collector', 'instrumentation', 'query-api', 'web', 'cli'];

/** Packs every published workspace (their prepack builds them) into `destination`; returns the tarball paths. */
export async function packWorkspaces(destination: string): Promise<string[]> {
  const args = ['pack', ...PACKED_WORKSPACES.flatMap((w) => ['-w', w]), '--pack-destination', destination];
  // stdout also carries the prepack builds' output: the tarballs are what lands in the (fresh) destination.
  await run('npm', args, { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
  const tarballs = (await fs.readdir(destination)).filter((file) => file.endsWith('.tgz'));
  if (tarballs.length !== PACKED_WORKSPACES.length) throw new Error(`npm pack made ${tarballs.join(', ')}`);
  return tarballs.map((file) => path.join(destination, file));
}

/** A temp project (outside the repo) depending on the tarballs, with the Express example's files. */
export async function createOutsideProject(tarballs: string[]): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tooltrace-outside-'));
  if (path.resolve(dir).startsWith(`${REPO_ROOT}${path.sep}`)) throw new Error(`${dir} is inside the repository`);
  const example = path.join(REPO_ROOT, 'examples/express-service');
  const manifest = JSON.parse(await fs.readFile(path.join(example, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const dependencies: Record<string, string> = { ...manifest.dependencies };
  for (const tarball of tarballs) dependencies[await packageNameOf(tarball)] = `file:${tarball}`;
  await fs.writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'outside', private: true, type: 'module', dependencies }, null, 2),
  );
  for (const file of await fs.readdir(example)) {
    if (file.endsWith('.js') || file.endsWith('.json')) {
      if (file !== 'package.json') await fs.copyFile(path.join(example, file), path.join(dir, file));
    }
  }
  await run('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  return dir;
}

async function packageNameOf(tarball: string): Promise<string> {
  const { stdout } = await run('tar', ['-xOzf', tarball, 'package/package.json']);
  return (JSON.parse(stdout) as { name: string }).name;
}

export interface RunningServer {
  collectorUrl: string;
  /** The OTLP/gRPC listener, `host:port`. */
  grpcAddress: string;
  apiUrl: string;
  ingestKey: string;
  readKey: string;
  output: string[];
  stop(): Promise<void>;
}

/**
 * `tooltrace start` from the install's own bin, on ephemeral ports, without demo traffic; then a
 * project made with `tooltrace project create` on the same data dir, as a user would.
 */
export async function startInstalledTooltrace(projectDir: string, dataDir: string): Promise<RunningServer> {
  const bin = path.join(projectDir, 'node_modules/.bin/tooltrace');
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TOOLTRACE_DATA_DIR: dataDir,
    TOOLTRACE_COLLECTOR_PORT: '0',
    TOOLTRACE_GRPC_PORT: '0',
    TOOLTRACE_API_PORT: '0',
    TOOLTRACE_DEMO: 'off',
  };
  const child = spawn(bin, ['start'], { cwd: projectDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<Record<string, string>>((resolve, reject) => {
    const fields: Record<string, string> = {};
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        output.push(line);
        const match = /^(collector|grpc|ui|data) +(\S+)/.exec(line);
        if (match) fields[match[1]!] = match[2]!;
        if (fields.data) resolve(fields);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    void exited.then(() => reject(new Error(`tooltrace start exited:\n${output.join('\n')}`)));
  });
  const fields = await ready;
  const created = await run(bin, ['project', 'create', '--name', 'outside', '--plan', 'pro', '--json'], {
    cwd: projectDir,
    env,
  });
  const keys = JSON.parse(created.stdout) as { ingestKey: string; readKey: string };
  return {
    collectorUrl: fields.collector!,
    grpcAddress: fields.grpc!,
    apiUrl: new URL(fields.ui!).origin,
    ingestKey: keys.ingestKey,
    readKey: keys.readKey,
    output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs a program to completion and parses the JSON of its last stdout line. */
export async function runJson<T>(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<T> {
  const { stdout } = await run(file, args, { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as T;
}

/** Polls `read` until `done` holds of its value, at most `attempts` times. */
export async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let last: T | undefined;
  for (let attempt = 0; attempt < 60; attempt += 1) {
    last = await read();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${what}: not reached after 60 polls; last value ${JSON.stringify(last)?.slice(0, 2000)}`);
}
