import { fileURLToPath } from 'node:url';
import * as vite from 'vite';
import { defineConfig } from 'vitest/config';
import { sourceResolution } from '../source-conditions.ts';

/** `.ci/jaeger-test.sh`: the bench's peers phase against Jaeger v2, built from Go modules once (minutes). */
export default defineConfig({
  ...sourceResolution(vite),
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['bench/**/*.jaeger.test.ts'],
    testTimeout: 5 * 60_000,
    // The first build of Jaeger happens inside the test (cached afterwards).
    hookTimeout: 40 * 60_000,
    fileParallelism: false,
  },
});
