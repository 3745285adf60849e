import * as vite from 'vite';
import { defineConfig } from 'vitest/config';
import { sourceResolution } from './source-conditions.ts';

export default defineConfig({
  ...sourceResolution(vite),
  test: {
    include: ['*/src/**/*.test.ts', '*/src/**/*.test.tsx', 'bench/**/*.test.ts', 'docs/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/*.es.test.ts', '**/*.jaeger.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real servers and browsers; two cores are all there is.
    maxWorkers: 2,
  },
});
