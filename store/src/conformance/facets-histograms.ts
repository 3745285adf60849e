import { MAX_HISTOGRAM_BUCKETS } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './context.ts';
import { attempt, batch, MINUTE, toolCall, triggerTrace } from './fixtures.ts';

const sortFacet = (values: { value: string; count: number }[]) =>
  [...values].sort((a, b) => a.value.localeCompare(b.value));

export function facetsAndHistogramsConformance(ctx: ConformanceContext): void {
  describe('facets', () => {
    it('counts distinct tool-call values; each facet respects the other filters and ignores its own', async () => {
      const pid = await ctx.project();
      const at = (m: number) => ctx.now - m * MINUTE;
      await ctx.store.write(
        pid,
        batch({
          toolCalls: [
            toolCall({ at: at(5), integration: 'slack', toolName: 'SLACK_SEND', userId: 'alice' }),
            toolCall({ at: at(4), integration: 'slack', toolName: 'SLACK_SEND', userId: 'bob', status: 'error' }),
            toolCall({ at: at(3), integration: 'slack', toolName: 'SLACK_READ', userId: 'alice' }),
            toolCall({ at: at(2), integration: 'github', toolName: 'GH_ISSUE', userId: 'alice' }),
            toolCall({ at: at(1), integration: 'github', toolName: null, userId: null, type: 'list_tools' }),
          ],
        }),
      );
      const all = await ctx.store.toolCallFacets(pid, {});
      expect(all.integrations).toEqual([
        { value: 'slack', count: 3 },
        { value: 'github', count: 2 },
      ]);
      expect(sortFacet(all.toolNames)).toEqual([
        { value: 'GH_ISSUE', count: 1 },
        { value: 'SLACK_READ', count: 1 },
        { value: 'SLACK_SEND', count: 2 },
      ]);
      expect(all.userIds).toEqual([
        { value: 'alice', count: 3 },
        { value: 'bob', count: 1 },
      ]);
      expect(all.statuses).toEqual([
        { value: 'success', count: 4 },
        { value: 'error', count: 1 },
      ]);
      expect(all.types).toEqual([
        { value: 'run_tool', count: 4 },
        { value: 'list_tools', count: 1 },
      ]);

      const slack = await ctx.store.toolCallFacets(pid, { integration: 'slack' });
      // Own filter ignored: the picker still offers the other integrations.
      expect(slack.integrations).toEqual(all.integrations);
      expect(sortFacet(slack.toolNames)).toEqual([
        { value: 'SLACK_READ', count: 1 },
        { value: 'SLACK_SEND', count: 2 },
      ]);
      expect(slack.userIds).toEqual([
        { value: 'alice', count: 2 },
        { value: 'bob', count: 1 },
      ]);

      const aliceErrors = await ctx.store.toolCallFacets(pid, { userId: 'alice', status: 'error' });
      expect(aliceErrors.integrations).toEqual([]);
      expect(aliceErrors.statuses).toEqual([{ value: 'success', count: 3 }]);
      expect(aliceErrors.userIds).toEqual([{ value: 'bob', count: 1 }]);

      const recent = await ctx.store.toolCallFacets(pid, { from: at(2) });
      expect(recent.integrations).toEqual([{ value: 'github', count: 2 }]);

      const literal = await ctx.store.toolCallFacets(pid, { integration: '%' });
      expect(literal.toolNames).toEqual([]);
    });

    it('counts trigger-event values, users from roots and deliveries alike', async () => {
      const pid = await ctx.project();
      const at = (m: number) => ctx.now - m * MINUTE;
      const e1 = triggerTrace({ at: at(3), userId: 'alice', integration: 'salesforce', deliveries: 1 });
      const e2 = triggerTrace({ at: at(2), userId: 'bob', integration: 'hubspot', triggerName: 'HUBSPOT_DEAL' });
      const e3 = triggerTrace({
        at: at(1),
        userId: 'alice',
        integration: 'hubspot',
        triggerName: 'HUBSPOT_DEAL',
        type: 'subscription',
      });
      e2.batch.deliveryAttempts.push(
        attempt({
          traceId: e2.traceId,
          deliveryId: 'x',
          at: at(2) + 1,
          userId: 'carol',
          succeeded: false,
          final: true,
        }),
      );
      for (const e of [e1, e2, e3]) await ctx.store.write(pid, e.batch);

      const all = await ctx.store.triggerEventFacets(pid, {});
      expect(all.integrations).toEqual([
        { value: 'hubspot', count: 2 },
        { value: 'salesforce', count: 1 },
      ]);
      expect(all.triggerNames).toEqual([
        { value: 'HUBSPOT_DEAL', count: 2 },
        { value: 'SALESFORCE_RECORD_CREATED', count: 1 },
      ]);
      expect(sortFacet(all.userIds)).toEqual([
        { value: 'alice', count: 2 },
        { value: 'bob', count: 1 },
        { value: 'carol', count: 1 },
        { value: 'user-1', count: 1 },
      ]);
      expect(sortFacet(all.statuses)).toEqual([
        { value: 'delivery_failures', count: 1 },
        { value: 'success', count: 2 },
      ]);
      expect(all.types).toEqual([
        { value: 'event', count: 2 },
        { value: 'subscription', count: 1 },
      ]);

      const byCarol = await ctx.store.triggerEventFacets(pid, { userId: 'carol' });
      expect(byCarol.integrations).toEqual([{ value: 'hubspot', count: 1 }]);
      expect(sortFacet(byCarol.userIds)).toEqual(sortFacet(all.userIds));

      const hubspot = await ctx.store.triggerEventFacets(pid, { integration: 'hubspot' });
      expect(sortFacet(hubspot.userIds)).toEqual([
        { value: 'alice', count: 1 },
        { value: 'bob', count: 1 },
        { value: 'carol', count: 1 },
      ]);
      expect(hubspot.integrations).toEqual(all.integrations);
    });
  });

  describe('histograms', () => {
    it('counts tool calls per bucket and status over [from, to), with every bucket present', async () => {
      const pid = await ctx.project();
      const from = ctx.now - 60 * MINUTE;
      const to = ctx.now;
      const calls = [
        toolCall({ at: from - 1 }), // before the range
        toolCall({ at: from }),
        toolCall({ at: from + 5 * MINUTE, status: 'error' }),
        toolCall({ at: from + 10 * MINUTE - 1, integration: 'github' }),
        toolCall({ at: from + 10 * MINUTE }),
        toolCall({ at: from + 55 * MINUTE, status: 'error' }),
        toolCall({ at: to }), // `to` is exclusive
      ];
      await ctx.store.write(pid, batch({ toolCalls: calls }));
      const buckets = await ctx.store.toolCallHistogram(pid, {}, { from, to, bucketMs: 10 * MINUTE });
      expect(buckets.map((b) => b.start)).toEqual([0, 1, 2, 3, 4, 5].map((i) => from + i * 10 * MINUTE));
      expect(buckets.map((b) => b.counts)).toEqual([
        { success: 2, error: 1 },
        { success: 1 },
        {},
        {},
        {},
        { error: 1 },
      ]);
      const slack = await ctx.store.toolCallHistogram(
        pid,
        { integration: 'slack' },
        { from, to, bucketMs: 10 * MINUTE },
      );
      expect(slack[0]?.counts).toEqual({ success: 1, error: 1 });
      const errors = await ctx.store.toolCallHistogram(pid, { status: 'error' }, { from, to, bucketMs: 30 * MINUTE });
      expect(errors.map((b) => b.counts)).toEqual([{ error: 1 }, { error: 1 }]);
    });

    it('counts trigger events per bucket and status, with filters', async () => {
      const pid = await ctx.project();
      const from = ctx.now - 4 * MINUTE;
      const to = ctx.now;
      const events = [
        triggerTrace({ at: from + 1000, deliveries: 1 }),
        triggerTrace({ at: from + 2000, failed: true, userId: 'bob' }),
        triggerTrace({ at: from + 3 * MINUTE }),
      ];
      for (const e of events) await ctx.store.write(pid, e.batch);
      const buckets = await ctx.store.triggerEventHistogram(pid, {}, { from, to, bucketMs: MINUTE });
      expect(buckets.map((b) => b.counts)).toEqual([{ success: 1, processing_failure: 1 }, {}, {}, { queued: 1 }]);
      const bob = await ctx.store.triggerEventHistogram(pid, { userId: 'bob' }, { from, to, bucketMs: 2 * MINUTE });
      expect(bob.map((b) => b.counts)).toEqual([{ processing_failure: 1 }, {}]);
    });

    it('takes as many buckets as the query API may ask for, and refuses one more, with the same bound', async () => {
      const pid = await ctx.project();
      const from = ctx.now - MAX_HISTOGRAM_BUCKETS * MINUTE;
      const most = await ctx.store.toolCallHistogram(pid, {}, { from, to: ctx.now, bucketMs: MINUTE });
      expect(most).toHaveLength(MAX_HISTOGRAM_BUCKETS);
      const oneMore = { from: from - MINUTE, to: ctx.now, bucketMs: MINUTE };
      await expect(ctx.store.toolCallHistogram(pid, {}, oneMore)).rejects.toThrow(
        `at most ${MAX_HISTOGRAM_BUCKETS} buckets`,
      );
      await expect(ctx.store.triggerEventHistogram(pid, {}, oneMore)).rejects.toThrow(RangeError);
    });
  });
}
