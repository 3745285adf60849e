/**
 * The Elasticsearch store with its writer in a worker thread, against the
 * in-process fake cluster (testing/fake-cluster.ts; no Elasticsearch can run
 * here — `npm run test:es` runs the suite on a real node too): the whole
 * conformance suite, what each thread caches staying right, errors keeping
 * their classes, the worker's log lines reaching the caller's logger, and a
 * writer that crashes failing only the call it held. The crashing writer is a
 * test module (../testing/crashing-writer.ts): a crash cannot be produced on demand.
 */
import { Client } from '@elastic/elasticsearch';
import { createRecordingLogger, InvalidPlanError } from '@tooltrace/conventions';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { toolCallTrace } from '../../conformance/fixtures.ts';
import { runStoreConformance } from '../../conformance/index.ts';
import { ProjectNotFoundError, type Store, StoreUnavailableError } from '../../store.ts';
import { WorkerCrashedError } from '../../worker-threads/index.ts';
import { sharedStore } from '../../writer-thread/testing/shared-store.ts';
import type { StoreWithWriter } from '../../writer-thread/writer-store.ts';
import { type ElasticsearchStoreOptions, openElasticsearchStore } from '../elasticsearch-store.ts';
import { resourceNames } from '../names.ts';
import { type FakeCluster, startFakeCluster } from '../testing/fake-cluster.ts';
import { withVisibleWrites } from '../testing/visible-writes.ts';

let cluster: FakeCluster;
let client: Client;
// As production opens it (refresh: false), one store (one writer) for the run; the harness refreshes after
// writes. The writer keeps the system clock.
const suiteStore = sharedStore(() =>
  openElasticsearchStore({
    node: cluster.url,
    prefix: 'tt-worker-suite',
    refresh: false,
    retentionSweepIntervalMs: 0,
    writer: 'worker',
  }),
);
beforeAll(async () => {
  cluster = await startFakeCluster();
  client = new Client({ node: cluster.url });
});
afterAll(async () => {
  await suiteStore.close();
  await client.close();
  await cluster.close();
});

runStoreConformance('elasticsearch (writer worker, in-process fake cluster)', async () =>
  withVisibleWrites(await suiteStore.get(), () => client.indices.refresh({ index: 'tt-worker-suite-*' })),
);

let runs = 0;

describe('Elasticsearch writer worker', () => {
  const opened: Store[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  const open = async (options: Partial<ElasticsearchStoreOptions> = {}) => {
    const prefix = `tt-worker-own-${++runs}`;
    const store = await openElasticsearchStore({
      node: cluster.url,
      prefix,
      refresh: 'wait_for',
      retentionSweepIntervalMs: 0,
      writer: 'worker',
      ...options,
    });
    opened.push(store);
    return { store: store as StoreWithWriter, names: resourceNames(prefix) };
  };

  it('when the plan is changed through the writer, then reads see it and the next write goes to the new plan', async () => {
    const { store, names } = await open();
    const { project } = await store.createProject({ name: 'moving', plan: 'pro' });
    const before = toolCallTrace({ at: Date.now() });
    // Fills the writer's project cache with the `pro` document.
    await store.write(project.projectId, before.batch);
    const changed = await store.setPlan(project.projectId, 'trial');
    expect(changed.plan).toBe('trial');
    expect((await store.getProject(project.projectId))?.plan).toBe('trial');

    const after = toolCallTrace({ at: Date.now() });
    await store.write(project.projectId, after.batch);
    const inTrial = await client.search({
      index: names.logsStream('trial'),
      query: { term: { traceId: after.call.traceId } },
    });
    expect(inTrial.hits.hits.length).toBeGreaterThan(0);
    expect((await store.getTrace(project.projectId, before.call.traceId))?.logs.length).toBeGreaterThan(0);
  });

  it('when keys are rotated on the caller thread, then the old key is refused and the writer still writes the project', async () => {
    const { store } = await open();
    const { project, ingestKey } = await store.createProject({ name: 'rotated', plan: 'pro' });
    await store.write(project.projectId, toolCallTrace({ at: Date.now() }).batch);
    const rotated = await store.rotateKeys(project.projectId);
    expect(await store.authenticate(ingestKey)).toBeNull();
    expect((await store.authenticate(rotated.ingestKey))?.project.projectId).toBe(project.projectId);
    const next = toolCallTrace({ at: Date.now() });
    expect(await store.write(project.projectId, next.batch)).toEqual({ logsDropped: 0 });
    expect(await store.getTrace(project.projectId, next.call.traceId)).not.toBeNull();
  });

  it('when the writer refuses a call, then the caller gets the same error class as from the inline store', async () => {
    const { store } = await open();
    await expect(store.write('no-such-project', toolCallTrace({ at: Date.now() }).batch)).rejects.toThrow(
      ProjectNotFoundError,
    );
    const { project } = await store.createProject({ name: 'plans', plan: 'pro' });
    await expect(store.setPlan(project.projectId, 'pro', { maxLogs: -1 })).rejects.toThrow(InvalidPlanError);
  });

  it('when the cluster goes away, then a write fails with StoreUnavailableError and the failed sweep is logged by the caller', async () => {
    const own = await startFakeCluster();
    const logger = createRecordingLogger();
    const { store } = await open({ node: own.url, retentionSweepIntervalMs: 100, logger });
    const { project } = await store.createProject({ name: 'gone', plan: 'pro' });
    await own.close();
    await expect(store.write(project.projectId, toolCallTrace({ at: Date.now() }).batch)).rejects.toThrow(
      StoreUnavailableError,
    );
    await vi.waitFor(
      () => {
        const line = logger.lines.find((l) => l.message.startsWith('retention sweep failed'));
        expect(line?.fields).toMatchObject({ thread: 'elasticsearch-writer' });
      },
      { timeout: 30_000, interval: 100 },
    );
  });

  it('when the writer crashes on a batch, then that write fails with WorkerCrashedError, nothing of it is stored, and a new writer takes the next', async () => {
    const { store, names } = await open({ writerModule: new URL('../testing/crashing-writer.ts', import.meta.url) });
    const { project } = await store.createProject({ name: 'crash', plan: 'pro' });
    const doomed = toolCallTrace({ at: Date.now() });
    doomed.logs[0]!.name = 'crash-the-writer';
    await expect(store.write(project.projectId, doomed.batch)).rejects.toThrow(WorkerCrashedError);
    await client.indices.refresh({ index: `${names.prefix}-*` });
    expect(await store.getTrace(project.projectId, doomed.call.traceId)).toBeNull();

    const next = toolCallTrace({ at: Date.now() });
    await store.write(project.projectId, next.batch);
    expect(await store.getTrace(project.projectId, next.call.traceId)).not.toBeNull();
    expect(store.writerStats()).toMatchObject({ workers: 1, crashed: 1, busy: 0 });
  });

  it('refuses what a worker thread cannot be given: a client object, a clock of its own', async () => {
    await expect(openElasticsearchStore({ client, writer: 'worker' })).rejects.toThrow(/`node` \(a URL\)/);
    await expect(openElasticsearchStore({ node: cluster.url, writer: 'worker', now: () => 0 })).rejects.toThrow(
      /system clock/,
    );
  });
});
