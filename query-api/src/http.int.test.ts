/** The HTTP surface: auth, rate limit, error shape, security headers, the web UI, and the OpenAPI document. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validate } from '@readme/openapi-parser';
import { DEFAULT_AUTH_THROTTLE } from '@tooltrace/conventions';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CursorSigner } from './cursor.ts';
import { KeySessions } from './key-sessions.ts';
import { DEFAULT_LIVE_FEED_OPTIONS, StreamSlots } from './live-feed.ts';
import { DEFAULT_RATE_LIMIT } from './rate-limit.ts';
import { createRoutes } from './routes/index.ts';
import { newTraceId } from './testing/fixtures.ts';
import { startTestApi, type TestApi } from './testing/harness.ts';
import { schemaValuesOf } from './testing/openapi-defaults.ts';

const BIG_ASSET = 'export const rows = [];\n'.repeat(2000);

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  return { status: response.status, ...body.error };
}

describe('authentication', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t?.close());

  it.each([
    ['no Authorization header', null, {}, 'unauthorized', 'missing Authorization header'],
    ['another scheme', null, { authorization: 'Basic dXNlcjpwYXNz' }, 'unauthorized', 'Bearer <read key>'],
    ['an unknown key', 'tt_read_0000000000000000', {}, 'unauthorized', 'unknown or revoked key'],
  ])('when the request has %s, then it is a 401 with WWW-Authenticate', async (_name, key, headers, code, message) => {
    const response = await t.call('/api/v1/tool-calls', { key, headers });
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await errorOf(response)).toMatchObject({ status: 401, code, message: expect.stringContaining(message) });
  });

  it("when the project's ingest key is used, then it is a 401 saying a read key is needed", async () => {
    const response = await t.call('/api/v1/tool-calls', { key: t.a.ingestKey });
    expect(await errorOf(response)).toMatchObject({
      status: 401,
      code: 'wrong_key_role',
      message: expect.stringContaining('read key'),
    });
  });

  it('when the read key is used on a route that changes settings, then it is a 403 naming the admin key; the admin key passes', async () => {
    const put = (key: string) =>
      t.call('/api/v1/project/retention', {
        method: 'PUT',
        key,
        headers: { 'content-type': 'application/json' },
        body: '{"plan":"pro"}',
      });
    expect(await errorOf(await put(t.a.readKey))).toEqual({
      status: 403,
      code: 'admin_key_required',
      message: expect.stringMatching(/PUT \/api\/v1\/project\/retention needs the project's admin key \(tt_admin_…\)/),
    });
    expect((await put(t.a.adminKey)).status).toBe(200);
    // An ingest key is still a 401: it does not identify a reader at all.
    expect((await put(t.a.ingestKey)).status).toBe(401);
  });

  it('when the read key is used, then the request succeeds', async () => {
    expect((await t.call('/api/v1/tool-calls')).status).toBe(200);
  });

  it('when calling /health or the OpenAPI document, then no key is needed', async () => {
    const health = await t.call('/health', { key: null });
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await t.call('/api/v1/openapi.json', { key: null })).status).toBe(200);
  });
});

describe('rate limit', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ rateLimit: { limit: 3, windowMs: 60_000 } });
  });
  afterAll(() => t?.close());

  it('when a key exceeds its limit, then it gets 429 in the error shape while another key is unaffected', async () => {
    for (let i = 0; i < 3; i += 1) expect((await t.call('/api/v1/tool-calls')).status).toBe(200);
    const limited = await t.call('/api/v1/tool-calls');
    expect(limited.headers.get('ratelimit-policy')).toContain('3');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await errorOf(limited)).toMatchObject({ status: 429, code: 'rate_limited' });
    expect((await t.call('/api/v1/tool-calls', { key: t.b.readKey })).status).toBe(200);
  });
});

describe('failed authentication throttle (per client address)', () => {
  let t: TestApi;
  beforeAll(async () => {
    // The per-key limiter stays on, as in production: random keys each get their own bucket, so only the
    // per-address throttle can catch guessing.
    t = await startTestApi({ rateLimit: DEFAULT_RATE_LIMIT });
  });
  afterAll(() => t?.close());

  it('when one address sends many wrong keys, then it gets 429 with Retry-After, while a valid key from it still works', async () => {
    const statuses: number[] = [];
    let throttled: Response | undefined;
    for (let i = 0; i < DEFAULT_AUTH_THROTTLE.limit + 10; i += 1) {
      const response = await t.call('/api/v1/tool-calls', { key: `tt_read_guess${i}${Math.random().toString(36)}` });
      statuses.push(response.status);
      if (response.status === 429) throttled = response;
      else await response.arrayBuffer();
    }
    expect(statuses.slice(0, DEFAULT_AUTH_THROTTLE.limit).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(DEFAULT_AUTH_THROTTLE.limit).every((s) => s === 429)).toBe(true);
    expect(Number(throttled?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await errorOf(throttled!)).toMatchObject({ code: 'auth_throttled' });
    // A missing header counts as a failure too.
    expect((await t.call('/api/v1/tool-calls', { key: null })).status).toBe(429);
    expect((await t.call('/api/v1/tool-calls')).status).toBe(200);
    expect((await t.call('/api/v1/project/retention', { key: t.a.adminKey })).status).toBe(200);
  });
});

describe('errors and headers', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t?.close());

  it('when a path or method under /api does not exist, then it is a JSON 404', async () => {
    expect(await errorOf(await t.call('/api/v1/nothing-here'))).toMatchObject({ status: 404, code: 'not_found' });
    expect(await errorOf(await t.call('/api/v1/tool-calls', { method: 'POST' }))).toMatchObject({ status: 404 });
    expect(await errorOf(await t.call('/api/v2/tool-calls'))).toMatchObject({ status: 404 });
  });

  it('when answering, then security headers are set, CORS is off and the framework is not advertised', async () => {
    const response = await t.call('/api/v1/tool-calls', { headers: { origin: 'https://evil.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).not.toContain('upgrade-insecure-requests');
  });

  it('when the store fails, then the answer is a generic error without stack or internals', async () => {
    const broken = await startTestApi();
    try {
      await broken.store.close();
      const response = await broken.call('/api/v1/tool-calls');
      const text = await response.text();
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(JSON.parse(text)).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
      expect(text).not.toMatch(/ at |\.ts|sqlite|Error:/i);
      // An export that fails before its first row is a JSON error too, not a broken download.
      const exported = await broken.call('/api/v1/tool-calls?format=csv');
      expect(exported.status).toBeGreaterThanOrEqual(500);
      expect(exported.headers.get('content-type')).toContain('application/json');
      expect(exported.headers.get('content-disposition')).toBeNull();
    } finally {
      await broken.close();
    }
  });
});

describe('web UI', () => {
  let t: TestApi;
  let dist: string;
  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), 'tooltrace-web-dist-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(
      path.join(dist, 'index.html'),
      '<!doctype html><title>tooltrace</title><script type="module" src="/assets/index-abc123.js"></script>',
    );
    writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log("ui")');
    writeFileSync(path.join(dist, 'assets', 'big-abc123.js'), BIG_ASSET);
    t = await startTestApi({ webDistDir: dist });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it.each(['/', '/monitoring/tools', '/triggers/evt_1?status=queued'])(
    'when the browser opens %s, then index.html is served',
    async (page) => {
      const response = await t.call(page, { key: null, headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('<title>tooltrace</title>');
    },
  );

  it('when an asset is requested, then it is served with long caching; a missing one is a 404', async () => {
    const asset = await t.call('/assets/index-abc123.js', { key: null });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await t.call('/assets/missing-1.js', { key: null })).status).toBe(404);
  });

  it('when the browser accepts gzip, then assets go out compressed; a client that does not gets them plain', async () => {
    const gzipped = await t.call('/assets/big-abc123.js', { key: null, headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(await gzipped.text()).toBe(BIG_ASSET);
    const plain = await t.call('/assets/big-abc123.js', { key: null, headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(BIG_ASSET);
  });

  it('when an unknown /api path is requested, then it is a JSON 404, never the UI', async () => {
    for (const p of ['/api', '/api/', '/api/v1/unknown', '/api/whatever/deep']) {
      const response = await t.call(p, { key: null, headers: { accept: 'text/html' } });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/json');
    }
  });
});

describe('GET /api/v1/openapi.json', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t?.close());

  it('when fetched, then it is a valid OpenAPI 3.1 document', async () => {
    const document = await t.json<Record<string, unknown>>('/api/v1/openapi.json');
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect((document.info as { license?: unknown }).license).toEqual({ name: 'MIT', identifier: 'MIT' });
  });

  it('when its defaults and examples are checked against their schemas, then every one conforms', async () => {
    const document = await t.json<Record<string, unknown>>('/api/v1/openapi.json');
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const values = schemaValuesOf(document.paths);
    expect(values.length).toBeGreaterThan(3);
    const wrong = values
      .filter(({ schema, value }) => !ajv.validate(schema, value))
      .map(({ where, value }) => `${where}: ${JSON.stringify(value)}`);
    expect(wrong).toEqual([]);
    const list = (document.paths as Record<string, { get: { parameters: { name: string; schema: unknown }[] } }>)[
      '/api/v1/tool-calls'
    ]!.get;
    expect(list.parameters.find((p) => p.name === 'limit')?.schema).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 500,
      default: 50,
    });
  });

  it('when compared with the routes the app serves, then it lists every route and method', async () => {
    const document = await t.json<{ paths: Record<string, Record<string, unknown>> }>('/api/v1/openapi.json');
    const routes = createRoutes({
      store: t.store,
      cursors: new CursorSigner(),
      liveFeed: DEFAULT_LIVE_FEED_OPTIONS,
      streams: new StreamSlots(1),
      now: Date.now,
      sessions: new KeySessions(t.store),
    });
    const served = routes.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort();
    const documented = Object.entries(document.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${p}`))
      .sort();
    expect(documented).toEqual(served);
    expect(documented).toEqual(
      expect.arrayContaining([
        'GET /api/v1/tool-calls',
        'GET /api/v1/tool-calls/stream',
        'GET /api/v1/tool-calls/{traceId}',
        'GET /api/v1/trigger-events',
        'GET /api/v1/trigger-events/stream',
        'GET /api/v1/trigger-events/{eventId}',
        'GET /api/v1/traces/{traceId}',
        'GET /api/v1/facets/tool-calls',
        'GET /api/v1/facets/trigger-events',
        'GET /api/v1/histogram/tool-calls',
        'GET /api/v1/histogram/trigger-events',
        'GET /api/v1/project/retention',
        'PUT /api/v1/project/retention',
        'POST /api/v1/project/retention/preview',
        'GET /api/v1/openapi.json',
      ]),
    );
  });

  const PUT_BODIES: Record<string, string> = {
    '/api/v1/project/retention': '{"plan":"pro"}',
    '/api/v1/project/redaction': '{"keys":[],"patterns":[]}',
  };
  const POST_BODIES: Record<string, string> = {
    '/api/v1/project/retention/preview': '{"plan":"pro"}',
  };

  it('when each documented path is called, then the app has a handler for it (no "no such endpoint")', async () => {
    const document = await t.json<{ paths: Record<string, Record<string, unknown>> }>('/api/v1/openapi.json');
    for (const [template, operations] of Object.entries(document.paths)) {
      const url = template.replace('{traceId}', newTraceId()).replace('{eventId}', 'evt_missing');
      for (const method of Object.keys(operations)) {
        const controller = new AbortController();
        const response = await t.call(url, {
          method: method.toUpperCase(),
          // Writes are admin routes; a read key would (rightly) get 403 before reaching the handler.
          key: method === 'get' ? t.a.readKey : t.a.adminKey,
          signal: controller.signal,
          ...(method === 'put' ? { headers: { 'content-type': 'application/json' }, body: PUT_BODIES[url] } : {}),
          ...(method === 'post' || method === 'patch'
            ? {
                headers: { 'content-type': 'application/json' },
                body: POST_BODIES[url] ?? '{"name":"n","endpoint":"https://otlp.example.com"}',
              }
            : {}),
        });
        const text = response.headers.get('content-type')?.includes('event-stream') ? '' : await response.text();
        controller.abort();
        expect({ method, url, text }).not.toMatchObject({ text: expect.stringContaining('no such endpoint') });
        expect([200, 404]).toContain(response.status);
      }
    }
  });
});
