/**
 * The store conformance suite against a real Elasticsearch node:
 * `ELASTICSEARCH_URL=http://127.0.0.1:9200 npm run test:es` (`.ci/es-node.sh`
 * starts one). Stores open as production does (`refresh: false`); the harness
 * refreshes after each write so the reads that follow see it. All stores of a
 * run share one resource prefix (each test makes its own projects, as tenants
 * share a production cluster), removed afterwards. Without ELASTICSEARCH_URL
 * the suite is reported skipped with a notice. Its write-path parts run a
 * second time with the writer in a worker thread.
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStoreConformance } from '../conformance/index.ts';
import { sharedStore } from '../writer-thread/testing/shared-store.ts';
import { bootstrapElasticsearch, removeElasticsearchResources } from './bootstrap.ts';
import { detectCapabilities } from './capabilities.ts';
import { openElasticsearchStore } from './elasticsearch-store.ts';
import { resourceNames } from './names.ts';
import { withVisibleWrites } from './testing/visible-writes.ts';

const url = process.env.ELASTICSEARCH_URL;
if (!url) {
  console.warn(
    'store/src/elasticsearch: ELASTICSEARCH_URL is not set; the real-cluster suite is SKIPPED (start a node with .ci/es-node.sh start).',
  );
}

// Made on first use, inside a test or hook: without a URL no test runs and no client is built.
let cachedClient: Client | undefined;
const cluster = () => {
  cachedClient ??= new Client({ node: url as string });
  return cachedClient;
};

describe.skipIf(!url)('a real Elasticsearch cluster (ELASTICSEARCH_URL)', () => {
  const names = resourceNames(`tooltrace-test-${randomBytes(4).toString('hex')}`);
  // `store init` once, as a deployment runs it; every store of the run then opens without it.
  beforeAll(async () => {
    await bootstrapElasticsearch(cluster(), names);
  });
  afterAll(async () => {
    await removeElasticsearchResources(cluster(), names);
    await cluster().close();
  });

  runStoreConformance('elasticsearch (real node)', async ({ now }) => {
    const store = await openElasticsearchStore({
      client: cluster(),
      prefix: names.prefix,
      refresh: false,
      bootstrap: false,
      retentionSweepIntervalMs: 0,
      now,
    });
    return withVisibleWrites(store, () =>
      cluster().indices.refresh({ index: `${names.prefix}-*`, expand_wildcards: 'all' }),
    );
  });

  // The writer worker (as `tooltrace start` opens the store) with its own client, on the parts of the suite
  // whose calls cross to it — writes with their bulk/mget/merge rounds, plan changes, retention runs, ingest
  // status; the other parts read on the caller's client, the same code as above (the fake cluster runs them
  // all in this mode: writer/writer-store.test.ts). The writer keeps the system clock.
  // One store (one writer) for that run, as production keeps one.
  const writerStore = sharedStore(() =>
    openElasticsearchStore({
      node: url as string,
      prefix: names.prefix,
      refresh: false,
      bootstrap: false,
      retentionSweepIntervalMs: 0,
      writer: 'worker',
    }),
  );
  afterAll(() => writerStore.close());
  runStoreConformance(
    'elasticsearch (real node, writer worker)',
    async () =>
      withVisibleWrites(await writerStore.get(), () =>
        cluster().indices.refresh({ index: `${names.prefix}-*`, expand_wildcards: 'all' }),
      ),
    { only: ['triggerEvents', 'deliveries', 'userInheritance', 'retention', 'ingestStatus'] },
  );

  describe('store init on a real cluster', () => {
    it('when bootstrap runs twice, then the second run updates in place and fails on nothing', async () => {
      const own = resourceNames(`tooltrace-test-${randomBytes(4).toString('hex')}`);
      try {
        const first = await bootstrapElasticsearch(cluster(), own);
        const second = await bootstrapElasticsearch(cluster(), own);
        expect(first.created.length).toBeGreaterThan(0);
        expect(second.created).toEqual([]);
        expect(second.updated.sort()).toEqual(first.created.sort());
        expect(second.summary).toBe(first.summary);
      } finally {
        await removeElasticsearchResources(cluster(), own);
      }
    });

    it('when the cluster is asked what it has, then the answer matches what it accepts', async () => {
      const capabilities = await detectCapabilities(cluster(), names.prefix);
      const ilm = await cluster().transport.request(
        { method: 'GET', path: '/_ilm/status' },
        { meta: true, ignore: [400, 404, 405] },
      );
      expect(capabilities.ilm).toBe(ilm.statusCode === 200);
    });
  });
});
