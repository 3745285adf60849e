/**
 * The store conformance suite against a real Elasticsearch cluster:
 * `ELASTICSEARCH_URL=http://127.0.0.1:9200 npm run test:es`. Each store gets
 * its own resource prefix and removes everything it created when closed, so
 * runs never see each other's data. Without ELASTICSEARCH_URL the suite is
 * skipped with a notice (no cluster can run on every machine).
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { runStoreConformance } from '../conformance/index.ts';
import { bootstrapElasticsearch, removeElasticsearchResources } from './bootstrap.ts';
import { openElasticsearchStore } from './elasticsearch-store.ts';
import { resourceNames } from './names.ts';

const url = process.env.ELASTICSEARCH_URL;
if (!url) {
  console.warn(
    'store/src/elasticsearch: ELASTICSEARCH_URL is not set; the Elasticsearch conformance suite is skipped.',
  );
}

// Made on first use, inside a test or hook: without a URL no test runs and no client is built.
let cachedClient: Client | undefined;
const cluster = () => {
  cachedClient ??= new Client({ node: url as string });
  return cachedClient;
};

describe.skipIf(!url)('a real Elasticsearch cluster (ELASTICSEARCH_URL)', () => {
  runStoreConformance('elasticsearch', async ({ now }) => {
    const names = resourceNames(`tooltrace-test-${randomBytes(4).toString('hex')}`);
    const store = await openElasticsearchStore({
      client: cluster(),
      prefix: names.prefix,
      refresh: 'wait_for',
      retentionSweepIntervalMs: 0,
      now,
    });
    const close = store.close.bind(store);
    store.close = async () => {
      await close();
      await removeElasticsearchResources(cluster(), names);
    };
    return store;
  });

  describe('store init on a real cluster', () => {
    it('when bootstrap runs twice, then the second run updates in place and fails on nothing', async () => {
      const names = resourceNames(`tooltrace-test-${randomBytes(4).toString('hex')}`);
      try {
        const first = await bootstrapElasticsearch(cluster(), names);
        const second = await bootstrapElasticsearch(cluster(), names);
        expect(first.created.length).toBeGreaterThan(0);
        expect(second.created).toEqual([]);
        expect(second.updated.sort()).toEqual(first.created.sort());
        const stream = await cluster().indices.getDataStream({ name: names.logsStream('trial') });
        expect(stream.data_streams[0]?.ilm_policy).toBe(names.ilmPolicy('trial'));
      } finally {
        await removeElasticsearchResources(cluster(), names);
      }
    });
  });
});
