import { describe, expect, it } from 'vitest';
import { ProjectNotFoundError } from '../store.ts';
import type { ConformanceContext } from './context.ts';
import { DAY, HOUR, log, toolCallTrace, triggerTrace } from './fixtures.ts';

/**
 * `previewRetention` is the plan form's confirmation: the exact number of logs
 * a change of limits deletes now. Each case checks the figure against what
 * retention then really deletes, and that the preview itself deleted nothing.
 */
export function retentionPreviewConformance(ctx: ConformanceContext): void {
  describe('retention preview', () => {
    const unlimited = { maxAgeDays: null, maxLogs: null };

    it('counts exactly what the change then deletes (age, then count, whole traces), deleting nothing', async () => {
      const pid = await ctx.project('enterprise', unlimited);
      const old = toolCallTrace({ at: ctx.now - 8 * DAY }, 2);
      // Logged 6 days ago but started 8 days ago: the whole trace is past a 7-day limit, this log too.
      old.batch.logs.push(log({ traceId: old.call.traceId, parentSpanId: old.call.spanId, at: ctx.now - 6 * DAY }));
      const oldEvent = triggerTrace({ at: ctx.now - 9 * DAY, deliveries: 1 });
      const big = toolCallTrace({ at: ctx.now - 3 * HOUR }, 4); // 5 logs
      const small = toolCallTrace({ at: ctx.now - 2 * HOUR }, 1); // 2 logs
      const last = toolCallTrace({ at: ctx.now - HOUR }, 2); // 3 logs
      for (const t of [old.batch, oldEvent.batch, big.batch, small.batch, last.batch]) await ctx.store.write(pid, t);
      const before = await ctx.store.retentionStatus(pid);
      expect(before.logCount).toBe(4 + 1 + 5 + 2 + 3);

      // Age drops `old` (4 logs) and the event (1); 10 logs are left over a cap of 6, so `big` (5) goes too.
      const limits = { maxAgeDays: 7, maxLogs: 6 };
      const preview = await ctx.store.previewRetention(pid, limits, ctx.now);
      expect(preview).toEqual({ tracesDeleted: 3, logsDeleted: 10 });
      expect(await ctx.store.retentionStatus(pid)).toEqual(before);

      await ctx.store.setPlan(pid, 'enterprise', limits);
      await ctx.store.enforceRetention(pid, ctx.now);
      const after = await ctx.store.retentionStatus(pid);
      expect(after.logsDropped).toBe(preview.logsDeleted);
      expect(after.logCount).toBe(before.logCount - preview.logsDeleted);
      expect(await ctx.store.getTrace(pid, small.call.traceId)).not.toBeNull();
    });

    it('a count cap alone: the oldest whole traces until the rest fits, even when that leaves fewer than the cap', async () => {
      const pid = await ctx.project('enterprise', unlimited);
      const traces = [4, 3, 2, 1].map((h) => toolCallTrace({ at: ctx.now - h * HOUR }, 2)); // 3 logs each
      for (const t of traces) await ctx.store.write(pid, t.batch);
      // 12 logs over a cap of 7: two traces must go (a lower bound would say 5).
      expect(await ctx.store.previewRetention(pid, { maxAgeDays: null, maxLogs: 7 }, ctx.now)).toEqual({
        tracesDeleted: 2,
        logsDeleted: 6,
      });
      expect(await ctx.store.previewRetention(pid, { maxAgeDays: null, maxLogs: 12 }, ctx.now)).toEqual({
        tracesDeleted: 0,
        logsDeleted: 0,
      });
      expect(await ctx.store.previewRetention(pid, { maxAgeDays: null, maxLogs: 0 }, ctx.now)).toEqual({
        tracesDeleted: 4,
        logsDeleted: 12,
      });
      await ctx.store.setPlan(pid, 'enterprise', { maxAgeDays: null, maxLogs: 7 });
      await ctx.store.enforceRetention(pid, ctx.now);
      expect(await ctx.store.retentionStatus(pid)).toMatchObject({ logCount: 6, logsDropped: 6 });
    });

    it('an age limit alone is measured from the given time; no limits delete nothing; an unknown project is refused', async () => {
      const pid = await ctx.project('enterprise', unlimited);
      for (const days of [10, 5, 1]) await ctx.store.write(pid, toolCallTrace({ at: ctx.now - days * DAY }, 1).batch);
      const week = { maxAgeDays: 7, maxLogs: null };
      expect(await ctx.store.previewRetention(pid, week, ctx.now)).toEqual({ tracesDeleted: 1, logsDeleted: 2 });
      expect(await ctx.store.previewRetention(pid, week, ctx.now + 3 * DAY)).toEqual({
        tracesDeleted: 2,
        logsDeleted: 4,
      });
      expect(await ctx.store.previewRetention(pid, unlimited, ctx.now)).toEqual({ tracesDeleted: 0, logsDeleted: 0 });
      expect((await ctx.store.retentionStatus(pid)).logCount).toBe(6);
      await expect(ctx.store.previewRetention('prj_does_not_exist', week, ctx.now)).rejects.toThrow(
        ProjectNotFoundError,
      );
    });
  });
}
