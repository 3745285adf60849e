import { emptyBatch, type IngestBatch, type LogFact } from '@tooltrace/conventions';
import { openSqliteStore, type Store } from '@tooltrace/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gatedWrites } from '../testing/store-wrappers.ts';
import { createWriteQueue } from './write-queue.ts';

let store: Store;
let projectId: string;
beforeEach(async () => {
  store = openSqliteStore({ path: ':memory:' });
  projectId = (await store.createProject({ name: 'q', plan: 'pro' })).project.projectId;
});
afterEach(async () => {
  await store.close();
});

function logs(count: number, traceSuffix: string): IngestBatch {
  const now = Date.now();
  const log = (i: number): LogFact => ({
    id: `log:${traceSuffix}:${i}`,
    traceId: `${'a'.repeat(28)}${traceSuffix}`,
    spanId: null,
    parentSpanId: null,
    source: 'log_record',
    timeMs: now,
    subMsNanos: 0,
    level: 'info',
    kind: null,
    name: null,
    message: `log ${i}`,
    attributes: {},
    durationMs: null,
    body: null,
    serviceName: null,
  });
  return { ...emptyBatch(), logs: Array.from({ length: count }, (_, i) => log(i)) };
}

/**
 * A store whose writes move a clock by 10 ms an item, and whose next write can be held until opened
 * (only that one: the hold is released as it is reached).
 */
function clockedStore() {
  let clock = 0;
  let hold: { reached: () => void; opened: Promise<void> } | null = null;
  const timed = {
    write: async (id: string, batch: IngestBatch) => {
      const held = hold;
      if (held) {
        hold = null;
        held.reached();
        await held.opened;
      }
      clock += 10 * batch.logs.length;
      return store.write(id, batch);
    },
  };
  const holdNext = () => {
    let open!: () => void;
    const reached = new Promise<void>((resolve) => {
      hold = { reached: resolve, opened: new Promise<void>((o) => (open = o)) };
    });
    return { reached, open };
  };
  return { timed, now: () => clock, holdNext };
}

/** The real store, with each write's fact count recorded and the first write held at a gate. */
function countedWrites() {
  const { gate, wrap } = gatedWrites();
  const gated = wrap(store);
  const sizes: number[] = [];
  const counted = {
    write: (id: string, batch: IngestBatch) => {
      sizes.push(batch.logs.length);
      return sizes.length === 1 ? gated.write(id, batch) : store.write(id, batch);
    },
  };
  return { gate, sizes, counted };
}

