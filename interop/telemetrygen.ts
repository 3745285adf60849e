/**
 * telemetrygen (OpenTelemetry Collector contrib, Go SDK exporters): a sender
 * nobody here wrote. Installed once with `go install` at a pinned release into
 * ~/.cache/tooltrace (override the root with TOOLTRACE_CACHE_DIR), built with
 * `nice` to stay polite on two shared cores.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const TELEMETRYGEN_VERSION = 'v0.161.0';
const run = promisify(execFile);

export async function installTelemetrygen(): Promise<string> {
  const root = process.env.TOOLTRACE_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'tooltrace');
  const bin = path.join(root, `telemetrygen-${TELEMETRYGEN_VERSION}`);
  const binary = path.join(bin, 'telemetrygen');
  if (!fs.existsSync(binary)) {
    fs.mkdirSync(bin, { recursive: true });
    await run(
      'nice',
      [
        '-n',
        '10',
        'go',
        'install',
        `github.com/open-telemetry/opentelemetry-collector-contrib/cmd/telemetrygen@${TELEMETRYGEN_VERSION}`,
      ],
      { env: { ...process.env, GOBIN: bin }, timeout: 20 * 60_000, maxBuffer: 64 * 1024 * 1024 },
    );
  }
  return binary;
}

export interface TelemetrygenRun {
  binary: string;
  protocol: 'grpc' | 'http';
  /** host:port */
  endpoint: string;
  ingestKey: string;
  traces: number;
  /** Span attributes, `key=value` (values are strings). */
  attributes: Record<string, string>;
  serviceName: string;
}

/** Sends `traces` traces and resolves with telemetrygen's output; rejects when it exits non-zero. */
export async function sendTraces(options: TelemetrygenRun): Promise<string> {
  const args = [
    'traces',
    ...(options.protocol === 'http' ? ['--otlp-http'] : []),
    '--otlp-insecure',
    '--otlp-endpoint',
    options.endpoint,
    '--otlp-header',
    `authorization="Bearer ${options.ingestKey}"`,
    '--traces',
    String(options.traces),
    '--child-spans',
    '0',
    '--service',
    options.serviceName,
    ...Object.entries(options.attributes).flatMap(([key, value]) => ['--telemetry-attributes', `${key}="${value}"`]),
  ];
  const { stdout, stderr } = await run(options.binary, args, { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
  return `${stdout}${stderr}`;
}
