/** SQLite retention: the cut after each write, in bounded steps, and the timer sweep. */
import fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { batch, DAY, HOUR, toolCallTrace } from '../conformance/fixtures.ts';
import { openSqliteStore } from './index.ts';
import { tempStores } from './testing/temp-stores.ts';

const { newFile, track } = tempStores();

describe('SQLite backend specifics', () => {
  describe('retention on write and on a timer', () => {
    it('enforces the count limit right after a write and reports what it dropped', async () => {
      const store = track(openSqliteStore({ path: newFile(), retentionSweepIntervalMs: 0 }));
      const pid = (await store.createProject({ name: 'r', plan: 'enterprise', limits: { maxLogs: 5 } })).project
        .projectId;
      const now = Date.now();
      expect(await store.write(pid, toolCallTrace({ at: now - 2 * HOUR }, 2).batch)).toEqual({ logsDropped: 0 });
      expect(await store.write(pid, toolCallTrace({ at: now - HOUR }, 2).batch)).toEqual({ logsDropped: 3 });
      expect(await store.retentionStatus(pid)).toMatchObject({ logCount: 3, logsDropped: 3 });
    });

    it('works off a large backlog in several short steps, oldest first', async () => {
      const store = track(openSqliteStore({ path: newFile(), retentionSweepIntervalMs: 0 }));
      const pid = (await store.createProject({ name: 'big', plan: 'enterprise', limits: { maxLogs: null } })).project
        .projectId;
      const now = Date.now();
      const traces = Array.from({ length: 1300 }, (_, i) => toolCallTrace({ at: now - (1300 - i) * 1000 }, 0));
      await store.write(pid, {
        ...batch({}),
        toolCalls: traces.map((t) => t.call),
        logs: traces.flatMap((t) => t.logs),
      });
      await store.setPlan(pid, 'enterprise', { maxLogs: 100 });
      expect(await store.retentionStatus(pid)).toMatchObject({ logCount: 100, logsDropped: 1200 });
      const kept = await store.listToolCalls(pid, {}, { limit: 500 });
      expect(kept.items.map((c) => c.traceId)).toEqual(
        traces
          .slice(1200)
          .reverse()
          .map((t) => t.call.traceId),
      );
    });

    /** A project of 1 300 one-log traces, none due until `clock` moves past the age limit. */
    async function bigProject(clock: () => number) {
      const file = newFile();
      const store = track(openSqliteStore({ path: file, now: clock, retentionSweepIntervalMs: 0 }));
      const pid = (await store.createProject({ name: 'big', plan: 'enterprise', limits: { maxLogs: null } })).project
        .projectId;
      const at = clock();
      const traces = Array.from({ length: 1300 }, (_, i) => toolCallTrace({ at: at - (1300 - i) * 1000 }, 0));
      await store.write(pid, {
        ...batch({}),
        toolCalls: traces.map((t) => t.call),
        logs: traces.flatMap((t) => t.logs),
      });
      return { store, pid, file };
    }

    it('a big cut yields between its steps: other calls are answered while it runs', async () => {
      const { store, pid } = await bigProject(Date.now);
      const order: string[] = [];
      const cut = store.enforceRetention(pid, Date.now() + 31 * DAY).then((run) => {
        order.push('cut done');
        return run;
      });
      // Queued behind the cut's first step: a synchronous cut would finish before this call is even made.
      const meanwhile = new Promise((resolve) => setImmediate(resolve))
        .then(() => store.retentionStatus(pid))
        .then((status) => {
          order.push('status answered');
          return status.logCount;
        });
      const [run, logCountMidway] = await Promise.all([cut, meanwhile]);
      expect(order).toEqual(['status answered', 'cut done']);
      // The call saw a state between two whole steps: some traces gone, not yet all.
      expect(logCountMidway).toBeGreaterThan(0);
      expect(logCountMidway).toBeLessThan(1300);
      expect(logCountMidway % 500).toBe(1300 % 500);
      expect(run).toEqual({ tracesDeleted: 1300, logsDeleted: 1300 });
      expect(await store.retentionStatus(pid)).toMatchObject({ logCount: 0, logsDropped: 1300 });
    });

    it('a write that finds a big backlog answers after one step; the rest is worked off in the background', async () => {
      let clock = Date.now();
      const { store, pid } = await bigProject(() => clock);
      clock += 31 * DAY;
      const fresh = toolCallTrace({ at: clock }, 0);
      expect(await store.write(pid, fresh.batch)).toEqual({ logsDropped: 500 });
      // The background run and this one share the work; whole traces only, nothing deleted twice.
      await store.enforceRetention(pid);
      expect(await store.retentionStatus(pid)).toMatchObject({ logCount: 1, logsDropped: 1300 });
      expect(await store.getTrace(pid, fresh.call.traceId)).not.toBeNull();
    });

    it('closing the store stops a cut between steps and leaves whole traces', async () => {
      const { store, pid, file } = await bigProject(Date.now);
      const cut = store.enforceRetention(pid, Date.now() + 31 * DAY);
      await store.close();
      await expect(cut).rejects.toThrow(/closed/);
      // Only the first step (500 traces, run before the first yield) happened, and its counts agree with the rows.
      const reopened = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      expect(await reopened.retentionStatus(pid)).toMatchObject({ logCount: 800, logsDropped: 500 });
      const first = await reopened.listToolCalls(pid, {}, { limit: 500 });
      const rest = await reopened.listToolCalls(pid, {}, { limit: 500, cursor: first.nextCursor ?? undefined });
      expect(first.items.length + rest.items.length).toBe(800);
    });

    it('applies the age limit by the store clock, and the timer sweeps without a write', async () => {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      let clock = Date.parse('2026-01-01T00:00:00Z');
      const store = track(openSqliteStore({ path: newFile(), now: () => clock, retentionSweepIntervalMs: 60_000 }));
      const pid = (await store.createProject({ name: 't', plan: 'trial' })).project.projectId;
      const trace = toolCallTrace({ at: clock - DAY }, 1);
      await store.write(pid, trace.batch);
      clock += 5 * DAY;
      // The async variant lets each sweep (an async run) settle before the next tick.
      await vi.advanceTimersByTimeAsync(60_000);
      expect(await store.getTrace(pid, trace.call.traceId)).not.toBeNull();
      clock += 2 * DAY + 1;
      await vi.advanceTimersByTimeAsync(60_000);
      expect(await store.getTrace(pid, trace.call.traceId)).toBeNull();
      expect(await store.retentionStatus(pid)).toMatchObject({ logCount: 0, logsDropped: 2 });
    });

    it('the timer sweep checkpoints the WAL and cuts it to zero bytes', async () => {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      const file = newFile();
      const store = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 60_000 }));
      const pid = (await store.createProject({ name: 'w', plan: 'pro' })).project.projectId;
      for (let i = 0; i < 20; i++) await store.write(pid, toolCallTrace({ at: Date.now() - i * 1000 }, 3).batch);
      expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(fs.statSync(`${file}-wal`).size).toBe(0);
      expect((await store.listToolCalls(pid, {}, { limit: 50 })).items).toHaveLength(20);
    });

    it('close stops the sweep timer', async () => {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      const store = openSqliteStore({ path: newFile(), retentionSweepIntervalMs: 1000 });
      expect(vi.getTimerCount()).toBe(1);
      await store.close();
      expect(vi.getTimerCount()).toBe(0);
      await expect(store.listProjects()).rejects.toThrow(/closed/);
    });
  });
});
