import { type IngestDelta, MAX_SAMPLES_PER_SENDER } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import { MAX_SENDERS_PER_HOUR } from '../ingest-status.ts';
import { MAX_TRACE_LOOKUP } from '../request-checks.ts';
import type { ConformanceContext } from './context.ts';
import { batch, log, newTraceId, toolCallTrace, triggerChild, triggerTrace } from './fixtures.ts';

const HOUR_MS = 3_600_000;

function delta(atMs: number, sender: string, accepted: number, rejected: number, message?: string): IngestDelta {
  return {
    atMs,
    bySender: { [sender]: { accepted, rejected, throttled: 0 } },
    byReason: rejected > 0 ? { log_without_trace: { count: rejected, lastMessage: message ?? 'no trace ID' } } : {},
  };
}

export function ingestStatusConformance(ctx: ConformanceContext): void {
  describe('ingest status', () => {
    it('sums deltas by sender and reason over 24 h and 7 d, and keeps the last message of each kind', async () => {
      const projectId = await ctx.project();
      const status = ctx.store.ingestStatus;
      await status.record(projectId, delta(ctx.now - 3 * 24 * HOUR_MS, 'checkout', 100, 2, 'older reason'));
      await status.record(projectId, delta(ctx.now - 2 * HOUR_MS, 'checkout', 10, 1, 'newer reason'));
      await status.record(projectId, delta(ctx.now - HOUR_MS, 'agent', 5, 0));
      await status.record(projectId, {
        atMs: ctx.now - HOUR_MS,
        bySender: { agent: { accepted: 0, rejected: 0, throttled: 7 } },
        byReason: { overloaded: { count: 7, lastMessage: 'busy' } },
      });

      const summary = await status.summary(projectId);
      expect(summary.last24h.totals).toEqual({ accepted: 15, rejected: 1, throttled: 7 });
      expect(summary.last7d.totals).toEqual({ accepted: 115, rejected: 3, throttled: 7 });
      expect(summary.last7d.bySender).toEqual([
        { serviceName: 'checkout', accepted: 110, rejected: 3, throttled: 0, sampleTraces: [] },
        { serviceName: 'agent', accepted: 5, rejected: 0, throttled: 7, sampleTraces: [] },
      ]);
      expect(summary.last24h.byReason).toEqual([
        { reason: 'overloaded', count: 7 },
        { reason: 'log_without_trace', count: 1 },
      ]);
      expect(summary.lastRejections.map(({ reason, message }) => ({ reason, message }))).toEqual([
        { reason: 'overloaded', message: 'busy' },
        { reason: 'log_without_trace', message: 'newer reason' },
      ]);
    });

    it('keeps the newest sample traces of each sender, newest first, one per trace and bounded, each in its window', async () => {
      const projectId = await ctx.project();
      const status = ctx.store.ingestStatus;
      const trace = (n: number) => n.toString(16).padStart(32, 'a');
      const withSamples = (atMs: number, sender: string, ids: number[]): IngestDelta => ({
        ...delta(atMs, sender, ids.length, 0),
        samples: { [sender]: ids.map((n) => ({ traceId: trace(n), name: `GET /${n}`, atMs })) },
      });
      await status.record(projectId, withSamples(ctx.now - 3 * 24 * HOUR_MS, 'checkout', [1, 2]));
      await status.record(projectId, withSamples(ctx.now - 2 * HOUR_MS, 'checkout', [3, 4]));
      // Trace 3 again, later: it moves up instead of taking a second place.
      await status.record(projectId, withSamples(ctx.now - HOUR_MS, 'checkout', [3]));
      await status.record(projectId, withSamples(ctx.now - HOUR_MS, 'agent', [9]));

      const summary = await status.summary(projectId);
      const samplesOf = (window: typeof summary.last7d, sender: string) =>
        window.bySender.find((s) => s.serviceName === sender)?.sampleTraces.map((t) => t.traceId);
      expect(MAX_SAMPLES_PER_SENDER).toBe(3);
      expect(samplesOf(summary.last7d, 'checkout')).toEqual([trace(3), trace(4), trace(1)]);
      // The 3-day-old sample is outside the last 24 hours.
      expect(samplesOf(summary.last24h, 'checkout')).toEqual([trace(3), trace(4)]);
      expect(summary.last24h.bySender.find((s) => s.serviceName === 'agent')?.sampleTraces).toEqual([
        { traceId: trace(9), name: 'GET /9', at: new Date(ctx.now - HOUR_MS).toISOString() },
      ]);

      const other = await ctx.project();
      expect((await status.summary(other)).last7d.bySender).toEqual([]);
    });

    it('keeps the sample traces of at most MAX_SENDERS_PER_HOUR senders: those with the newest', async () => {
      const projectId = await ctx.project();
      const status = ctx.store.ingestStatus;
      const samplesOf = async (sender: string) =>
        (await status.summary(projectId)).last24h.bySender.find((s) => s.serviceName === sender)?.sampleTraces;
      const oldest = newTraceId();
      const atMs = ctx.now - 2 * HOUR_MS;
      await status.record(projectId, {
        ...delta(atMs, 'first', 1, 0),
        samples: { first: [{ traceId: oldest, name: null, atMs }] },
      });
      expect((await samplesOf('first'))?.map((t) => t.traceId)).toEqual([oldest]);

      const senders = Array.from({ length: MAX_SENDERS_PER_HOUR }, (_, i) => `svc-${i}`);
      const counts = { accepted: 1, rejected: 0, throttled: 0 };
      const sample = () => [{ traceId: newTraceId(), name: null, atMs: ctx.now - HOUR_MS }];
      await status.record(projectId, {
        atMs: ctx.now - HOUR_MS,
        bySender: Object.fromEntries(senders.map((sender) => [sender, counts])),
        byReason: {},
        samples: Object.fromEntries(senders.map((sender) => [sender, sample()])),
      });
      expect(await samplesOf('first')).toEqual([]);
      const rows = (await status.summary(projectId)).last24h.bySender;
      expect(rows.filter((row) => row.sampleTraces.length === 1)).toHaveLength(MAX_SENDERS_PER_HOUR);
    });

    it('counts senders named `__proto__` and `constructor` as senders, with their samples, and the others intact', async () => {
      const projectId = await ctx.project();
      const status = ctx.store.ingestStatus;
      const sample = newTraceId();
      for (const atMs of [ctx.now - 1, ctx.now]) {
        const bySender = JSON.parse('{"__proto__": {"accepted": 2, "rejected": 1, "throttled": 0}}');
        Object.assign(bySender, {
          constructor: { accepted: 3, rejected: 0, throttled: 1 },
          checkout: { accepted: 5, rejected: 0, throttled: 0 },
        });
        const samples = JSON.parse(`{"__proto__": [{"traceId": "${sample}", "name": "GET /", "atMs": ${atMs}}]}`);
        await status.record(projectId, { atMs, bySender, byReason: {}, samples });
      }
      const summary = await status.summary(projectId);
      expect(summary.last24h.bySender).toEqual([
        { serviceName: 'checkout', accepted: 10, rejected: 0, throttled: 0, sampleTraces: [] },
        { serviceName: 'constructor', accepted: 6, rejected: 0, throttled: 2, sampleTraces: [] },
        {
          serviceName: '__proto__',
          accepted: 4,
          rejected: 2,
          throttled: 0,
          sampleTraces: [{ traceId: sample, name: 'GET /', at: new Date(ctx.now).toISOString() }],
        },
      ]);
      expect(summary.last24h.totals).toEqual({ accepted: 20, rejected: 2, throttled: 2 });
    });

    it('leaves out a sample trace once the project holds a tool call or trigger event of it, whichever request brought it', async () => {
      const projectId = await ctx.project();
      const other = await ctx.project();
      const plain = newTraceId();
      const laterToolCall = newTraceId();
      const laterTrigger = newTraceId();
      const otherProjectsCall = newTraceId();
      await ctx.store.write(
        projectId,
        batch({
          logs: [plain, laterToolCall, laterTrigger, otherProjectsCall].map((traceId) => log({ traceId, at: ctx.now })),
        }),
      );
      const samples = [plain, laterToolCall, laterTrigger].map((traceId, i) => ({
        traceId,
        name: null,
        atMs: ctx.now - i,
      }));
      await ctx.store.ingestStatus.record(projectId, {
        atMs: ctx.now,
        bySender: { svc: { accepted: 3, rejected: 0, throttled: 0 }, api: { accepted: 1, rejected: 0, throttled: 0 } },
        byReason: {},
        samples: { svc: samples, api: [{ traceId: otherProjectsCall, name: null, atMs: ctx.now }] },
      });
      await ctx.store.write(projectId, toolCallTrace({ traceId: laterToolCall, at: ctx.now }).batch);
      await ctx.store.write(projectId, batch({ triggers: [triggerChild({ traceId: laterTrigger, at: ctx.now })] }));
      await ctx.store.write(other, toolCallTrace({ traceId: otherProjectsCall, at: ctx.now }).batch);

      const summary = await ctx.store.ingestStatus.summary(projectId);
      expect(summary.last24h.bySender.find((s) => s.serviceName === 'svc')?.sampleTraces.map((t) => t.traceId)).toEqual(
        [plain],
      );
      // Another project's tool call in a trace with the same ID is not this project's record.
      expect(summary.last24h.bySender.find((s) => s.serviceName === 'api')?.sampleTraces.map((t) => t.traceId)).toEqual(
        [otherProjectsCall],
      );
    });

    it("tracesWithRecords: the traces of the project with a tool call or trigger event, never another project's", async () => {
      const a = await ctx.project();
      const b = await ctx.project();
      const call = toolCallTrace({ at: ctx.now }, 2);
      const event = triggerTrace({ at: ctx.now, deliveries: 1 });
      const childOnly = newTraceId();
      const plain = newTraceId();
      const onlyInB = newTraceId();
      await ctx.store.write(a, call.batch);
      await ctx.store.write(a, event.batch);
      await ctx.store.write(a, batch({ triggers: [triggerChild({ traceId: childOnly, at: ctx.now })] }));
      await ctx.store.write(
        a,
        batch({ logs: [log({ traceId: plain, at: ctx.now }), log({ traceId: onlyInB, at: ctx.now })] }),
      );
      await ctx.store.write(b, toolCallTrace({ traceId: onlyInB, at: ctx.now }).batch);
      await ctx.store.write(b, toolCallTrace({ traceId: plain, at: ctx.now }).batch);

      const asked = [call.call.traceId, event.traceId, childOnly, plain, onlyInB, newTraceId()];
      expect([...(await ctx.store.tracesWithRecords(a, asked))].sort()).toEqual(
        [call.call.traceId, event.traceId, childOnly].sort(),
      );
      expect([...(await ctx.store.tracesWithRecords(b, asked))].sort()).toEqual([plain, onlyInB].sort());
      expect(await ctx.store.tracesWithRecords(a, [])).toEqual(new Set());
      const tooMany = Array.from({ length: MAX_TRACE_LOOKUP + 1 }, newTraceId);
      await expect(ctx.store.tracesWithRecords(a, tooMany)).rejects.toThrow(
        `tracesWithRecords takes at most ${MAX_TRACE_LOOKUP} trace IDs, got ${MAX_TRACE_LOOKUP + 1}`,
      );
    });

    it('keeps each project to its own status, and answers zeros for a project with none', async () => {
      const a = await ctx.project();
      const b = await ctx.project();
      await ctx.store.ingestStatus.record(a, delta(ctx.now, 'svc', 3, 0));
      const empty = await ctx.store.ingestStatus.summary(b);
      expect(empty.last7d).toEqual({ totals: { accepted: 0, rejected: 0, throttled: 0 }, byReason: [], bySender: [] });
      expect(empty.lastRejections).toEqual([]);
    });

    it('ignores a delta for a project that does not exist', async () => {
      await expect(ctx.store.ingestStatus.record('prj_missing', delta(ctx.now, 'svc', 1, 0))).resolves.toBeUndefined();
    });
  });
}
