/**
 * The store conformance suite against an in-process fake cluster
 * (testing/fake-cluster.ts): no Elasticsearch can run here, so this runs the
 * backend's whole logic — merges, retention rounds, paging, de-duplication —
 * through the real client over HTTP. `npm run test:es` runs the same suite
 * against a real cluster.
 */
import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll } from 'vitest';
import { runStoreConformance } from '../conformance/index.ts';
import { openElasticsearchStore } from './elasticsearch-store.ts';
import { type FakeCluster, startFakeCluster } from './testing/fake-cluster.ts';
import { withVisibleWrites } from './testing/visible-writes.ts';

let cluster: FakeCluster;
let client: Client;
beforeAll(async () => {
  cluster = await startFakeCluster();
  client = new Client({ node: cluster.url });
});
afterAll(async () => {
  await client.close();
  await cluster.close();
});

let runs = 0;
runStoreConformance('elasticsearch (in-process fake cluster)', async ({ now }) => {
  // As production opens it (refresh: false); the harness refreshes after writes, as on the real node.
  const prefix = `tt-fake-${++runs}`;
  const store = await openElasticsearchStore({ client, prefix, refresh: false, retentionSweepIntervalMs: 0, now });
  return withVisibleWrites(store, () => client.indices.refresh({ index: `${prefix}-*` }));
});
