import type { SpanLink } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './context.ts';
import { log, MINUTE, newSpanId, newTraceId, toolCallTrace } from './fixtures.ts';

export function spanLinksConformance(ctx: ConformanceContext): void {
  describe('span links', () => {
    it('keeps a span entry’s links as written, and entries without links have none', async () => {
      const pid = await ctx.project();
      const trace = toolCallTrace({ at: ctx.now - MINUTE }, 1);
      const links: SpanLink[] = [
        { traceId: newTraceId(), spanId: newSpanId(), attributes: { 'link.reason': 'retry of', attempt: 2 } },
        { traceId: newTraceId(), spanId: newSpanId(), attributes: { nested: { list: [1, 'two', null] } } },
      ];
      const [root, child] = trace.logs;
      const linked = { ...child!, links };
      const event = log({
        traceId: trace.call.traceId,
        spanId: root!.spanId,
        source: 'span_event',
        at: ctx.now - MINUTE + 2,
      });
      const batch = { ...trace.batch, logs: [root!, linked, event] };
      await ctx.store.write(pid, batch);
      // Re-sent: upserts change nothing.
      await ctx.store.write(pid, batch);
      const detail = await ctx.store.getTrace(pid, trace.call.traceId);
      expect(detail?.logs.find((l) => l.id === linked.id)).toEqual({ ...linked, projectId: pid });
      for (const entry of detail?.logs.filter((l) => l.id !== linked.id) ?? [])
        expect(entry).not.toHaveProperty('links');
      expect(detail?.logs).toHaveLength(3);
    });
  });
}
