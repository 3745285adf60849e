/**
 * Starts a worker thread from a module of a tooltrace package. Built (`.js`), the
 * module runs as it is. From sources (`.ts`, in the repository and its
 * tests), a small bootstrap registers tsx in the worker first, with the
 * `@tooltrace/source` export condition the CLI's bin adds, since a worker
 * does not inherit the loader hooks of the thread that starts it.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const SOURCE_CONDITION_HOOK =
  'data:text/javascript,export function resolve(s,c,n){return n(s,{...c,conditions:[...c.conditions,"@tooltrace/source"]})}';

const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  const { register } = await import(workerData.tsx);
  register();
  (await import('node:module')).register(workerData.hook);
  await import(workerData.module);
})().catch((error) => { setImmediate(() => { throw error; }); });
`;

/** tsx's ESM API entry, from its export map (require.resolve would give the CommonJS one). */
function tsxEsmApi(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as {
    exports: { './esm/api': { import: { default: string } } };
  };
  return pathToFileURL(path.join(path.dirname(manifestPath), manifest.exports['./esm/api'].import.default)).href;
}

/** `data` reaches the worker as `workerData.data`, either way. */
export function spawnWorker(module: URL, data?: unknown): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, { workerData: { data } });
  const tsx = tsxEsmApi();
  return new Worker(BOOTSTRAP, {
    eval: true,
    workerData: { tsx, hook: SOURCE_CONDITION_HOOK, module: module.href, data },
  });
}
