/**
 * Provider requests made with node's own `http`/`https` clients under `init()`:
 * the error body is recorded on the provider_request span (capped, redacted)
 * without being taken from the application, which still reads all of it.
 * Real local providers (an HTTP server, and an HTTPS one with a certificate
 * made by `openssl` for the test, skipped with a notice where there is no
 * openssl), the official exporters, a real collector and a real SQLite store.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type LogEntry, toTraceId } from '@tooltrace/conventions';
import { init, traceToolCall } from '@tooltrace/instrumentation';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorHarness, startCollectorHarness } from './testing/collector-harness.ts';

const SECRET = 'xoxb-LEAK-789';
const ERROR_BODY = JSON.stringify({ ok: false, error: 'missing_scope', access_token: SECRET, needed: 'chat:write' });

/** A self-signed certificate for 127.0.0.1, or null where openssl is missing. */
function selfSignedCertificate(): { key: string; cert: string } | null {
  const dir = mkdtempSync(path.join(tmpdir(), 'tooltrace-cert-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'].concat(
        ['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
        ['-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
      ),
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const require = createRequire(import.meta.url);
const certificate = selfSignedCertificate();
if (!certificate) console.warn('openssl not found: the https case of sdk-http-client.int.test.ts is skipped');

type Answer = { status: number; body: string | Buffer; headers?: Record<string, string> };
type Provider = { url: string; close(): Promise<void> };

function listen(server: http.Server, scheme: 'http' | 'https'): Promise<Provider> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    ),
  );
}

function answering(answer: Answer): http.RequestListener {
  return (_req, res) => {
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body);
  };
}

/** What the application reads through the node client: status and the whole body. */
function get(client: typeof http | typeof https, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = client.get(url, certificate ? { ca: certificate.cert } : {}, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const raw = Buffer.concat(chunks);
        const gzipped = response.headers['content-encoding'] === 'gzip';
        resolve({
          status: response.statusCode ?? 0,
          body: (gzipped ? gunzipSync(raw) : raw).toString('utf8'),
        });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** Error bodies are cut at this size (small, so one case can show the cut). */
const MAX_BODY_BYTES = 1_000;

let h: CollectorHarness;
let handle: ReturnType<typeof init>;
let clients: { http: typeof http; https: typeof https };
const cleanups: Array<() => Promise<void>> = [];
beforeAll(async () => {
  h = await startCollectorHarness();
  // One SDK for the file: node caches its instrumented built-in modules, so a second init() in the same
  // process would find `http` already loaded and leave it unpatched.
  handle = init({
    serviceName: 'http-client-test',
    endpoint: h.collectorUrl,
    apiKey: h.ingestKey,
    maxResponseBodyBytes: MAX_BODY_BYTES,
  });
  // Required after init(), as an app or HTTP library loaded after it does (a module loaded before init()
  // is instrumented only with `--import …/register`).
  clients = { http: require('http'), https: require('https') };
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await handle?.shutdown();
  await h?.close();
});

/** One tool call making one request with node's client for the URL's scheme; the stored provider_request span log and what the app read. */
async function callThrough(url: string) {
  const client = url.startsWith('https:') ? clients.https : clients.http;
  let read: { status: number; body: string } | undefined;
  const { requestId } = await traceToolCall(
    { type: 'run_tool', toolName: 'SLACK_SEND_MESSAGE', userId: 'u-1' },
    async () => {
      read = await get(client, `${url}/api/chat.postMessage`);
    },
  );
  await handle.forceFlush();
  const trace = await h.store.getTrace(h.projectId, toTraceId(requestId!));
  const span = trace?.logs.find((log) => log.kind === 'provider_request' && log.source === 'span') as
    | LogEntry
    | undefined;
  return { read: read!, span };
}

describe('provider requests through node:http and node:https', () => {
  it('when an http provider answers 403 with a JSON body, then the stored span has it redacted and the app still reads all of it', async () => {
    const provider = await listen(http.createServer(answering({ status: 403, body: ERROR_BODY })), 'http');
    cleanups.push(() => provider.close());
    const { read, span } = await callThrough(provider.url);

    expect(read).toEqual({ status: 403, body: ERROR_BODY });
    expect(span).toMatchObject({
      level: 'error',
      attributes: expect.objectContaining({ 'http.response.status_code': 403 }),
    });
    expect(JSON.parse(span?.body ?? '{}')).toMatchObject({ ok: false, error: 'missing_scope', needed: 'chat:write' });
    expect(JSON.stringify(span)).not.toContain(SECRET);
  });

  it.skipIf(!certificate)(
    'when an https provider answers 401 with a JSON body, then the stored span has it, redacted',
    async () => {
      const server = https.createServer(certificate!, answering({ status: 401, body: ERROR_BODY }));
      const provider = await listen(server, 'https');
      cleanups.push(() => provider.close());
      const { read, span } = await callThrough(provider.url);

      expect(read).toEqual({ status: 401, body: ERROR_BODY });
      expect(span?.level).toBe('error');
      expect(JSON.parse(span?.body ?? '{}')).toMatchObject({ error: 'missing_scope' });
      expect(JSON.stringify(span)).not.toContain(SECRET);
    },
  );

  it('when the error body is gzipped and larger than the cap, then the stored body is the decoded start, marked cut, and the app gets every byte', async () => {
    const big = JSON.stringify({ error: 'rate_limited', padding: 'p'.repeat(200_000) });
    const provider = await listen(
      http.createServer(answering({ status: 429, body: gzipSync(big), headers: { 'content-encoding': 'gzip' } })),
      'http',
    );
    cleanups.push(() => provider.close());
    const { read, span } = await callThrough(provider.url);

    expect(read.body).toBe(big);
    expect(span?.body?.startsWith('{"error":"rate_limited","padding":"ppp')).toBe(true);
    expect(span?.body).toMatch(/…\[truncated/);
    expect(span?.body?.length).toBeLessThan(MAX_BODY_BYTES + 100);
  });

  it('when the provider answers 200, then no body is recorded', async () => {
    const provider = await listen(
      http.createServer(answering({ status: 200, body: '{"ok":true,"ts":"SUCCESS-1"}' })),
      'http',
    );
    cleanups.push(() => provider.close());
    const { read, span } = await callThrough(provider.url);

    expect(read.body).toContain('SUCCESS-1');
    expect(span).toMatchObject({ level: 'info', body: null });
    expect(JSON.stringify(span)).not.toContain('SUCCESS-1');
  });
});
