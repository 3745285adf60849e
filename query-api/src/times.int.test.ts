/**
 * Times in the API's JSON over real HTTP and a real SQLite store: the store carries epoch ms (logs also
 * the nanoseconds past it) and every answer has ISO 8601 in UTC, with `timeUnixNano` exact to the
 * nanosecond. The expected strings are written out here, not computed by the serialiser under test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TraceDetail, TriggerEventDetail } from './schemas.ts';
import { merge, toolCallTrace, triggerTrace } from './testing/fixtures.ts';
import { startTestApi, type TestApi } from './testing/harness.ts';

// 2026-11-30T10:11:12.345Z; recent enough for every plan's age limit as the test runs (it is moved to
// the last hour below, by whole hours, so the ISO text keeps its minutes, seconds and milliseconds).
const BASE = Date.UTC(2026, 10, 30, 10, 11, 12, 345);
const HOUR = 3_600_000;
const at = BASE + Math.floor((Date.now() - HOUR - BASE) / HOUR) * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

let t: TestApi;
const call = toolCallTrace({ at });
const event = triggerTrace({ at: at + 1, delivery: 'failed' });
// The call's root span starts 123 456 ns into its millisecond.
const logs = call.batch.logs.map((l, i) => (i === 0 ? { ...l, subMsNanos: 123_456 } : l));

beforeAll(async () => {
  t = await startTestApi();
  await t.store.write(t.a.project.projectId, merge([{ ...call.batch, logs }, event.batch]));
});
afterAll(() => t?.close());

describe('times in answers', () => {
  it('when a trace is read, then the call, its logs and spans carry ISO times in UTC and exact nanoseconds', async () => {
    const body = TraceDetail.parse(await t.json(`/api/v1/traces/${call.fact.traceId}`));
    expect(body.toolCalls[0]?.startedAt).toBe(iso(at));
    expect(body.toolCalls[0]?.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:11:12\.345Z$/);
    const root = body.logs.find((l) => l.spanId === call.fact.spanId);
    expect(root?.timestamp).toBe(iso(at));
    expect(root?.timeUnixNano).toBe(`${at}123456`);
    const child = body.logs.find((l) => l.spanId !== call.fact.spanId);
    expect(child?.timestamp).toBe(iso(at + 5));
    expect(child?.timeUnixNano).toBe(`${at + 5}000000`);
    expect(body.spans[0]).toMatchObject({ timestamp: iso(at), timeUnixNano: `${at}123456` });
  });

  it('when a trigger event is read, then it and its delivery carry ISO times in UTC', async () => {
    const body = TriggerEventDetail.parse(await t.json(`/api/v1/trigger-events/${event.eventId}`));
    expect(body.event.receivedAt).toBe(iso(at + 1));
    expect(body.deliveries[0]).toMatchObject({ createdAt: iso(at + 21), lastAttemptAt: iso(at + 21) });
    const list = (await t.json('/api/v1/trigger-events')) as { items: { receivedAt: string }[] };
    expect(list.items.map((e) => e.receivedAt)).toEqual([iso(at + 1)]);
  });

  it('when the retention status is read, then the oldest log time is ISO in UTC', async () => {
    const body = (await t.json('/api/v1/project/retention')) as { oldestLogAt: string | null };
    expect(body.oldestLogAt).toBe(iso(at));
  });
});
