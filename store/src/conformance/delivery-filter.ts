/**
 * The `deliveryId` trigger-event filter (issue 16: search by delivery ID): the event whose trace
 * holds an attempt of that delivery, in the list, the facets and the histogram, within one project.
 */
import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './context.ts';
import { attempt, MINUTE, triggerTrace } from './fixtures.ts';

export function deliveryFilterConformance(ctx: ConformanceContext): void {
  describe('trigger events by delivery ID', () => {
    async function seed(pid: string) {
      const at = (m: number) => ctx.now - m * MINUTE;
      const a = triggerTrace({ at: at(3), integration: 'salesforce' });
      a.batch.deliveryAttempts.push(attempt({ traceId: a.traceId, deliveryId: 'dlv-a', at: at(3) + 5, final: true }));
      const b = triggerTrace({ at: at(2), integration: 'hubspot' });
      b.batch.deliveryAttempts.push(
        attempt({ traceId: b.traceId, deliveryId: 'dlv-b', at: at(2) + 5, succeeded: false, httpStatus: 503 }),
        attempt({ traceId: b.traceId, deliveryId: 'dlv-b', at: at(2) + 900, attempt: 2, final: true }),
      );
      const none = triggerTrace({ at: at(1), integration: 'hubspot', deliveries: 1 });
      for (const e of [a, b, none]) await ctx.store.write(pid, e.batch);
      return { a: a.traceId, b: b.traceId };
    }
    const listed = async (pid: string, deliveryId: string, integration?: string) =>
      (await ctx.store.listTriggerEvents(pid, { deliveryId, integration }, { limit: 50 })).items.map((e) => e.traceId);

    it('lists only the event whose trace holds the delivery, and nothing for an unknown one', async () => {
      const pid = await ctx.project();
      const { a, b } = await seed(pid);
      expect(await listed(pid, 'dlv-a')).toEqual([a]);
      expect(await listed(pid, 'dlv-b')).toEqual([b]);
      expect(await listed(pid, 'dlv-unknown')).toEqual([]);
      expect(await listed(pid, 'dlv-a', 'hubspot')).toEqual([]);
      // Metacharacters match literally.
      expect(await listed(pid, "dlv-%' OR '1'='1")).toEqual([]);
    });

    it('narrows the facets and the histogram the same way', async () => {
      const pid = await ctx.project();
      await seed(pid);
      const facets = await ctx.store.triggerEventFacets(pid, { deliveryId: 'dlv-b' });
      expect(facets.integrations).toEqual([{ value: 'hubspot', count: 1 }]);
      const buckets = await ctx.store.triggerEventHistogram(
        pid,
        { deliveryId: 'dlv-a' },
        { from: ctx.now - 10 * MINUTE, to: ctx.now + MINUTE, bucketMs: 11 * MINUTE },
      );
      expect(buckets.map((bucket) => bucket.counts)).toEqual([{ success: 1 }]);
    });

    it('isolates projects: the same delivery ID elsewhere finds only its own event', async () => {
      const [one, two] = [await ctx.project(), await ctx.project()];
      const first = await seed(one);
      const second = await seed(two);
      expect(await listed(one, 'dlv-a')).toEqual([first.a]);
      expect(await listed(two, 'dlv-a')).toEqual([second.a]);
    });
  });
}
