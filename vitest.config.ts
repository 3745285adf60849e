import * as vite from 'vite';
import { defineConfig } from 'vitest/config';
import { sourceResolution } from './source-conditions.ts';

export default defineConfig({
  ...sourceResolution(vite),
  test: {
    include: ['*/src/**/*.test.ts', '*/src/**/*.test.tsx', 'bench/**/*.test.ts', 'docs/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/*.es.test.ts', '**/*.jaeger.test.ts'],
    // Generous: CI's two cores may be shared, and starting `tooltrace start` plus Chromium under load has taken
    // over a minute. Speed is measured by `npm run bench`, never by these limits.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Integration tests start real servers and browsers; two cores are all there is.
    maxWorkers: 2,
  },
});
