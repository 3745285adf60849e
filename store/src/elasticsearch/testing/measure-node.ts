/**
 * The figures store/README.md records for a real node (issue 13), measured by
 * `ELASTICSEARCH_URL=… node --conditions=@tooltrace/source --import tsx
 * store/src/elasticsearch/testing/measure-node.ts`: documents per second written
 * by `store.write` (the collector's write step) in 500-log batches, as production
 * opens the store (`refresh: false`), and the p50/p99 of a trace lookup
 * (`getTrace`, what the query API's trace view calls). Prints JSON; not a test.
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import * as f from '../../conformance/fixtures.ts';
import { bootstrapElasticsearch, removeElasticsearchResources } from '../bootstrap.ts';
import { openElasticsearchStore } from '../elasticsearch-store.ts';
import { resourceNames } from '../names.ts';

const url = process.env.ELASTICSEARCH_URL;
if (!url) throw new Error('set ELASTICSEARCH_URL');
const BATCHES = Number(process.env.BATCHES ?? 40);
const LOGS_PER_BATCH = 500;
const LOOKUPS = 200;

const client = new Client({ node: url });
const names = resourceNames(`tooltrace-measure-${randomBytes(3).toString('hex')}`);
await bootstrapElasticsearch(client, names);
const store = await openElasticsearchStore({ client, prefix: names.prefix, retentionSweepIntervalMs: 0 });
try {
  const pid = (await store.createProject({ name: 'measure', plan: 'pro' })).project.projectId;
  const traceIds: string[] = [];
  const began = performance.now();
  for (let b = 0; b < BATCHES; b++) {
    // 50 traces of one tool call and 9 logs each, like a busy agent's batch.
    const traces = Array.from({ length: LOGS_PER_BATCH / 10 }, () => f.toolCallTrace({ at: Date.now() - 60_000 }, 9));
    traceIds.push(...traces.map((t) => t.call.traceId));
    await store.write(
      pid,
      f.batch({ toolCalls: traces.flatMap((t) => t.batch.toolCalls), logs: traces.flatMap((t) => t.batch.logs) }),
    );
  }
  const seconds = (performance.now() - began) / 1000;
  const docs = BATCHES * (LOGS_PER_BATCH + LOGS_PER_BATCH / 10);
  await client.indices.refresh({ index: `${names.prefix}-*`, expand_wildcards: 'all' });
  const times: number[] = [];
  for (let i = 0; i < LOOKUPS; i++) {
    const traceId = traceIds[(i * 7919) % traceIds.length] as string;
    const t0 = performance.now();
    const trace = await store.getTrace(pid, traceId);
    times.push(performance.now() - t0);
    if (!trace || trace.logs.length === 0) throw new Error(`trace ${traceId} not found`);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0) * 10) / 10;
  console.log(
    JSON.stringify({
      docs,
      seconds: Math.round(seconds * 10) / 10,
      docsPerSecond: Math.round(docs / seconds),
      lookupP50Ms: at(0.5),
      lookupP99Ms: at(0.99),
    }),
  );
} finally {
  await store.close();
  await removeElasticsearchResources(client, names);
  await client.close();
}
