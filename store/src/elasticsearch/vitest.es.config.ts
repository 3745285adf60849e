import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:es`: the Elasticsearch tests, which the root config leaves out of
 * `npm test` (they need a cluster at ELASTICSEARCH_URL), plus this folder's unit tests.
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../../..', import.meta.url)),
    include: ['store/src/elasticsearch/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Tests share one cluster; in sequence they stay well under its default limits.
    fileParallelism: false,
  },
});
