import type { StoredTriggerEvent } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import { InvalidCursorError, type Store, type TriggerEventFilters } from '../store.ts';
import type { ConformanceContext } from './context.ts';
import { attempt, batch, log, MINUTE, newTraceId, triggerChild, triggerRoot, triggerTrace } from './fixtures.ts';

async function listAll(store: Store, projectId: string, filters: TriggerEventFilters): Promise<StoredTriggerEvent[]> {
  const items: StoredTriggerEvent[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages += 1) {
    const page = await store.listTriggerEvents(projectId, filters, { limit: 500, cursor });
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

const traceIds = (events: StoredTriggerEvent[]) => events.map((e) => e.traceId);

export function triggerEventsConformance(ctx: ConformanceContext): void {
  describe('trigger events and deliveries', () => {
    it('derives the event record from its root span', async () => {
      const pid = await ctx.project();
      const t = triggerTrace({ at: ctx.now - MINUTE, userId: 'alice', deliveries: 1 });
      await ctx.store.write(pid, t.batch);
      const detail = await ctx.store.getTriggerEvent(pid, t.eventId);
      expect(detail?.event).toEqual({
        eventId: t.eventId,
        traceId: t.traceId,
        projectId: pid,
        type: 'event',
        triggerId: 'trg_1',
        triggerName: 'SALESFORCE_RECORD_CREATED',
        integration: 'salesforce',
        subscriptionModel: 'POLLING',
        userIds: ['alice', 'user-1'],
        receivedAtMs: ctx.now - MINUTE,
        status: 'success',
        deliveryCount: 1,
        failedDeliveryCount: 0,
      });
      expect(detail?.deliveries).toHaveLength(1);
      expect(detail?.deliveries[0]).toMatchObject({ eventId: t.eventId, traceId: t.traceId, status: 'succeeded' });
      expect(detail?.logs).toHaveLength(1);
      expect((await ctx.store.listTriggerEvents(pid, {}, { limit: 10 })).items).toEqual([detail?.event]);
      expect((await ctx.store.getTrace(pid, t.traceId))?.triggerEvents).toEqual([detail?.event]);
    });

    it('moves a late delivery’s event through all four statuses', async () => {
      const pid = await ctx.project();
      const traceId = newTraceId();
      const root = triggerRoot({ traceId, at: ctx.now - 10 * MINUTE });
      const eventId = root.root!.eventId;
      const status = async () => (await ctx.store.getTriggerEvent(pid, eventId))?.event.status;
      /** What the list row shows: deliveries, and how many of them failed. */
      const counts = async () => {
        const [row] = (await ctx.store.listTriggerEvents(pid, {}, { limit: 10 })).items;
        return [row?.deliveryCount, row?.failedDeliveryCount];
      };

      await ctx.store.write(pid, batch({ triggers: [root] }));
      expect(await status()).toBe('queued');

      const d1 = { traceId, deliveryId: 'dlv_a' };
      await ctx.store.write(
        pid,
        batch({ deliveryAttempts: [attempt({ ...d1, at: ctx.now - 9 * MINUTE, succeeded: false, httpStatus: 503 })] }),
      );
      expect(await status()).toBe('queued');
      expect(await counts()).toEqual([1, 0]);

      await ctx.store.write(
        pid,
        batch({ deliveryAttempts: [attempt({ ...d1, attempt: 2, at: ctx.now - 8 * MINUTE })] }),
      );
      expect(await status()).toBe('success');

      const d2 = { traceId, deliveryId: 'dlv_b', userId: 'user-2' };
      await ctx.store.write(
        pid,
        batch({
          deliveryAttempts: [
            attempt({ ...d2, at: ctx.now - 7 * MINUTE, succeeded: false, httpStatus: 500, final: true }),
          ],
        }),
      );
      expect(await status()).toBe('delivery_failures');
      expect(await counts()).toEqual([2, 1]);

      await ctx.store.write(
        pid,
        batch({ triggers: [triggerChild({ traceId, at: ctx.now - 9 * MINUTE, processingFailed: true })] }),
      );
      expect(await status()).toBe('processing_failure');

      // Sticky: a later success does not clear a processing failure.
      await ctx.store.write(
        pid,
        batch({ deliveryAttempts: [attempt({ ...d2, attempt: 2, at: ctx.now - 6 * MINUTE, final: true })] }),
      );
      expect(await status()).toBe('processing_failure');
      expect(await counts()).toEqual([2, 0]);
      const detail = await ctx.store.getTriggerEvent(pid, eventId);
      expect(detail?.event.userIds).toEqual(['user-1', 'user-2']);
      expect(detail?.deliveries.map((d) => [d.deliveryId, d.status, d.attempts])).toEqual([
        ['dlv_a', 'succeeded', 2],
        ['dlv_b', 'succeeded', 2],
      ]);
    });

    it('applies the delivery status rules and aggregates attempts', async () => {
      const pid = await ctx.project();
      const traceId = newTraceId();
      const base = ctx.now - 30 * MINUTE;
      await ctx.store.write(
        pid,
        batch({
          triggers: [triggerRoot({ traceId, at: base })],
          deliveryAttempts: [
            // pending: failed, retry to follow
            attempt({ traceId, deliveryId: 'pending', at: base + 1000, succeeded: false, httpStatus: 502 }),
            // failed: final attempt failed
            attempt({ traceId, deliveryId: 'failed', at: base + 1000, succeeded: false, httpStatus: 500 }),
            attempt({
              traceId,
              deliveryId: 'failed',
              attempt: 2,
              at: base + 5000,
              succeeded: false,
              httpStatus: 404,
              final: true,
              durationMs: 70,
            }),
            // succeeded: any 2xx wins, even before a final failure arrives
            attempt({ traceId, deliveryId: 'ok', at: base + 1000, succeeded: true, httpStatus: 201 }),
            attempt({
              traceId,
              deliveryId: 'ok',
              attempt: 2,
              at: base + 9000,
              succeeded: false,
              httpStatus: 500,
              final: true,
            }),
          ],
        }),
      );
      const detail = await ctx.store.getTriggerEvent(pid, (await listAll(ctx.store, pid, {}))[0]!.eventId!);
      const byId = Object.fromEntries(detail!.deliveries.map((d) => [d.deliveryId, d]));
      expect(byId.pending).toMatchObject({ status: 'pending', attempts: 1, lastHttpStatus: 502 });
      expect(byId.failed).toMatchObject({
        status: 'failed',
        attempts: 2,
        createdAtMs: base + 1000,
        lastAttemptAtMs: base + 5000,
        lastHttpStatus: 404,
        durationMs: 70,
        webhookUrl: 'https://customer.example/webhook',
        triggerId: 'trg_1',
        userId: 'user-1',
      });
      expect(byId.ok).toMatchObject({ status: 'succeeded', attempts: 2 });
      expect(detail?.event).toMatchObject({ status: 'delivery_failures', deliveryCount: 3, failedDeliveryCount: 1 });
    });

    it('accepts deliveries and children before the root, and fills the event in when the root arrives', async () => {
      const pid = await ctx.project();
      const traceId = newTraceId();
      const root = triggerRoot({ traceId, at: ctx.now - 10 * MINUTE, userId: 'root-user' });
      await ctx.store.write(
        pid,
        batch({
          triggers: [triggerChild({ traceId, at: ctx.now - 9 * MINUTE })],
          deliveryAttempts: [
            attempt({ traceId, deliveryId: 'd1', at: ctx.now - 8 * MINUTE, userId: 'u-d', final: true }),
          ],
          logs: [log({ traceId, at: ctx.now - 8 * MINUTE, kind: 'trigger_delivery' })],
        }),
      );
      const early = await listAll(ctx.store, pid, {});
      expect(early).toHaveLength(1);
      // Every delivery seen so far succeeded, so the rules already say success; the event ID waits for the root.
      expect(early[0]).toMatchObject({
        traceId,
        eventId: null,
        status: 'success',
        userIds: ['u-d'],
        receivedAtMs: ctx.now - 9 * MINUTE,
      });
      expect(await ctx.store.getTriggerEvent(pid, root.root!.eventId)).toBeNull();

      await ctx.store.write(pid, batch({ triggers: [root] }));
      const detail = await ctx.store.getTriggerEvent(pid, root.root!.eventId);
      expect(detail?.event).toMatchObject({
        eventId: root.root!.eventId,
        receivedAtMs: ctx.now - 10 * MINUTE,
        integration: 'salesforce',
        triggerName: 'SALESFORCE_RECORD_CREATED',
        status: 'success',
        userIds: ['root-user', 'u-d'],
      });
      expect(detail?.deliveries.map((d) => d.eventId)).toEqual([root.root!.eventId]);
      expect(await listAll(ctx.store, pid, {})).toHaveLength(1);
    });

    it('reaches the same state whatever the arrival order, and re-sending changes nothing', async () => {
      const traceId = newTraceId();
      const root = triggerRoot({ traceId, at: ctx.now - 10 * MINUTE, failed: false });
      const facts = [
        batch({ triggers: [root], logs: [log({ traceId, spanId: root.spanId, at: ctx.now - 10 * MINUTE })] }),
        batch({ triggers: [triggerChild({ traceId, at: ctx.now - 9 * MINUTE })] }),
        batch({
          deliveryAttempts: [
            attempt({ traceId, deliveryId: 'd1', at: ctx.now - 8 * MINUTE, succeeded: false, final: false }),
          ],
        }),
        batch({
          deliveryAttempts: [
            attempt({ traceId, deliveryId: 'd1', attempt: 2, at: ctx.now - 7 * MINUTE, succeeded: false, final: true }),
          ],
        }),
      ];
      const forward = await ctx.project();
      const backward = await ctx.project();
      for (const b of facts) await ctx.store.write(forward, b);
      for (const b of [...facts].reverse()) await ctx.store.write(backward, b);
      for (const b of facts) await ctx.store.write(backward, b);
      const strip = (detail: Awaited<ReturnType<Store['getTriggerEvent']>>) =>
        JSON.parse(JSON.stringify(detail).replaceAll(forward, 'P').replaceAll(backward, 'P'));
      const a = await ctx.store.getTriggerEvent(forward, root.root!.eventId);
      const b = await ctx.store.getTriggerEvent(backward, root.root!.eventId);
      expect(a?.event.status).toBe('delivery_failures');
      expect(a?.deliveries[0]?.attempts).toBe(2);
      expect(strip(b)).toEqual(strip(a));
    });

    it('a failed root is a processing failure, whatever the deliveries say', async () => {
      const pid = await ctx.project();
      const t = triggerTrace({ at: ctx.now - MINUTE, failed: true, deliveries: 2 });
      await ctx.store.write(pid, t.batch);
      expect((await ctx.store.getTriggerEvent(pid, t.eventId))?.event.status).toBe('processing_failure');
    });

    it('subscriptions: queued until the root completes, success after, processing failure when webhook creation fails for good', async () => {
      const pid = await ctx.project();
      const ok = newTraceId();
      await ctx.store.write(
        pid,
        batch({ triggers: [triggerChild({ traceId: ok, type: 'subscription', at: ctx.now - 3 * MINUTE })] }),
      );
      expect((await listAll(ctx.store, pid, { type: 'subscription' }))[0]).toMatchObject({
        traceId: ok,
        status: 'queued',
        type: 'subscription',
      });
      await ctx.store.write(
        pid,
        batch({ triggers: [triggerRoot({ traceId: ok, type: 'subscription', at: ctx.now - 3 * MINUTE })] }),
      );
      expect((await listAll(ctx.store, pid, { type: 'subscription' }))[0]).toMatchObject({
        traceId: ok,
        status: 'success',
      });

      const bad = newTraceId();
      await ctx.store.write(
        pid,
        batch({
          triggers: [
            triggerRoot({ traceId: bad, type: 'subscription', at: ctx.now - 2 * MINUTE }),
            triggerChild({ traceId: bad, type: 'subscription', at: ctx.now - 2 * MINUTE + 10, processingFailed: true }),
          ],
        }),
      );
      const subs = await listAll(ctx.store, pid, { type: 'subscription' });
      expect(subs.map((s) => [s.traceId, s.status])).toEqual([
        [bad, 'processing_failure'],
        [ok, 'success'],
      ]);
      expect(await listAll(ctx.store, pid, { type: 'event' })).toEqual([]);
    });

    describe('filters', () => {
      async function seed(pid: string) {
        const at = (m: number) => ctx.now - m * MINUTE;
        const e0 = triggerTrace({ at: at(6), userId: 'alice', integration: 'salesforce', deliveries: 1 });
        const e1 = triggerTrace({
          at: at(5),
          userId: 'bob',
          integration: 'hubspot',
          triggerName: 'HUBSPOT_DEAL_CREATED',
        });
        const e2 = triggerTrace({ at: at(4), userId: null, integration: 'salesforce', failed: true });
        // carol only appears as a delivery's user
        const e3 = triggerTrace({
          at: at(3),
          userId: 'alice',
          integration: 'hubspot',
          triggerName: 'HUBSPOT_DEAL_CREATED',
        });
        e3.batch.deliveryAttempts.push(
          attempt({ traceId: e3.traceId, deliveryId: 'dc', at: at(3) + 5, userId: 'carol', final: true }),
        );
        const e4 = triggerTrace({ at: at(2), userId: 'bob', type: 'subscription' });
        for (const e of [e0, e1, e2, e3, e4]) await ctx.store.write(pid, e.batch);
        return [e0, e1, e2, e3, e4].map((e) => e.traceId) as [string, string, string, string, string];
      }

      it('applies each filter alone and in combination', async () => {
        const pid = await ctx.project();
        const [t0, t1, t2, t3, t4] = await seed(pid);
        const got = async (filters: TriggerEventFilters) => traceIds(await listAll(ctx.store, pid, filters));
        expect(await got({})).toEqual([t4, t3, t2, t1, t0]);
        expect(await got({ userId: 'alice' })).toEqual([t3, t0]);
        expect(await got({ userId: 'carol' })).toEqual([t3]);
        expect(await got({ userId: 'user-1' })).toEqual([t0]);
        expect(await got({ integration: 'hubspot' })).toEqual([t3, t1]);
        expect(await got({ status: 'processing_failure' })).toEqual([t2]);
        expect(await got({ status: 'success' })).toEqual([t4, t3, t0]);
        expect(await got({ status: 'queued' })).toEqual([t1]);
        expect(await got({ type: 'subscription' })).toEqual([t4]);
        expect(await got({ triggerName: 'HUBSPOT_DEAL_CREATED' })).toEqual([t3, t1]);
        expect(await got({ from: ctx.now - 4 * MINUTE })).toEqual([t4, t3, t2]);
        expect(await got({ to: ctx.now - 4 * MINUTE })).toEqual([t1, t0]);
        expect(await got({ userId: 'alice', integration: 'hubspot' })).toEqual([t3]);
        expect(await got({ userId: 'bob', type: 'event', status: 'queued' })).toEqual([t1]);
        expect(await got({ integration: 'salesforce', from: ctx.now - 5 * MINUTE, to: ctx.now })).toEqual([t4, t2]);
        expect(await got({ userId: 'alice', status: 'processing_failure' })).toEqual([]);
      });

      it('matches SQL metacharacters literally', async () => {
        const pid = await ctx.project();
        const tricky = ["' OR 1=1 --", '%', '_', 'a_c', 'abc'];
        const traces = [];
        for (const [i, value] of tricky.entries()) {
          const t = triggerTrace({
            at: ctx.now - (i + 1) * MINUTE,
            userId: value,
            integration: value,
            triggerName: value,
          });
          await ctx.store.write(pid, t.batch);
          traces.push(t.traceId);
        }
        for (const [i, value] of tricky.entries()) {
          for (const key of ['userId', 'integration', 'triggerName'] as const) {
            expect(traceIds(await listAll(ctx.store, pid, { [key]: value })), `${key}=${value}`).toEqual([traces[i]]);
          }
        }
      });
    });

    it('pages never skip or repeat an event when newer events arrive between pages', async () => {
      for (const filters of [{}, { userId: 'alice' }] as TriggerEventFilters[]) {
        const pid = await ctx.project();
        const initial = Array.from({ length: 14 }, (_, i) =>
          triggerTrace({ at: ctx.now - (i + 10) * MINUTE, userId: 'alice' }),
        );
        await ctx.store.write(pid, batch({ triggers: initial.flatMap((t) => t.batch.triggers) }));
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await ctx.store.listTriggerEvents(pid, filters, { limit: 4, cursor });
          seen.push(...traceIds(page.items));
          cursor = page.nextCursor ?? undefined;
          await ctx.store.write(pid, triggerTrace({ at: ctx.now - seen.length, userId: 'alice' }).batch);
        } while (cursor);
        expect(seen, JSON.stringify(filters)).toEqual(initial.map((t) => t.traceId));
      }
    });

    it('rejects a forged trigger-event cursor', async () => {
      const pid = await ctx.project();
      await ctx.store.write(pid, triggerTrace({ at: ctx.now }).batch);
      for (const cursor of ['garbage', Buffer.from('{"x":true}').toString('base64url')]) {
        await expect(ctx.store.listTriggerEvents(pid, {}, { limit: 5, cursor })).rejects.toThrow(InvalidCursorError);
      }
    });

    it('isolates projects', async () => {
      const a = await ctx.project();
      const b = await ctx.project();
      const t = triggerTrace({ at: ctx.now - MINUTE, deliveries: 1 });
      await ctx.store.write(a, t.batch);
      expect(await ctx.store.getTriggerEvent(b, t.eventId)).toBeNull();
      expect(await ctx.store.getTrace(b, t.traceId)).toBeNull();
      expect(await listAll(ctx.store, b, {})).toEqual([]);
      expect((await ctx.store.triggerEventFacets(b, {})).integrations).toEqual([]);
      expect(await ctx.store.getTriggerEvent(a, 'evt_unknown')).toBeNull();
    });
  });
}
