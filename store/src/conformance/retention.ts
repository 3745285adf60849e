import { PLAN_LIMITS } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import { ProjectNotFoundError } from '../store.ts';
import type { ConformanceContext } from './context.ts';
import { attempt, DAY, HOUR, log, MINUTE, toolCallTrace, triggerTrace } from './fixtures.ts';

/**
 * Times here are relative to the test clock and retention is run with that
 * clock explicitly, so a backend that also enforces limits on write (SQLite's
 * cheap post-write check) and one that only sweeps end in the same state.
 */
export function retentionConformance(ctx: ConformanceContext): void {
  describe('retention', () => {
    it('reports plan, limits and an empty log count for a new project', async () => {
      const pid = await ctx.project('trial');
      expect(await ctx.store.retentionStatus(pid)).toEqual({
        plan: 'trial',
        limits: PLAN_LIMITS.trial,
        logCount: 0,
        logsDropped: 0,
        oldestLogAtMs: null,
        ageRetention: expect.stringMatching(/^(ilm|data_stream_lifecycle|sweep)$/),
      });
      await expect(ctx.store.retentionStatus('prj_does_not_exist')).rejects.toThrow(ProjectNotFoundError);
    });

    it('a plan change applies to the very next write, not only to later sweeps', async () => {
      const pid = await ctx.project('enterprise', { maxLogs: 1_000, maxAgeDays: null });
      await ctx.store.write(pid, toolCallTrace({ at: ctx.now - 3 * HOUR }, 2).batch);
      await ctx.store.setPlan(pid, 'enterprise', { maxLogs: 3, maxAgeDays: null });
      const result = await ctx.store.write(pid, toolCallTrace({ at: ctx.now - HOUR }, 3).batch);
      // 3 kept + 4 new: the write's own check must cut with the new cap (a stale 1 000 would keep all 7).
      expect(result.logsDropped).toBeGreaterThan(0);
    });

    it('counts logs once each and reports the oldest', async () => {
      const pid = await ctx.project('pro');
      const a = toolCallTrace({ at: ctx.now - 2 * HOUR }, 2);
      const b = toolCallTrace({ at: ctx.now - HOUR }, 1);
      await ctx.store.write(pid, a.batch);
      await ctx.store.write(pid, b.batch);
      await ctx.store.write(pid, a.batch);
      const status = await ctx.store.retentionStatus(pid);
      expect(status).toMatchObject({
        logCount: 5,
        logsDropped: 0,
        oldestLogAtMs: ctx.now - 2 * HOUR,
      });
    });

    it('age cut: drops traces older than the plan allows, whole, with their records', async () => {
      const pid = await ctx.project('trial'); // 7 days
      const old = toolCallTrace({ at: ctx.now - 8 * DAY }, 2);
      // A trace that started 8 days ago but still logged 6 days ago goes whole, never half.
      old.batch.logs.push(log({ traceId: old.call.traceId, parentSpanId: old.call.spanId, at: ctx.now - 6 * DAY }));
      const oldEvent = triggerTrace({ at: ctx.now - 9 * DAY, deliveries: 2 });
      const young = toolCallTrace({ at: ctx.now - 6 * DAY }, 1);
      const youngEvent = triggerTrace({ at: ctx.now - DAY, deliveries: 1 });
      for (const t of [old.batch, oldEvent.batch, young.batch, youngEvent.batch]) await ctx.store.write(pid, t);

      await ctx.store.enforceRetention(pid, ctx.now);

      expect(await ctx.store.getTrace(pid, old.call.traceId)).toBeNull();
      expect(await ctx.store.getTrace(pid, oldEvent.traceId)).toBeNull();
      expect(await ctx.store.getTriggerEvent(pid, oldEvent.eventId)).toBeNull();
      const calls = await ctx.store.listToolCalls(pid, {}, { limit: 50 });
      expect(calls.items.map((c) => c.traceId)).toEqual([young.call.traceId]);
      const events = await ctx.store.listTriggerEvents(pid, {}, { limit: 50 });
      expect(events.items.map((e) => e.traceId)).toEqual([youngEvent.traceId]);
      expect((await ctx.store.getTriggerEvent(pid, youngEvent.eventId))?.deliveries).toHaveLength(1);
      expect((await ctx.store.getTrace(pid, young.call.traceId))?.logs).toHaveLength(2);
      expect(await ctx.store.retentionStatus(pid)).toMatchObject({ logCount: 3, logsDropped: 5 });
      expect((await ctx.store.toolCallFacets(pid, {})).integrations).toEqual([{ value: 'slack', count: 1 }]);
    });

    it('count cut: drops the oldest whole traces until the project is within its log limit', async () => {
      const pid = await ctx.project('enterprise', { maxAgeDays: 3650, maxLogs: 10 });
      const traces = [4, 3, 2, 1].map((h) => toolCallTrace({ at: ctx.now - h * HOUR }, 2)); // 3 logs each
      for (const t of traces) await ctx.store.write(pid, t.batch);
      await ctx.store.enforceRetention(pid, ctx.now);
      const kept = (await ctx.store.listToolCalls(pid, {}, { limit: 50 })).items.map((c) => c.traceId);
      expect(kept).toEqual([traces[3]!.call.traceId, traces[2]!.call.traceId, traces[1]!.call.traceId]);
      expect(await ctx.store.getTrace(pid, traces[0]!.call.traceId)).toBeNull();
      expect(await ctx.store.retentionStatus(pid)).toMatchObject({ logCount: 9, logsDropped: 3 });
    });

    it('count cut never splits a trace: a big oldest trace goes whole', async () => {
      const pid = await ctx.project('enterprise', { maxAgeDays: null, maxLogs: 6 });
      const big = toolCallTrace({ at: ctx.now - 3 * HOUR }, 4); // 5 logs
      const small = toolCallTrace({ at: ctx.now - HOUR }, 1); // 2 logs
      await ctx.store.write(pid, big.batch);
      await ctx.store.write(pid, small.batch);
      await ctx.store.enforceRetention(pid, ctx.now);
      expect(await ctx.store.getTrace(pid, big.call.traceId)).toBeNull();
      expect((await ctx.store.getTrace(pid, small.call.traceId))?.logs).toHaveLength(2);
      expect(await ctx.store.retentionStatus(pid)).toMatchObject({ logCount: 2, logsDropped: 5 });
    });

    it('whichever limit is reached first applies', async () => {
      // Age first: few logs, one trace too old.
      const byAge = await ctx.project('enterprise', { maxAgeDays: 7, maxLogs: 100 });
      const tooOld = toolCallTrace({ at: ctx.now - 8 * DAY }, 1);
      const recent = toolCallTrace({ at: ctx.now - DAY }, 1);
      for (const t of [tooOld, recent]) await ctx.store.write(byAge, t.batch);
      // Count first: everything young, too many logs.
      const byCount = await ctx.project('enterprise', { maxAgeDays: 7, maxLogs: 4 });
      const young = [3, 2, 1].map((h) => toolCallTrace({ at: ctx.now - h * HOUR }, 1));
      for (const t of young) await ctx.store.write(byCount, t.batch);

      await ctx.store.enforceRetention(undefined, ctx.now);

      const ids = async (pid: string) =>
        (await ctx.store.listToolCalls(pid, {}, { limit: 50 })).items.map((c) => c.traceId);
      expect(await ids(byAge)).toEqual([recent.call.traceId]);
      expect(await ids(byCount)).toEqual([young[2]!.call.traceId, young[1]!.call.traceId]);
      expect((await ctx.store.retentionStatus(byAge)).logsDropped).toBe(2);
      expect((await ctx.store.retentionStatus(byCount)).logsDropped).toBe(2);
    });

    it('leaves other projects untouched', async () => {
      const trial = await ctx.project('trial');
      const pro = await ctx.project('pro');
      const tiny = await ctx.project('enterprise', { maxAgeDays: 1, maxLogs: 1 });
      const eightDays = toolCallTrace({ at: ctx.now - 8 * DAY }, 1);
      const event = triggerTrace({ at: ctx.now - 8 * DAY, deliveries: 1 });
      for (const pid of [trial, pro]) {
        await ctx.store.write(pid, eightDays.batch);
        await ctx.store.write(pid, event.batch);
      }
      await ctx.store.enforceRetention(trial, ctx.now);
      await ctx.store.enforceRetention(tiny, ctx.now);
      expect(await ctx.store.getTrace(trial, eightDays.call.traceId)).toBeNull();
      expect(await ctx.store.getTrace(pro, eightDays.call.traceId)).not.toBeNull();
      expect((await ctx.store.getTriggerEvent(pro, event.eventId))?.deliveries).toHaveLength(1);
      expect(await ctx.store.retentionStatus(pro)).toMatchObject({ logCount: 3, logsDropped: 0 });
      // A sweep over all projects applies each one's own plan.
      await ctx.store.enforceRetention(undefined, ctx.now);
      expect(await ctx.store.getTrace(pro, eightDays.call.traceId)).not.toBeNull();
    });

    it('accumulates logsDropped across runs and applies a tightened plan', async () => {
      const pid = await ctx.project('pro');
      const a = toolCallTrace({ at: ctx.now - 20 * DAY }, 1);
      const b = toolCallTrace({ at: ctx.now - 10 * DAY }, 2);
      const c = toolCallTrace({ at: ctx.now - DAY }, 0);
      for (const t of [a, b, c]) await ctx.store.write(pid, t.batch);
      await ctx.store.enforceRetention(pid, ctx.now);
      expect(await ctx.store.retentionStatus(pid)).toMatchObject({ logCount: 6, logsDropped: 0 });
      await ctx.store.setPlan(pid, 'enterprise', { maxAgeDays: 15, maxLogs: null });
      await ctx.store.enforceRetention(pid, ctx.now);
      expect(await ctx.store.retentionStatus(pid)).toMatchObject({ logCount: 4, logsDropped: 2 });
      await ctx.store.setPlan(pid, 'trial');
      await ctx.store.enforceRetention(pid, ctx.now);
      expect(await ctx.store.retentionStatus(pid)).toMatchObject({ logCount: 1, logsDropped: 5 });
      expect((await ctx.store.listToolCalls(pid, {}, { limit: 50 })).items.map((x) => x.traceId)).toEqual([
        c.call.traceId,
      ]);
    });

    it('ages traces by all their records, also traces without logs, and rejects an unknown project', async () => {
      const pid = await ctx.project('trial');
      const old = triggerTrace({ at: ctx.now - 9 * DAY, deliveries: 1 });
      old.batch.logs = [];
      const young = triggerTrace({ at: ctx.now - 2 * DAY });
      young.batch.logs = [];
      young.batch.deliveryAttempts.push(
        attempt({ traceId: young.traceId, deliveryId: 'late', at: ctx.now - 2 * DAY + MINUTE, final: true }),
      );
      for (const t of [old, young]) await ctx.store.write(pid, t.batch);
      await ctx.store.enforceRetention(pid, ctx.now);
      expect(await ctx.store.getTriggerEvent(pid, old.eventId)).toBeNull();
      expect((await ctx.store.getTriggerEvent(pid, young.eventId))?.event.status).toBe('success');
      expect(await ctx.store.retentionStatus(pid)).toMatchObject({ logCount: 0, logsDropped: 0 });
      await expect(ctx.store.enforceRetention('prj_does_not_exist', ctx.now)).rejects.toThrow(ProjectNotFoundError);
    });
  });
}
