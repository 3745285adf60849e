import { fileURLToPath } from 'node:url';
import * as vite from 'vite';
import { defineConfig } from 'vitest/config';
import { sourceResolution } from '../../../source-conditions.ts';

/**
 * `npm run test:es`: the Elasticsearch tests, which the root config leaves out of
 * `npm test` (they need a cluster at ELASTICSEARCH_URL): the store's real-node suites, the whole-stack
 * `tooltrace start` test of the CLI, plus this folder's unit tests — but not the writer worker's run of the
 * conformance suite on the fake cluster (`npm test` has it; here the real node runs that mode).
 */
export default defineConfig({
  ...sourceResolution(vite),
  test: {
    root: fileURLToPath(new URL('../../..', import.meta.url)),
    include: ['store/src/elasticsearch/**/*.test.ts', 'cli/src/**/*.es.test.ts'],
    exclude: ['**/node_modules/**', 'store/src/elasticsearch/writer/writer-store.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Tests share one cluster; in sequence they stay well under its default limits.
    fileParallelism: false,
  },
});
