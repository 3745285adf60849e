/**
 * What only a real Elasticsearch node can prove (issue 13), beside the
 * conformance suite: the limits of its mappings and request sizes, and the
 * script-free counter under concurrent writers. Skipped with a notice (in
 * elasticsearch.es.test.ts) without ELASTICSEARCH_URL.
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { type LogFact, MAX_ANY_VALUE_DEPTH } from '@tooltrace/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as f from '../conformance/fixtures.ts';
import type { Store } from '../store.ts';
import { bootstrapElasticsearch, removeElasticsearchResources } from './bootstrap.ts';
import { detectCapabilities } from './capabilities.ts';
import type { Cluster } from './cluster.ts';
import { openElasticsearchStore } from './elasticsearch-store.ts';
import { resourceNames } from './names.ts';
import { addLogsDropped, projectDocument } from './projects.ts';
import { withVisibleWrites } from './testing/visible-writes.ts';

const url = process.env.ELASTICSEARCH_URL;

describe.skipIf(!url)('Elasticsearch limits on a real node', () => {
  const names = resourceNames(`tooltrace-node-${randomBytes(4).toString('hex')}`);
  let client: Client;
  let store: Store;
  const refresh = () => client.indices.refresh({ index: `${names.prefix}-*`, expand_wildcards: 'all' });
  beforeAll(async () => {
    client = new Client({ node: url as string });
    await bootstrapElasticsearch(client, names);
    const opened = await openElasticsearchStore({ client, prefix: names.prefix, retentionSweepIntervalMs: 0 });
    store = withVisibleWrites(opened, refresh);
  });
  afterAll(async () => {
    await store?.close();
    await removeElasticsearchResources(client, names);
    await client.close();
  });

  it('when a batch of 2 600 logs (over 10 MB) is re-sent changed, then it is stored and every log is updated', async () => {
    const pid = (await store.createProject({ name: 'big', plan: 'pro' })).project.projectId;
    const traceId = f.newTraceId();
    const at = Date.now() - 60_000;
    const padding = 'x'.repeat(4_096);
    const logs: LogFact[] = Array.from({ length: 2_600 }, (_, i) =>
      f.log({ traceId, at: at + i, message: `step ${i}`, attributes: { padding } }),
    );
    await store.write(pid, f.batch({ logs }));
    // A re-send whose content changed: the duplicate lookup must stay inside the 10 000-hit window.
    await store.write(pid, f.batch({ logs: logs.map((l) => ({ ...l, message: `${l.message} (changed)` })) }));
    const trace = await store.getTrace(pid, traceId);
    expect(trace?.logs).toHaveLength(2_600);
    expect(trace?.logs.every((l) => l.message.endsWith('(changed)'))).toBe(true);
    expect((await store.retentionStatus(pid)).logCount).toBe(2_600);
  });

  it('when attributes are nested as deep as the collector accepts, then the log is stored and read back', async () => {
    const pid = (await store.createProject({ name: 'deep', plan: 'pro' })).project.projectId;
    let nested: Record<string, unknown> = { leaf: 'bottom' };
    for (let depth = 0; depth < MAX_ANY_VALUE_DEPTH; depth++) nested = { [`level${depth}`]: nested };
    const log = f.log({ traceId: f.newTraceId(), at: Date.now() - 1_000, attributes: { deep: nested } as never });
    await store.write(pid, f.batch({ logs: [log] }));
    expect((await store.getTrace(pid, log.traceId))?.logs[0]?.attributes).toEqual({ deep: nested });
  });

  it('when a user ID is 5 000 characters long, then filtering by it finds its call', async () => {
    const pid = (await store.createProject({ name: 'long-ids', plan: 'pro' })).project.projectId;
    const userId = `u-${'é'.repeat(4_998)}`;
    const call = f.toolCall({ at: Date.now() - 1_000, userId });
    await store.write(pid, f.batch({ toolCalls: [call, f.toolCall({ at: Date.now() - 2_000 })] }));
    const page = await store.listToolCalls(pid, { userId }, { limit: 10 });
    expect(page.items.map((c) => c.spanId)).toEqual([call.spanId]);
  });

  it('when 20 writers add to logsDropped at once, then none of their additions is lost (no scripting)', async () => {
    const pid = (await store.createProject({ name: 'counter', plan: 'pro' })).project.projectId;
    const capabilities = await detectCapabilities(client, names.prefix);
    const cluster: Cluster = { client, names, refresh: false, bulk: undefined, now: Date.now, capabilities };
    await Promise.all(Array.from({ length: 20 }, (_, i) => addLogsDropped(cluster, pid, i + 1)));
    expect((await projectDocument(cluster, pid)).logsDropped).toBe(210);
  });
});
