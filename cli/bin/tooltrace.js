#!/usr/bin/env node
// Installed, the package ships only its build (dist/). Inside the repository the
// sources sit beside it: run those through tsx, resolving the other workspaces by
// their `@tooltrace/source` export condition, so tests never run a stale build.
import { existsSync } from 'node:fs';

const source = new URL('../src/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('node:module');
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  // Registered after tsx so it runs first and tsx resolves with the condition added.
  register(
    'data:text/javascript,export function resolve(s,c,n){return n(s,{...c,conditions:[...c.conditions,"@tooltrace/source"]})}',
  );
  await import(source.href);
} else {
  await import('../dist/main.js');
}
