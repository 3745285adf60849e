import { fileURLToPath } from 'node:url';
import * as vite from 'vite';
import { defineConfig } from 'vitest/config';
import { sourceResolution } from '../source-conditions.ts';

/** `npm run test:interop`: needs Go (to build the OpenTelemetry Collector once) and ~1 minute of wall time. */
export default defineConfig({
  ...sourceResolution(vite),
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['interop/**/*.interop.test.ts'],
    testTimeout: 5 * 60_000,
    hookTimeout: 25 * 60_000,
    fileParallelism: false,
  },
});
