/**
 * Test harness: a real SQLite store in a temporary file, the real query API on
 * an ephemeral port, two projects, and a fetch helper that sends a key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteStore, type ProjectWithKeys, type Store } from '@tooltrace/store';
import { pino } from 'pino';
import { type QueryApiOptions, type RunningQueryApi, startQueryApi } from '../server.ts';

export interface TestApi {
  store: Store;
  api: RunningQueryApi;
  /** Two projects, to check that one never sees the other. */
  a: ProjectWithKeys;
  b: ProjectWithKeys;
  /** GET (or any method) on the API with a key; `key: null` sends no Authorization header. */
  call(pathAndQuery: string, init?: RequestInit & { key?: string | null }): Promise<Response>;
  /** GET with A's read key, expecting 200, returning the JSON body. */
  json<T = unknown>(pathAndQuery: string, key?: string): Promise<T>;
  close(): Promise<void>;
}

export async function startTestApi(options: Partial<QueryApiOptions> = {}): Promise<TestApi> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tooltrace-query-api-'));
  const store = openSqliteStore({ path: path.join(dir, 'tooltrace.db') });
  const api = await startQueryApi({
    store,
    host: '127.0.0.1',
    port: 0,
    logger: pino({ level: 'silent' }),
    rateLimit: false,
    ...options,
  });
  const a = await store.createProject({ name: 'project A', plan: 'pro' });
  const b = await store.createProject({ name: 'project B', plan: 'trial' });
  const call = (pathAndQuery: string, init: RequestInit & { key?: string | null } = {}) => {
    const { key = a.readKey, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (key !== null) headers.set('authorization', `Bearer ${key}`);
    return fetch(`${api.url}${pathAndQuery}`, { ...rest, headers });
  };
  return {
    store,
    api,
    a,
    b,
    call,
    async json<T>(pathAndQuery: string, key = a.readKey) {
      const response = await call(pathAndQuery, { key });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`GET ${pathAndQuery} → ${response.status}: ${body}`);
      return JSON.parse(body) as T;
    },
    async close() {
      await api.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
