/** GET /api/v1/project/ingest against a real Express server and SQLite store. */
import { emptyBatch, type ProjectIngest } from '@tooltrace/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSpanId, newTraceId, spanLog, toolCallTrace } from './testing/fixtures.ts';
import { startTestApi, type TestApi } from './testing/harness.ts';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

describe('GET /api/v1/project/ingest', () => {
  it("when the collector recorded a project's ingest, then its read key sees it with its sample traces and the other project sees only its own", async () => {
    const atMs = Date.now();
    const mineTrace = 'a'.repeat(31) + '1';
    const theirTrace = 'b'.repeat(31) + '2';
    await t.store.ingestStatus.record(t.a.project.projectId, {
      atMs,
      bySender: { checkout: { accepted: 139_460, rejected: 2, throttled: 0 } },
      byReason: { log_without_trace: { count: 2, lastMessage: 'logRecords[0].traceId: missing' } },
      samples: { checkout: [{ traceId: mineTrace, name: 'GET /orders', atMs }] },
    });
    await t.store.ingestStatus.record(t.b.project.projectId, {
      atMs,
      bySender: { checkout: { accepted: 1, rejected: 0, throttled: 0 } },
      byReason: {},
      samples: { checkout: [{ traceId: theirTrace, name: 'GET /secret', atMs }] },
    });
    const mine = await t.json<{ last24h: { totals: unknown; bySender: unknown[] }; lastRejections: unknown[] }>(
      '/api/v1/project/ingest',
    );
    expect(mine.last24h.totals).toEqual({ accepted: 139_460, rejected: 2, throttled: 0 });
    expect(mine.last24h.bySender).toEqual([
      {
        serviceName: 'checkout',
        accepted: 139_460,
        rejected: 2,
        throttled: 0,
        sampleTraces: [{ traceId: mineTrace, name: 'GET /orders', at: new Date(atMs).toISOString() }],
      },
    ]);
    expect(JSON.stringify(mine)).not.toContain(theirTrace);
    expect(mine.lastRejections).toEqual([
      { reason: 'log_without_trace', message: 'logRecords[0].traceId: missing', at: expect.any(String) },
    ]);
    const theirs = await t.json<{ last7d: { totals: unknown } }>('/api/v1/project/ingest', t.b.readKey);
    expect(theirs.last7d.totals).toEqual({ accepted: 1, rejected: 0, throttled: 0 });
    expect(JSON.stringify(theirs)).toContain(theirTrace);
    expect(JSON.stringify(theirs)).not.toContain(mineTrace);
  });

  it('when a trace sampled as plain gets its tool call in a later request, then it is no longer a sample trace', async () => {
    const atMs = Date.now();
    const [plain, laterToolCall] = [newTraceId(), newTraceId()];
    const root = (traceId: string) =>
      spanLog({ traceId, spanId: newSpanId(), parentSpanId: null, at: atMs, kind: 'internal', name: 'GET /' });
    await t.store.write(t.b.project.projectId, { ...emptyBatch(), logs: [root(plain), root(laterToolCall)] });
    await t.store.ingestStatus.record(t.b.project.projectId, {
      atMs,
      bySender: { web: { accepted: 2, rejected: 0, throttled: 0 } },
      byReason: {},
      samples: {
        web: [
          { traceId: laterToolCall, name: 'GET /', atMs },
          { traceId: plain, name: 'GET /', atMs },
        ],
      },
    });
    const samples = async () =>
      (await t.json<ProjectIngest>('/api/v1/project/ingest', t.b.readKey)).last24h.bySender
        .find((s) => s.serviceName === 'web')
        ?.sampleTraces.map((s) => s.traceId);
    expect(await samples()).toEqual([laterToolCall, plain]);

    await t.store.write(t.b.project.projectId, toolCallTrace({ traceId: laterToolCall, at: atMs }).batch);
    expect(await samples()).toEqual([plain]);
  });

  it('when no key is sent, then 401', async () => {
    expect((await t.call('/api/v1/project/ingest', { key: null })).status).toBe(401);
  });
});
