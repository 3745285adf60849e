/**
 * The official OpenTelemetry Collector for interop tests: built once by
 * build-collector.sh (cached), run with the repository's otel-config.yaml
 * plus overrides. Every listener — OTLP receivers, health check and the
 * Collector's own metrics (8888 by default) — gets a free 127.0.0.1 port, so
 * runs never collide on a busy machine.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const here = path.dirname(new URL(import.meta.url).pathname);
export const OTEL_CONFIG_PATH = path.join(here, '..', 'otel-config.yaml');
export const ARRIVAL_DEADLINE_MS = 120_000;

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns non-null; bounded by ARRIVAL_DEADLINE_MS. */
export async function eventually<T>(what: string, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + ARRIVAL_DEADLINE_MS;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(250);
  }
}

/** Builds (or finds in the cache) the Collector distribution; returns its path. */
export async function buildCollector(): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', [path.join(here, 'build-collector.sh')], {
    timeout: 20 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.trim().split('\n').at(-1) as string;
}

export interface OtelPorts {
  http: number;
  grpc: number;
  health: number;
  metrics: number;
}

export async function freeOtelPorts(): Promise<OtelPorts> {
  return { http: await freePort(), grpc: await freePort(), health: await freePort(), metrics: await freePort() };
}

export interface OtelCollector {
  process: ChildProcess;
  output: string[];
  stop(): Promise<void>;
}

export interface OtelRun {
  binary: string;
  workDir: string;
  ports: OtelPorts;
  env: Record<string, string>;
  /** `--set` overrides beyond the listeners (e.g. `exporters::otlp_http/tooltrace::compression=zstd`). */
  sets?: string[];
  /** A YAML config merged over otel-config.yaml (e.g. a gRPC exporter and the pipelines that use it). */
  overlay?: string;
}

/** Moves the Collector's own metrics endpoint off 8888 (a list, so it takes a config file, not `--set`). */
function telemetryOverlay(metricsPort: number): string {
  return [
    'service:',
    '  telemetry:',
    '    metrics:',
    '      readers:',
    '        - pull:',
    '            exporter:',
    '              prometheus:',
    '                host: 127.0.0.1',
    `                port: ${metricsPort}`,
    '',
  ].join('\n');
}

export async function startOtel(run: OtelRun): Promise<OtelCollector> {
  const telemetryPath = path.join(run.workDir, 'otel-telemetry.yaml');
  fs.writeFileSync(telemetryPath, telemetryOverlay(run.ports.metrics));
  const configs = [`--config=${OTEL_CONFIG_PATH}`, `--config=${telemetryPath}`];
  if (run.overlay) {
    const overlayPath = path.join(run.workDir, 'otel-overlay.yaml');
    fs.writeFileSync(overlayPath, run.overlay);
    configs.push(`--config=${overlayPath}`);
  }
  const output: string[] = [];
  const child = spawn(
    run.binary,
    [
      ...configs,
      `--set=receivers::otlp::protocols::http::endpoint=127.0.0.1:${run.ports.http}`,
      `--set=receivers::otlp::protocols::grpc::endpoint=127.0.0.1:${run.ports.grpc}`,
      `--set=extensions::health_check::endpoint=127.0.0.1:${run.ports.health}`,
      ...(run.sets ?? []).map((set) => `--set=${set}`),
    ],
    {
      env: { PATH: process.env.PATH ?? '', OTELCOL_QUEUE_DIR: path.join(run.workDir, 'queue'), ...run.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await eventually('the OpenTelemetry Collector health check', async () => {
    if (child.exitCode !== null) throw new Error(`otel collector exited ${child.exitCode}:\n${output.join('')}`);
    const ok = await fetch(`http://127.0.0.1:${run.ports.health}/`).then(
      (r) => r.ok,
      () => false,
    );
    return ok ? true : null;
  });
  return {
    process: child,
    output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
