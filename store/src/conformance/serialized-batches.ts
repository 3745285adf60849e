import { describe, expect, it } from 'vitest';
import { mergeWritable, serializeBatch } from '../serialized-batch.ts';
import type { ConformanceContext } from './context.ts';
import { MINUTE, toolCallTrace, triggerTrace } from './fixtures.ts';

export function serializedBatchesConformance(ctx: ConformanceContext): void {
  describe('serialized batches', () => {
    it('stores a batch written as its V8-serialized bytes, several merged into one write, as the batches themselves', async () => {
      const plain = await ctx.project();
      const serialized = await ctx.project();
      const call = toolCallTrace({ at: ctx.now - 2 * MINUTE, userId: 'u1' }, 3);
      const event = triggerTrace({ at: ctx.now - MINUTE, deliveries: 2 });
      for (const batch of [call.batch, event.batch]) await ctx.store.write(plain, batch);
      // As group commit sends two requests' bytes from decode workers: one write, two parts.
      await ctx.store.write(serialized, mergeWritable([serializeBatch(call.batch), serializeBatch(event.batch)]));

      const withoutProject = <T extends { projectId: string }>(items: readonly T[]) =>
        items.map(({ projectId: _projectId, ...rest }) => rest);
      for (const traceId of [call.call.traceId, event.traceId]) {
        const expected = await ctx.store.getTrace(plain, traceId);
        const got = await ctx.store.getTrace(serialized, traceId);
        expect(expected?.logs.length).toBeGreaterThan(0);
        expect(withoutProject(got?.logs ?? [])).toEqual(withoutProject(expected?.logs ?? []));
        expect(withoutProject(got?.toolCalls ?? [])).toEqual(withoutProject(expected?.toolCalls ?? []));
      }
      const events = async (pid: string) =>
        withoutProject((await ctx.store.listTriggerEvents(pid, {}, { limit: 10 })).items);
      expect(await events(serialized)).toEqual(await events(plain));
      expect((await ctx.store.retentionStatus(serialized)).logCount).toBe(
        (await ctx.store.retentionStatus(plain)).logCount,
      );
    });
  });
}
