/**
 * The SQLite store with its writer in a worker thread: the whole conformance
 * suite, both connections seeing each other's changes at once, and a writer
 * that crashes failing only the call it held. The crashing writer is a test
 * module (../testing/crashing-writer.ts): a native crash cannot be produced on demand.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { batch, DAY, newTraceId, toolCallTrace } from '../../conformance/fixtures.ts';
import { runStoreConformance } from '../../conformance/index.ts';
import { ProjectNotFoundError } from '../../store.ts';
import { WorkerCrashedError } from '../../worker-threads/index.ts';
import { sharedStore } from '../../writer-thread/testing/shared-store.ts';
import type { StoreWithWriter } from '../../writer-thread/writer-store.ts';
import { openSqliteStore } from '../index.ts';
import { tempStores } from '../testing/temp-stores.ts';

const { newFile, track } = tempStores();

// One store (one writer) for the run, as production keeps one. The writer keeps the system clock; the suite's
// own clock is real time too.
const suiteStore = sharedStore(async () =>
  openSqliteStore({ path: newFile(), retentionSweepIntervalMs: 0, writer: 'worker' }),
);
afterAll(() => suiteStore.close());
runStoreConformance('sqlite (writer worker)', () => suiteStore.get());

const open = (writerModule?: URL) =>
  track(
    openSqliteStore({ path: newFile(), retentionSweepIntervalMs: 0, writer: 'worker', writerModule }),
  ) as StoreWithWriter;

describe('SQLite writer worker', () => {
  it('when the API thread creates a project and rotates its keys, then the writer writes to it and the old key is refused', async () => {
    const store = open();
    const { project, ingestKey } = await store.createProject({ name: 'coherent', plan: 'pro' });
    const trace = toolCallTrace({ at: Date.now() }, 2);
    expect(await store.write(project.projectId, trace.batch)).toEqual({ logsDropped: 0 });
    expect((await store.getTrace(project.projectId, trace.call.traceId))?.logs).toHaveLength(3);
    await store.rotateKeys(project.projectId);
    expect(await store.authenticate(ingestKey)).toBeNull();
  });

  it('when the plan is changed, then the writer applies the new limits and the API thread reads them', async () => {
    const store = open();
    const { project } = await store.createProject({ name: 'limits', plan: 'enterprise' });
    const now = Date.now();
    const old = toolCallTrace({ at: now - 3 * DAY });
    const recent = toolCallTrace({ at: now });
    await store.write(project.projectId, batch({ ...old.batch }));
    await store.write(project.projectId, recent.batch);
    const changed = await store.setPlan(project.projectId, 'enterprise', { maxAgeDays: 1 });
    expect(changed.limits.maxAgeDays).toBe(1);
    expect((await store.getProject(project.projectId))?.limits.maxAgeDays).toBe(1);
    expect(await store.getTrace(project.projectId, old.call.traceId)).toBeNull();
    expect(await store.getTrace(project.projectId, recent.call.traceId)).not.toBeNull();
  });

  it('when a write names an unknown project, then the caller gets ProjectNotFoundError as from the inline store', async () => {
    const store = open();
    await expect(store.write('no-such-project', toolCallTrace({ at: Date.now() }).batch)).rejects.toThrow(
      ProjectNotFoundError,
    );
  });

  it('when the writer crashes on a batch, then that write fails with WorkerCrashedError, nothing of it is stored, and a new writer takes the next', async () => {
    const store = open(new URL('../testing/crashing-writer.ts', import.meta.url));
    const { project } = await store.createProject({ name: 'crash', plan: 'pro' });
    const doomed = toolCallTrace({ at: Date.now() });
    doomed.logs[0]!.name = 'crash-the-writer';
    await expect(store.write(project.projectId, doomed.batch)).rejects.toThrow(WorkerCrashedError);
    expect(await store.getTrace(project.projectId, doomed.call.traceId)).toBeNull();

    const next = toolCallTrace({ at: Date.now() });
    await store.write(project.projectId, next.batch);
    expect(await store.getTrace(project.projectId, next.call.traceId)).not.toBeNull();
    expect(store.writerStats()).toMatchObject({ workers: 1, crashed: 1, busy: 0 });
  });

  it('refuses :memory: and a clock of its own, which the worker could not share', () => {
    expect(() => openSqliteStore({ path: ':memory:', writer: 'worker' })).toThrow(/needs a database file/);
    expect(() => openSqliteStore({ path: newFile(), writer: 'worker', now: () => 0 })).toThrow(/system clock/);
    expect(newTraceId()).toMatch(/^[0-9a-f]{32}$/);
  });
});
