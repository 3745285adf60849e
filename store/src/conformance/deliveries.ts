/**
 * Deliveries across traces and batches, and subscriptions (DESIGN §4): the
 * cases where the SQLite and Elasticsearch folds once disagreed (issue 17).
 */
import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './context.ts';
import { attempt, batch, MINUTE, newTraceId, triggerChild, triggerRoot } from './fixtures.ts';

export function deliveriesConformance(ctx: ConformanceContext): void {
  describe('deliveries across traces and batches', () => {
    it('a delivery retried from a later trace is one delivery with every attempt, whichever trace arrives first', async () => {
      for (const laterFirst of [false, true]) {
        const pid = await ctx.project();
        const traceId = newTraceId();
        const later = newTraceId();
        const root = triggerRoot({ traceId, at: ctx.now - 10 * MINUTE });
        const eventId = root.root!.eventId;
        const first = batch({
          triggers: [root],
          deliveryAttempts: [
            attempt({ traceId, deliveryId: 'dx', at: ctx.now - 9 * MINUTE, succeeded: false, httpStatus: 503 }),
          ],
        });
        const retried = batch({
          deliveryAttempts: [
            attempt({ traceId: later, deliveryId: 'dx', eventId, attempt: 2, at: ctx.now - 2 * MINUTE, final: true }),
          ],
        });
        for (const b of laterFirst ? [retried, first] : [first, retried]) await ctx.store.write(pid, b);
        const detail = await ctx.store.getTriggerEvent(pid, eventId);
        expect(detail?.event.status).toBe('success');
        expect(detail?.deliveries).toEqual([
          expect.objectContaining({
            deliveryId: 'dx',
            eventId,
            traceId,
            status: 'succeeded',
            attempts: 2,
            lastHttpStatus: 200,
            lastAttemptAtMs: ctx.now - 2 * MINUTE,
          }),
        ]);
      }
    });

    it('attempts arriving out of order across batches fold to the same delivery', async () => {
      const pid = await ctx.project();
      const traceId = newTraceId();
      const root = triggerRoot({ traceId, at: ctx.now - 10 * MINUTE });
      const d = { traceId, deliveryId: 'dz', succeeded: false };
      const tries = [
        attempt({ ...d, attempt: 3, at: ctx.now - 3 * MINUTE, final: true, httpStatus: 504, durationMs: 3 }),
        attempt({ ...d, attempt: 1, at: ctx.now - 9 * MINUTE, httpStatus: 500, durationMs: 1 }),
        attempt({ ...d, attempt: 2, at: ctx.now - 6 * MINUTE, httpStatus: 502, durationMs: 2 }),
      ];
      await ctx.store.write(pid, batch({ deliveryAttempts: [tries[0]!] }));
      await ctx.store.write(pid, batch({ triggers: [root], deliveryAttempts: [tries[1]!] }));
      await ctx.store.write(pid, batch({ deliveryAttempts: [tries[2]!] }));
      const detail = await ctx.store.getTriggerEvent(pid, root.root!.eventId);
      expect(detail?.event.status).toBe('delivery_failures');
      expect(detail?.deliveries).toEqual([
        expect.objectContaining({
          deliveryId: 'dz',
          status: 'failed',
          attempts: 3,
          lastHttpStatus: 504,
          durationMs: 3,
          createdAtMs: ctx.now - 9 * MINUTE,
          lastAttemptAtMs: ctx.now - 3 * MINUTE,
        }),
      ]);
    });

    it('a subscription whose webhook creation fails then succeeds is a success; a final failure is a processing failure', async () => {
      const pid = await ctx.project();
      const ok = newTraceId();
      const okRoot = triggerRoot({ traceId: ok, type: 'subscription', at: ctx.now - 5 * MINUTE });
      // The failed, non-final creation arrives last: it must not undo the success.
      await ctx.store.write(pid, batch({ triggers: [okRoot] }));
      await ctx.store.write(
        pid,
        batch({ triggers: [triggerChild({ traceId: ok, type: 'subscription', at: ctx.now - 5 * MINUTE + 10 })] }),
      );
      const failed = newTraceId();
      const failedRoot = triggerRoot({ traceId: failed, type: 'subscription', at: ctx.now - 4 * MINUTE });
      await ctx.store.write(
        pid,
        batch({
          triggers: [
            triggerChild({
              traceId: failed,
              type: 'subscription',
              at: ctx.now - 4 * MINUTE + 10,
              processingFailed: true,
            }),
          ],
        }),
      );
      await ctx.store.write(pid, batch({ triggers: [failedRoot] }));
      const okEvent = await ctx.store.getTriggerEvent(pid, okRoot.root!.eventId);
      const failedEvent = await ctx.store.getTriggerEvent(pid, failedRoot.root!.eventId);
      expect(okEvent?.event).toMatchObject({ type: 'subscription', status: 'success' });
      expect(failedEvent?.event).toMatchObject({ type: 'subscription', status: 'processing_failure' });
    });
  });
}
