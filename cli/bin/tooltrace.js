#!/usr/bin/env node
// The workspaces ship TypeScript sources; tsx compiles them on load so there is
// no separate build step for the server-side packages.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
