/**
 * runDemo end to end: the demo service, instrumented with the real SDK, sends
 * its traffic over OTLP/HTTP to a real collector and SQLite store, and every
 * status of both UI tabs gets rows.
 */
import { DELIVERY_STATUSES, type Delivery, TRIGGER_EVENT_STATUSES, type TriggerEvent } from '@tooltrace/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoExportError, type DemoSummary, runDemo } from './index.ts';
import { type CollectorHarness, startCollectorHarness } from './testing/collector-harness.ts';

let h: CollectorHarness;
let summary: DemoSummary;
let events: TriggerEvent[];
let deliveries: Delivery[];

beforeAll(async () => {
  h = await startCollectorHarness();
  summary = await runDemo({ collectorUrl: h.collectorUrl, ingestKey: h.ingestKey, uiBaseUrl: 'http://127.0.0.1:8080' });
  events = (await h.store.listTriggerEvents(h.projectId, {}, { limit: 500 })).items;
  deliveries = [];
  for (const event of events) {
    deliveries.push(...((await h.store.getTriggerEvent(h.projectId, event.eventId!))?.deliveries ?? []));
  }
});
afterAll(() => h?.close());

describe('runDemo', () => {
  it('when it resolves, then every tool call and trigger event it reports is already in the store', async () => {
    const toolCalls = await h.store.listToolCalls(h.projectId, {}, { limit: 500 });
    expect(summary.toolCalls).toBeGreaterThanOrEqual(60);
    expect(summary.toolCalls).toBeLessThanOrEqual(120);
    expect(toolCalls.items).toHaveLength(summary.toolCalls);
    expect(summary.triggerEvents).toBeGreaterThanOrEqual(20);
    expect(summary.triggerEvents).toBeLessThanOrEqual(40);
    expect(events).toHaveLength(summary.triggerEvents);
  });

  it('when the Tools tab is filled, then it has successes and errors across 4+ integrations and 10+ users', async () => {
    const facets = await h.store.toolCallFacets(h.projectId, {});
    expect(facets.statuses.map((s) => s.value).sort()).toEqual(['error', 'success']);
    expect(facets.types.map((s) => s.value).sort()).toEqual(['list_tools', 'run_tool']);
    expect(facets.integrations.length).toBeGreaterThanOrEqual(4);
    expect(facets.userIds.length).toBeGreaterThanOrEqual(10);
    const errors = (await h.store.listToolCalls(h.projectId, { status: 'error' }, { limit: 500 })).items;
    expect(new Set(errors.map((call) => call.httpStatus))).toEqual(new Set([400, 401, 403, 404, 429, 500]));
  });

  it('when the Triggers tab is filled, then every event status and every delivery status occurs', () => {
    const statuses = new Set(events.map((event) => event.status));
    expect([...statuses].sort()).toEqual([...TRIGGER_EVENT_STATUSES].sort());
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(['event', 'subscription']));
    expect(events.some((event) => event.type === 'subscription' && event.status === 'processing_failure')).toBe(true);
    expect(events.some((event) => event.type === 'subscription' && event.status === 'success')).toBe(true);
    expect(new Set(events.map((event) => event.subscriptionModel))).toEqual(new Set(['POLLING', 'WEBHOOK']));
    expect([...new Set(deliveries.map((delivery) => delivery.status))].sort()).toEqual([...DELIVERY_STATUSES].sort());
    // retried then succeeded, and failed for good after several attempts
    expect(deliveries.some((d) => d.status === 'succeeded' && d.attempts > 1)).toBe(true);
    expect(deliveries.some((d) => d.status === 'failed' && d.attempts > 1)).toBe(true);
  });

  it('when provider calls succeed, then no stored log carries a response body; error logs do', async () => {
    let errorBodies = 0;
    const calls = (await h.store.listToolCalls(h.projectId, {}, { limit: 500 })).items;
    for (const call of calls) {
      const trace = await h.store.getTrace(h.projectId, call.traceId);
      for (const log of trace?.logs ?? []) {
        if (log.body !== null) {
          expect(log.level).toBe('error');
          errorBodies += 1;
        }
      }
      // Markers that only appear in successful provider answers (a Slack channel ID, a refreshed OAuth token).
      expect(JSON.stringify(trace)).not.toMatch(/C024BE91L|oauth-user-\d+-refreshed/);
    }
    expect(errorBodies).toBeGreaterThan(0);
  });

  it('when the demo runs again into the same store, then its events are new rows, not overwrites of the first run', async () => {
    const again = await runDemo({ collectorUrl: h.collectorUrl, ingestKey: h.ingestKey, seed: 7 });
    const all = (await h.store.listTriggerEvents(h.projectId, {}, { limit: 500 })).items;
    expect(all).toHaveLength(summary.triggerEvents + again.triggerEvents);
    expect(new Set(all.map((event) => event.eventId)).size).toBe(all.length);
  });

  it('when the ingest key is wrong, then runDemo rejects saying the traffic did not arrive', async () => {
    await expect(runDemo({ collectorUrl: h.collectorUrl, ingestKey: 'tt_ingest_wrong' })).rejects.toThrow(
      DemoExportError,
    );
  });
});
