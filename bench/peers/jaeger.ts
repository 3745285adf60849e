/**
 * Jaeger v2 for the `peers` phase: built once from its Go module by
 * build-jaeger.sh (cached under ~/.cache/tooltrace), run with Badger on disk
 * and only the listeners the bench uses, each on a free 127.0.0.1 port: the
 * OTLP/HTTP receiver, the query service (HTTP for `GET /api/traces/{id}`, and
 * its gRPC port, which it always opens) and its own metrics endpoint (8888 by
 * default). `jaeger_query.enable_tracing` is off: otherwise Jaeger sends its
 * own traces to localhost:4317.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../interop/otel-collector.ts';

const BUILD_SCRIPT = fileURLToPath(new URL('./build-jaeger.sh', import.meta.url));
/** Module tag of Jaeger v2.13.0 (Jaeger's v2 binaries are tagged v1.x in the Go module). */
export const JAEGER_MODULE_VERSION = 'v1.76.0';
const START_DEADLINE_MS = 60_000;

export type JaegerBuild = { binary: string } | { skipped: string };

/** The cached binary, or builds it (minutes) showing progress on stderr; `skipped` when Go is missing. */
export async function buildJaeger(): Promise<JaegerBuild> {
  const hasGo = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
  const cached = path.join(
    process.env.TOOLTRACE_CACHE_DIR ?? path.join(process.env.HOME ?? '/tmp', '.cache', 'tooltrace'),
    `jaeger-${JAEGER_MODULE_VERSION}`,
    'jaeger',
  );
  if (!hasGo && !fs.existsSync(cached)) return { skipped: 'go is not installed (Jaeger v2 is built from Go modules)' };
  const child = spawn('bash', [BUILD_SCRIPT], {
    env: { ...process.env, JAEGER_MODULE_VERSION },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let lines = 0;
  let tail = '';
  const started = performance.now();
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    const text = d.toString();
    lines += text.split('\n').length - 1;
    tail = (tail + text).slice(-2000);
    // `go build -v` names each package as it compiles it: one line per package.
    for (const line of text.split('\n')) if (line.startsWith('build-jaeger:')) process.stderr.write(`${line}\n`);
  });
  const ticker = setInterval(() => {
    const s = ((performance.now() - started) / 1000).toFixed(0);
    process.stderr.write(`building Jaeger ${JAEGER_MODULE_VERSION}: ${lines} packages/lines of go output, ${s} s\n`);
  }, 15_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(ticker);
  if (code === 2) return { skipped: 'go is not installed (Jaeger v2 is built from Go modules)' };
  if (code !== 0) throw new Error(`building Jaeger failed (exit ${code}):\n${tail}`);
  const binary = stdout.trim().split('\n').at(-1) ?? '';
  if (!fs.existsSync(binary)) throw new Error(`build-jaeger.sh printed no binary (${JSON.stringify(binary)})`);
  return { binary };
}

interface JaegerPorts {
  otlpHttp: number;
  queryHttp: number;
  queryGrpc: number;
  metrics: number;
}

/** Jaeger's own Badger example (cmd/jaeger/config-badger.yaml) cut to what the bench uses, on free ports. */
export function jaegerConfig(ports: JaegerPorts, badgerDir: string): string {
  return `service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    resource:
      service.name: jaeger
    metrics:
      level: normal
      readers:
        - pull:
            exporter:
              prometheus:
                host: 127.0.0.1
                port: ${ports.metrics}
    logs:
      level: warn
extensions:
  jaeger_query:
    enable_tracing: false
    storage:
      traces: bench_store
    http:
      endpoint: 127.0.0.1:${ports.queryHttp}
    grpc:
      endpoint: 127.0.0.1:${ports.queryGrpc}
  jaeger_storage:
    backends:
      bench_store:
        badger:
          directories:
            keys: ${JSON.stringify(path.join(badgerDir, 'keys'))}
            values: ${JSON.stringify(path.join(badgerDir, 'values'))}
          ephemeral: false
          ttl:
            spans: 48h
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${ports.otlpHttp}
processors:
  batch:
exporters:
  jaeger_storage_exporter:
    trace_storage: bench_store
`;
}

export interface Jaeger {
  pid: number;
  otlpUrl: string;
  queryUrl: string;
  metricsUrl: string;
  output: string[];
  stop(): Promise<void>;
}

export async function startJaeger(binary: string, workDir: string): Promise<Jaeger> {
  const ports = {
    otlpHttp: await freePort(),
    queryHttp: await freePort(),
    queryGrpc: await freePort(),
    metrics: await freePort(),
  };
  fs.mkdirSync(workDir, { recursive: true });
  const configPath = path.join(workDir, 'jaeger.yaml');
  fs.writeFileSync(configPath, jaegerConfig(ports, path.join(workDir, 'badger')));
  const output: string[] = [];
  const child: ChildProcess = spawn(binary, [`--config=${configPath}`], {
    cwd: workDir,
    env: { PATH: process.env.PATH ?? '', HOME: workDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d: Buffer) => {
    output.push(d.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const jaeger: Jaeger = {
    pid: child.pid ?? 0,
    otlpUrl: `http://127.0.0.1:${ports.otlpHttp}`,
    queryUrl: `http://127.0.0.1:${ports.queryHttp}`,
    metricsUrl: `http://127.0.0.1:${ports.metrics}/metrics`,
    output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  try {
    // Ready when the query service answers and the OTLP receiver takes an empty export request.
    const deadline = Date.now() + START_DEADLINE_MS;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`jaeger exited ${child.exitCode}:\n${output.join('')}`);
      const ok = await Promise.all([
        fetch(`${jaeger.queryUrl}/api/services`).then(
          (r) => r.ok,
          () => false,
        ),
        fetch(`${jaeger.otlpUrl}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf' },
          body: new Uint8Array(0),
        }).then(
          (r) => r.ok,
          () => false,
        ),
      ]);
      if (ok.every(Boolean)) return jaeger;
      if (Date.now() > deadline) throw new Error(`jaeger not ready after ${START_DEADLINE_MS} ms:\n${output.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    await jaeger.stop();
    throw error;
  }
}

/**
 * Spans the storage exporter has written (its own counter, which appears with
 * the first export: 0 until then), or null if the metrics endpoint does not answer.
 */
export async function jaegerSpansWritten(jaeger: Jaeger): Promise<number | null> {
  const text = await fetch(jaeger.metricsUrl).then(
    (r) => (r.ok ? r.text() : null),
    () => null,
  );
  if (text === null) return null;
  const line = text
    .split('\n')
    .find((l) => l.startsWith('otelcol_exporter_sent_spans') && l.includes('exporter="jaeger_storage_exporter"'));
  return line ? Number(line.trim().split(/\s+/).at(-1)) : 0;
}
