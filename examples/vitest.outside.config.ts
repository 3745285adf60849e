import { fileURLToPath } from 'node:url';
import * as vite from 'vite';
import { defineConfig } from 'vitest/config';
import { sourceResolution } from '../source-conditions.ts';

/** `npm run test:outside`: the packages as a user installs them (npm pack → npm install), minutes of wall time. */
export default defineConfig({
  ...sourceResolution(vite),
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['examples/outside-install.test.ts'],
    testTimeout: 5 * 60_000,
    hookTimeout: 25 * 60_000,
    fileParallelism: false,
  },
});
