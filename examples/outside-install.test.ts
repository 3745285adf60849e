/**
 * The user's path, outside this repository: pack the packages, `npm install` them into a fresh
 * project, run `tooltrace start` and the Express example on plain node (both with `init()` in code and
 * with `--import @tooltrace/instrumentation/register`), run the Python agent on plain OpenTelemetry
 * (where python3 exists; over OTLP/HTTP and once over OTLP/gRPC), and check through the query API what a user would look at.
 * `npm run test:outside` (`.ci/outside-install.sh`); minutes, most of it `npm install` building better-sqlite3.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { LogEntry, ToolCall } from '@tooltrace/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOutsideProject,
  eventually,
  packWorkspaces,
  REPO_ROOT,
  type RunningServer,
  runJson,
  startInstalledTooltrace,
} from './testing/outside-project.ts';

interface CallSeen {
  name: string;
  status: number;
  requestId: string | null;
  body: { meta?: { requestId?: string; traceUrl?: string } };
}

let workDir: string;
let projectDir: string;
let server: RunningServer;

async function api<T>(pathAndQuery: string): Promise<T> {
  const response = await fetch(`${server.apiUrl}/api/v1${pathAndQuery}`, {
    headers: { authorization: `Bearer ${server.readKey}` },
  });
  if (!response.ok) throw new Error(`GET ${pathAndQuery} → ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const callsOf = (userId: string) =>
  api<{ items: ToolCall[] }>(`/tool-calls?userId=${encodeURIComponent(userId)}`).then((page) => page.items);
const traceOf = (traceId: string) => api<{ toolCalls: ToolCall[]; logs: LogEntry[] }>(`/tool-calls/${traceId}`);
const bodiesIn = (logs: LogEntry[]) => logs.filter((log) => log.body !== null).map((log) => log.body);

beforeAll(async () => {
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tooltrace-packs-'));
  // TOOLTRACE_OUTSIDE_PROJECT=<dir> reuses an install kept from an earlier run (iterating on this test).
  const kept = process.env.TOOLTRACE_OUTSIDE_PROJECT;
  projectDir = kept ?? (await createOutsideProject(await packWorkspaces(workDir)));
  server = await startInstalledTooltrace(projectDir, path.join(workDir, 'data'));
}, 20 * 60_000);

afterAll(async () => {
  await server?.stop();
  if (workDir) await fs.rm(workDir, { recursive: true, force: true });
  if (projectDir && !process.env.TOOLTRACE_OUTSIDE_PROJECT) await fs.rm(projectDir, { recursive: true, force: true });
});

describe('installed from packed tarballs, outside the repository', () => {
  it('when the install is inspected, then nothing in it runs TypeScript or reaches back into the repository', async () => {
    const installed = path.join(projectDir, 'node_modules');
    for (const name of ['tooltrace', '@tooltrace/instrumentation', '@tooltrace/conventions']) {
      const dir = await fs.realpath(path.join(installed, name));
      expect(dir.startsWith(REPO_ROOT)).toBe(false);
      const manifest = JSON.parse(await fs.readFile(path.join(dir, 'package.json'), 'utf8')) as {
        exports?: Record<string, { default?: string; types?: string }>;
        bin?: Record<string, string>;
      };
      // What Node and TypeScript resolve by default is the build, and it is there.
      const targets = [
        ...Object.values(manifest.exports ?? {}).flatMap((entry) => [entry.default, entry.types]),
        ...Object.values(manifest.bin ?? {}),
      ].filter((target): target is string => target !== undefined);
      expect(targets.length).toBeGreaterThan(0);
      for (const target of targets) {
        expect(target).toMatch(/\.(js|d\.ts)$/);
        await fs.access(path.join(dir, target));
      }
      await expect(fs.access(path.join(dir, 'src'))).rejects.toThrow();
    }
    await expect(fs.access(path.join(installed, 'tsx'))).rejects.toThrow();
    const ui = await fetch(`${server.apiUrl}/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('<div id="root">');
  });

  it('when the Express example runs with init() in code, then its calls, error body and trigger pipeline are in the API', async () => {
    const seen = await runJson<{ calls: CallSeen[]; eventId: string }>(process.execPath, ['main-sdk.js'], projectDir, {
      OTEL_EXPORTER_OTLP_ENDPOINT: server.collectorUrl,
      TOOLTRACE_INGEST_KEY: server.ingestKey,
      TOOLTRACE_UI_URL: server.apiUrl,
      EXAMPLE_USER_ID: 'user-sdk',
    });
    expect(seen.calls.map((c) => c.status)).toEqual([200, 200, 500]);
    const failed = seen.calls[2]!;
    expect(failed.body.meta?.requestId).toBe(failed.requestId);
    expect(failed.body.meta?.traceUrl).toBe(`${server.apiUrl}/traces/${failed.requestId}`);

    const calls = await eventually(
      'three calls of user-sdk',
      () => callsOf('user-sdk'),
      (c) => c.length === 3,
    );
    expect(calls.map((c) => [c.type, c.toolName, c.status]).sort()).toEqual(
      [
        ['list_tools', null, 'success'],
        ['run_tool', 'SLACK_SEND_MESSAGE', 'error'],
        ['run_tool', 'SLACK_SEND_MESSAGE', 'success'],
      ].sort(),
    );
    const trace = await traceOf(failed.requestId!);
    expect(trace.toolCalls[0]).toMatchObject({ requestId: failed.requestId, errorCode: '41070', userId: 'user-sdk' });
    expect(bodiesIn(trace.logs).join()).toContain('not_in_channel');
    const ok = calls.find((c) => c.status === 'success' && c.type === 'run_tool')!;
    expect(bodiesIn((await traceOf(ok.requestId)).logs)).toEqual([]);

    const event = await eventually(
      'the trigger event with its two deliveries',
      () => api<{ event: { status: string }; deliveries: { status: string }[] }>(`/trigger-events/${seen.eventId}`),
      (e) => e.deliveries.length === 2,
    );
    expect(event.event.status).toBe('delivery_failures');
    expect(event.deliveries.map((d) => d.status).sort()).toEqual(['failed', 'succeeded']);
  });

  it('when the Express example runs under --import …/register with no SDK code, then the declared routes are tool calls', async () => {
    const seen = await runJson<{ calls: CallSeen[] }>(
      process.execPath,
      ['--import', '@tooltrace/instrumentation/register', 'main-register.js'],
      projectDir,
      {
        OTEL_SERVICE_NAME: 'express-service',
        OTEL_EXPORTER_OTLP_ENDPOINT: server.collectorUrl,
        TOOLTRACE_INGEST_KEY: server.ingestKey,
        TOOLTRACE_TOOL_ROUTES: await fs.readFile(path.join(projectDir, 'tool-routes.json'), 'utf8'),
        EXAMPLE_USER_ID: 'user-register',
      },
    );
    expect(seen.calls.map((c) => c.status)).toEqual([200, 200, 500]);
    for (const call of seen.calls) expect(call.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);

    const calls = await eventually(
      'three calls of user-register',
      () => callsOf('user-register'),
      (c) => c.length === 3,
    );
    const failed = calls.find((c) => c.status === 'error')!;
    expect(failed).toMatchObject({ toolName: 'SLACK_SEND_MESSAGE', integration: 'slack', httpStatus: 500 });
    expect(failed.requestId).toBe(seen.calls[2]!.requestId);
    const trace = await traceOf(failed.requestId);
    const provider = trace.logs.find((log) => log.kind === 'provider_request')!;
    expect(provider.body).toContain('not_in_channel');
  });

  it('when the Python agent sends with plain OpenTelemetry, then its tool calls, users and bodies are right', async (context) => {
    let python: string;
    try {
      const venv = path.join(REPO_ROOT, 'examples/python-agent/venv.sh');
      python = (await promisify(execFile)(venv, [], { maxBuffer: 16 * 1024 * 1024 })).stdout.trim();
    } catch (error) {
      if ((error as { code?: number }).code === 3) {
        console.warn('python3 not found: skipping the Python agent example');
        context.skip();
      }
      throw error;
    }
    const sent = await runJson<Record<'agent' | 'mcp' | 'tooltrace' | 'failing' | 'grpc', string>>(
      python,
      [path.join(REPO_ROOT, 'examples/python-agent/agent.py')],
      projectDir,
      {
        TOOLTRACE_ENDPOINT: server.collectorUrl,
        TOOLTRACE_GRPC_ENDPOINT: server.grpcAddress,
        TOOLTRACE_INGEST_KEY: server.ingestKey,
        EXAMPLE_USER_ID: 'py-user',
      },
    );
    const calls = await eventually(
      'six calls of py-user',
      () => callsOf('py-user'),
      (c) => c.length === 6,
    );
    expect(calls.map((c) => `${c.toolName}:${c.status}`).sort()).toEqual([
      'GITHUB_CREATE_ISSUE:success',
      'GITHUB_LIST_ISSUES:error',
      'get_forecast:success',
      'get_weather:success',
      'get_weather:success',
      'lookup_order:success',
    ]);
    // The one sent over OTLP/gRPC landed in its own trace.
    expect((await traceOf(sent.grpc)).toolCalls.map((c) => c.toolName)).toEqual(['lookup_order']);
    // The two execute_tool spans carry no user: it comes from the invoke_agent span's enduser.id.
    const agentTrace = await traceOf(sent.agent);
    expect(agentTrace.toolCalls.map((c) => c.userId)).toEqual(['py-user', 'py-user']);
    expect(bodiesIn((await traceOf(sent.tooltrace)).logs)).toEqual([]);
    expect(bodiesIn((await traceOf(sent.failing)).logs).join()).toContain('API rate limit exceeded');
  });
});