describe('createWriteQueue', () => {
  it('when writes are under the bounds, then each resolves as written once the store committed it', async () => {
    const queue = createWriteQueue(store);
    const outcome = await queue.write(projectId, logs(3, '0001'));
    expect(outcome.kind).toBe('written');
    expect((await store.getTrace(projectId, `${'a'.repeat(28)}0001`))?.logs).toHaveLength(3);
  });

  it('when the pending batch bound is reached, then further writes are refused at once with a retry hint', async () => {
    const { gate, wrap } = gatedWrites();
    const queue = createWriteQueue(wrap(store), { maxPendingBatches: 2, retryAfterSeconds: 7 });
    const first = queue.write(projectId, logs(1, '0002'));
    const second = queue.write(projectId, logs(1, '0003'));
    await gate.reached;
    expect(await queue.write(projectId, logs(1, '0004'))).toEqual({ kind: 'overloaded', retryAfterSeconds: 7 });
    expect(queue.stats()).toEqual({ pendingBatches: 2, pendingItems: 2, refused: 1, queuedMs: null });
    gate.open();
    expect((await first).kind).toBe('written');
    expect((await second).kind).toBe('written');
    expect(queue.stats()).toMatchObject({ pendingBatches: 0, pendingItems: 0 });
  });

  it('when what is pending would take longer than maxQueuedMs at the measured write rate, then the queue is full until it drains', async () => {
    // A clock the store moves (10 ms an item), and a write that can be held.
    const { timed, now, holdNext } = clockedStore();
    const queue = createWriteQueue(timed, { maxQueuedMs: 100, now });
    expect(queue.stats().queuedMs).toBeNull();
    await queue.write(projectId, logs(5, '0009'));
    expect(queue.stats().queuedMs).toBe(0);

    const { reached, open } = holdNext();
    const small = queue.write(projectId, logs(5, '0010'));
    await reached;
    expect(queue.stats().queuedMs).toBe(50);
    expect(queue.state()).toEqual({ kind: 'open' });
    const big = queue.write(projectId, logs(15, '0011'));
    expect(queue.stats().queuedMs).toBe(200);
    expect(queue.state()).toEqual({ kind: 'full', retryAfterSeconds: 1 });
    open();
    expect((await small).kind).toBe('written');
    expect((await big).kind).toBe('written');
    expect(queue.state()).toEqual({ kind: 'open' });
  });

  it('when the only pending write is a slow one the store is running, then the queue stays open until another waits', async () => {
    // The same clock the store moves (10 ms an item): a 50-item write is estimated at 500 ms, over the bound.
    const { timed, now, holdNext } = clockedStore();
    const queue = createWriteQueue(timed, { maxQueuedMs: 100, now });
    await queue.write(projectId, logs(5, '0012'));

    const { reached, open } = holdNext();
    const slow = queue.write(projectId, logs(50, '0013'));
    await reached;
    expect(queue.stats().queuedMs).toBe(500);
    expect(queue.state()).toEqual({ kind: 'open' });
    const next = queue.write(projectId, logs(5, '0014'));
    expect(queue.state()).toEqual({ kind: 'full', retryAfterSeconds: 1 });
    open();
    expect((await slow).kind).toBe('written');
    expect((await next).kind).toBe('written');
    expect(queue.state()).toEqual({ kind: 'open' });
  });

  it('when requests admitted upstream would bring the backlog past maxQueuedMs, then the queue counts as full before they arrive', async () => {
    // 10 ms an item; every batch so far had 5 items, so a request on its way counts as 50 ms.
    const { timed, now, holdNext } = clockedStore();
    const queue = createWriteQueue(timed, { maxQueuedMs: 100, now });
    await queue.write(projectId, logs(5, '0015'));

    const { reached, open } = holdNext();
    const held = queue.write(projectId, logs(5, '0016'));
    await reached;
    expect(queue.state()).toEqual({ kind: 'open' });
    // The held write's own request (1), and one more on its way: 2 batches, 100 ms, not over the bound.
    expect(queue.state(2)).toEqual({ kind: 'open' });
    // Two on their way: 150 ms.
    expect(queue.state(3)).toEqual({ kind: 'full', retryAfterSeconds: 1 });
    open();
    expect((await held).kind).toBe('written');
    // Written and answered: the two still on their way fit again.
    expect(queue.state(2)).toEqual({ kind: 'open' });
  });

  it('when as many requests are admitted as the pending batch bound, then the queue is full though none reached it', async () => {
    const queue = createWriteQueue(store, { maxPendingBatches: 3 });
    expect(queue.state(2)).toEqual({ kind: 'open' });
    expect(queue.state(3)).toEqual({ kind: 'full', retryAfterSeconds: 1 });
  });

  it('when a batch would pass the pending item bound, then it is refused unless the queue is empty', async () => {
    const { gate, wrap } = gatedWrites();
    const queue = createWriteQueue(wrap(store), { maxPendingItems: 5 });
    const big = queue.write(projectId, logs(8, '0005')); // alone: accepted although over the bound
    await gate.reached;
    expect((await queue.write(projectId, logs(1, '0006'))).kind).toBe('overloaded');
    gate.open();
    expect((await big).kind).toBe('written');
  });

  it('when draining, then it resolves after every accepted write reached the store', async () => {
    const { gate, wrap } = gatedWrites();
    const queue = createWriteQueue(wrap(store));
    void queue.write(projectId, logs(1, '0007'));
    await gate.reached;
    const drained = queue.drain();
    gate.open();
    await drained;
    expect(queue.stats().pendingBatches).toBe(0);
    expect(await store.getTrace(projectId, `${'a'.repeat(28)}0007`)).not.toBeNull();
    await queue.drain();
  });

  it('when writes of one project wait behind a running one, then they reach the store merged into one write, in order', async () => {
    const { gate, sizes, counted } = countedWrites();
    const other = (await store.createProject({ name: 'other', plan: 'pro' })).project.projectId;
    const queue = createWriteQueue(counted);
    const first = queue.write(projectId, logs(1, '0101'));
    await gate.reached;
    const waiting = [
      queue.write(projectId, logs(2, '0102')),
      queue.write(other, logs(4, '0103')),
      queue.write(projectId, logs(3, '0104')),
    ];
    gate.open();
    const outcomes = await Promise.all([first, ...waiting]);
    expect(outcomes.map((o) => o.kind)).toEqual(['written', 'written', 'written', 'written']);
    expect(sizes).toEqual([1, 5, 4]);
    expect((await store.getTrace(projectId, `${'a'.repeat(28)}0104`))?.logs).toHaveLength(3);
    expect((await store.getTrace(other, `${'a'.repeat(28)}0103`))?.logs).toHaveLength(4);
    expect(await store.getTrace(other, `${'a'.repeat(28)}0102`)).toBeNull();
  });

  it('when merging would pass maxMergedItems, then the writes go in separate store writes', async () => {
    const { gate, sizes, counted } = countedWrites();
    const queue = createWriteQueue(counted, { maxMergedItems: 4 });
    const first = queue.write(projectId, logs(1, '0111'));
    await gate.reached;
    const waiting = [1, 2, 3].map((i) => queue.write(projectId, logs(3, `011${i + 1}`)));
    gate.open();
    await Promise.all([first, ...waiting]);
    expect(sizes).toEqual([1, 3, 3, 3]);
  });

  it('when the store refuses one of the merged batches, then only that request fails and the others are stored', async () => {
    const { gate, counted } = countedWrites();
    const queue = createWriteQueue(counted);
    const first = queue.write(projectId, logs(1, '0121'));
    await gate.reached;
    const bad = logs(1, '0122');
    bad.logs[0]!.traceId = 'not-a-trace-id';
    const [before, refused, after] = [
      queue.write(projectId, logs(2, '0123')),
      queue.write(projectId, bad),
      queue.write(projectId, logs(2, '0124')),
    ];
    gate.open();
    await first;
    expect((await before).kind).toBe('written');
    expect(await refused).toMatchObject({
      kind: 'failed',
      retryable: false,
      message: expect.stringContaining('log.traceId'),
    });
    expect((await after).kind).toBe('written');
    expect((await store.getTrace(projectId, `${'a'.repeat(28)}0124`))?.logs).toHaveLength(2);
  });

  it('when the store rejects a write, then the outcome is a failure, not a thrown error', async () => {
    await store.close();
    const outcome = await createWriteQueue(store).write(projectId, logs(1, '0008'));
    expect(outcome).toMatchObject({ kind: 'failed', retryable: true });
    store = openSqliteStore({ path: ':memory:' });
  });
});
