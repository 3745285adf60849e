/**
 * runDemo end to end: the demo service, instrumented with the real SDK, sends
 * its traffic over OTLP/HTTP to a real collector and SQLite store, and every
 * status of both UI tabs gets rows.
 */
import {
  DELIVERY_STATUSES,
  type StoredDelivery as Delivery,
  type StoredLog as LogEntry,
  type StoredToolCall as ToolCall,
  TRIGGER_EVENT_STATUSES,
  type StoredTriggerEvent as TriggerEvent,
} from '@tooltrace/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoExportError, type DemoSummary, runDemo } from './index.ts';
import { type CollectorHarness, startCollectorHarness } from './testing/collector-harness.ts';

const HOUR_MS = 3_600_000;

let h: CollectorHarness;
let summary: DemoSummary;
let finishedAt: number;
let toolCalls: ToolCall[];
let events: TriggerEvent[];
let deliveries: Delivery[];
/** Every stored entry (spans, span events, log records) of every trace the demo made. */
let traceLogs: Map<string, LogEntry[]>;

beforeAll(async () => {
  h = await startCollectorHarness();
  summary = await runDemo({ collectorUrl: h.collectorUrl, ingestKey: h.ingestKey, uiBaseUrl: 'http://127.0.0.1:8080' });
  finishedAt = Date.now();
  toolCalls = (await h.store.listToolCalls(h.projectId, {}, { limit: 500 })).items;
  events = (await h.store.listTriggerEvents(h.projectId, {}, { limit: 500 })).items;
  deliveries = [];
  for (const event of events) {
    deliveries.push(...((await h.store.getTriggerEvent(h.projectId, event.eventId!))?.deliveries ?? []));
  }
  traceLogs = new Map();
  for (const traceId of new Set([...toolCalls, ...events].map((row) => row.traceId))) {
    traceLogs.set(traceId, (await h.store.getTrace(h.projectId, traceId))?.logs ?? []);
  }
});

const times = (ms: number[]) => [...ms].sort((a, b) => a - b);
afterAll(() => h?.close());

describe('runDemo', () => {
  it('when it resolves, then every tool call and trigger event it reports is already in the store', () => {
    expect(summary.toolCalls).toBeGreaterThanOrEqual(60);
    expect(summary.toolCalls).toBeLessThanOrEqual(120);
    expect(toolCalls).toHaveLength(summary.toolCalls);
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
    for (const call of toolCalls) {
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

  it('when the demo has run, then its tool calls and trigger events are spread over the last day, newest now', () => {
    const calls = times(toolCalls.map((call) => call.startedAtMs));
    const received = times(events.map((event) => event.receivedAtMs));
    for (const spread of [calls, received]) {
      expect(spread.at(-1)! - spread[0]!).toBeGreaterThan(12 * HOUR_MS);
      // Inside the UI's default 24 h view, and never in the future.
      expect(spread[0]!).toBeGreaterThan(finishedAt - 24 * HOUR_MS);
      expect(spread.at(-1)!).toBeLessThanOrEqual(finishedAt);
    }
    expect(calls.at(-1)!).toBeGreaterThan(finishedAt - 5 * 60_000);
    // Spread, not bunched at both ends: most hours of the day have traffic.
    const hours = new Set(calls.map((t) => Math.floor((finishedAt - t) / HOUR_MS)));
    expect(hours.size).toBeGreaterThanOrEqual(16);
  });

  it('when a trace is moved back in time, then all of it moves together: its logs lie inside its own spans', () => {
    for (const [traceId, logs] of traceLogs) {
      const spans = logs.filter((log) => log.source === 'span');
      expect(spans.length, traceId).toBeGreaterThan(0);
      const start = Math.min(...spans.map((span) => span.timeMs));
      const end = Math.max(...spans.map((span) => span.timeMs + (span.durationMs ?? 0)));
      // A trace (delivery retries included) takes seconds; a span shifted by another trace's offset would stretch it by hours.
      expect(end - start, traceId).toBeLessThan(10 * 60_000);
      for (const log of logs.filter((entry) => entry.source !== 'span')) {
        expect(log.timeMs, `${traceId} ${log.message}`).toBeGreaterThanOrEqual(start - 1);
        expect(log.timeMs, `${traceId} ${log.message}`).toBeLessThanOrEqual(end + 1);
      }
    }
    const logRecords = [...traceLogs.values()].flat().filter((entry) => entry.source === 'log_record');
    expect(logRecords.length).toBeGreaterThan(0);
  });

  it('when deliveries are retried, then every attempt stays with its event, not at the time the demo ran', () => {
    const eventTimes = new Map(events.map((event) => [event.eventId, event.receivedAtMs]));
    const old = deliveries.filter((d) => eventTimes.get(d.eventId)! < finishedAt - HOUR_MS);
    expect(old.some((d) => d.attempts > 1)).toBe(true);
    for (const delivery of old) {
      expect(delivery.lastAttemptAtMs - eventTimes.get(delivery.eventId)!).toBeLessThan(10 * 60_000);
    }
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
