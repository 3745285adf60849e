import type { StoredToolCall, ToolCallFact } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import { InvalidCursorError, type Store, type ToolCallFilters } from '../store.ts';
import type { ConformanceContext } from './context.ts';
import { batch, log, MINUTE, newSpanId, newTraceId, toolCall, toolCallTrace } from './fixtures.ts';

const asRecord = (projectId: string, fact: ToolCallFact): StoredToolCall => ({ ...fact, projectId });

async function listAll(
  store: Store,
  projectId: string,
  filters: ToolCallFilters,
  limit = 500,
): Promise<StoredToolCall[]> {
  const items: StoredToolCall[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages += 1) {
    const page = await store.listToolCalls(projectId, filters, { limit, cursor });
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

const ids = (calls: readonly { spanId: string }[]) => calls.map((c) => c.spanId);

export function toolCallsConformance(ctx: ConformanceContext): void {
  describe('tool calls: write and list', () => {
    it('returns written calls as records with the project ID, newest first', async () => {
      const pid = await ctx.project();
      const older = toolCall({ at: ctx.now - 2 * MINUTE });
      const newer = toolCall({ at: ctx.now - MINUTE, status: 'error', errorCode: '41070', errorMessage: 'nope' });
      await ctx.store.write(pid, batch({ toolCalls: [older, newer] }));
      const page = await ctx.store.listToolCalls(pid, {}, { limit: 50 });
      expect(page).toEqual({ items: [asRecord(pid, newer), asRecord(pid, older)], nextCursor: null });
    });

    it('is idempotent: the same batch twice leaves the same state', async () => {
      const pid = await ctx.project();
      const trace = toolCallTrace({ at: ctx.now - MINUTE }, 3);
      await ctx.store.write(pid, trace.batch);
      const once = {
        list: await ctx.store.listToolCalls(pid, {}, { limit: 50 }),
        trace: await ctx.store.getTrace(pid, trace.call.traceId),
        status: await ctx.store.retentionStatus(pid),
      };
      await ctx.store.write(pid, trace.batch);
      expect(await ctx.store.listToolCalls(pid, {}, { limit: 50 })).toEqual(once.list);
      expect(await ctx.store.getTrace(pid, trace.call.traceId)).toEqual(once.trace);
      expect(await ctx.store.retentionStatus(pid)).toEqual(once.status);
      expect(once.status.logCount).toBe(4);
    });

    it('upserts: a re-sent call with new values replaces the old one', async () => {
      const pid = await ctx.project();
      const call = toolCall({ at: ctx.now - MINUTE });
      await ctx.store.write(pid, batch({ toolCalls: [call] }));
      const updated = { ...call, status: 'error' as const, httpStatus: 500 };
      await ctx.store.write(pid, batch({ toolCalls: [updated] }));
      expect((await ctx.store.listToolCalls(pid, {}, { limit: 50 })).items).toEqual([asRecord(pid, updated)]);
    });

    it("keeps the caller's own tool-call ID, filterable at full length", async () => {
      const pid = await ctx.project();
      const longId = `call_${'x'.repeat(2000)}`;
      const tagged = toolCall({ at: ctx.now - 2 * MINUTE, toolCallId: 'call_7f3a' });
      const long = toolCall({ at: ctx.now - MINUTE, toolCallId: longId });
      const untagged = toolCall({ at: ctx.now - 3 * MINUTE });
      await ctx.store.write(pid, batch({ toolCalls: [tagged, long, untagged] }));
      expect(ids(await listAll(ctx.store, pid, { toolCallId: 'call_7f3a' }))).toEqual([tagged.spanId]);
      expect(ids(await listAll(ctx.store, pid, { toolCallId: longId }))).toEqual([long.spanId]);
      const all = await listAll(ctx.store, pid, {});
      expect(all.map((c) => c.toolCallId)).toEqual([longId, 'call_7f3a', null]);
    });

    it('keeps several calls of one trace apart (keyed by span)', async () => {
      const pid = await ctx.project();
      const first = toolCall({ at: ctx.now - 2 * MINUTE });
      const second = toolCall({ at: ctx.now - MINUTE, traceId: first.traceId, toolName: 'GITHUB_CREATE_ISSUE' });
      await ctx.store.write(pid, batch({ toolCalls: [first, second] }));
      const byTrace = await ctx.store.listToolCalls(pid, { traceId: first.traceId }, { limit: 50 });
      expect(ids(byTrace.items)).toEqual([second.spanId, first.spanId]);
    });

    describe('filters', () => {
      const fixtures = (now: number) => [
        toolCall({ at: now - 6 * MINUTE, userId: 'alice', integration: 'slack', toolName: 'SLACK_SEND_MESSAGE' }),
        toolCall({
          at: now - 5 * MINUTE,
          userId: 'bob',
          integration: 'slack',
          status: 'error',
          toolName: 'SLACK_SEND_MESSAGE',
        }),
        toolCall({ at: now - 4 * MINUTE, userId: 'alice', integration: 'github', toolName: 'GITHUB_CREATE_ISSUE' }),
        toolCall({ at: now - 3 * MINUTE, userId: 'alice', integration: 'github', type: 'list_tools', toolName: null }),
        toolCall({
          at: now - 2 * MINUTE,
          userId: 'bob',
          integration: 'github',
          status: 'error',
          toolName: 'GITHUB_CREATE_ISSUE',
        }),
      ];

      it('applies each filter alone', async () => {
        const pid = await ctx.project();
        const calls = fixtures(ctx.now);
        await ctx.store.write(pid, batch({ toolCalls: calls }));
        const expectOnly = async (filters: ToolCallFilters, expected: ToolCallFact[]) => {
          const got = await listAll(ctx.store, pid, filters);
          const want = [...expected].sort((a, b) => b.startedAtMs - a.startedAtMs);
          expect(ids(got), JSON.stringify(filters)).toEqual(want.map((c) => c.spanId));
        };
        const [c0, c1, c2, c3, c4] = calls as [ToolCallFact, ToolCallFact, ToolCallFact, ToolCallFact, ToolCallFact];
        await expectOnly({}, calls);
        await expectOnly({ userId: 'alice' }, [c0, c2, c3]);
        await expectOnly({ integration: 'slack' }, [c0, c1]);
        await expectOnly({ status: 'error' }, [c1, c4]);
        await expectOnly({ toolName: 'GITHUB_CREATE_ISSUE' }, [c2, c4]);
        await expectOnly({ type: 'list_tools' }, [c3]);
        await expectOnly({ traceId: c2.traceId }, [c2]);
        await expectOnly({ from: ctx.now - 4 * MINUTE }, [c2, c3, c4]);
        await expectOnly({ to: ctx.now - 4 * MINUTE }, [c0, c1]);
        await expectOnly({ userId: 'nobody' }, []);
      });

      it('combines filters with AND', async () => {
        const pid = await ctx.project();
        const calls = fixtures(ctx.now);
        await ctx.store.write(pid, batch({ toolCalls: calls }));
        const [, c1, c2, , c4] = calls as ToolCallFact[];
        const got = async (filters: ToolCallFilters) => ids(await listAll(ctx.store, pid, filters));
        expect(await got({ userId: 'bob', status: 'error' })).toEqual([c4!.spanId, c1!.spanId]);
        expect(await got({ userId: 'bob', status: 'error', integration: 'slack' })).toEqual([c1!.spanId]);
        expect(await got({ integration: 'github', toolName: 'GITHUB_CREATE_ISSUE', status: 'success' })).toEqual([
          c2!.spanId,
        ]);
        expect(
          await got({ userId: 'alice', type: 'run_tool', from: ctx.now - 5 * MINUTE, to: ctx.now - 3 * MINUTE }),
        ).toEqual([c2!.spanId]);
        expect(await got({ traceId: c2!.traceId, userId: 'bob' })).toEqual([]);
      });

      it('matches SQL metacharacters literally, never as patterns or code', async () => {
        const pid = await ctx.project();
        const tricky = ["' OR 1=1 --", '%', '_', 'a_c', 'abc', 'a%', '"; DROP TABLE tool_calls; --', '\\'];
        const calls = tricky.map((value, i) =>
          toolCall({ at: ctx.now - (i + 1) * MINUTE, userId: value, integration: value, toolName: value }),
        );
        await ctx.store.write(pid, batch({ toolCalls: calls }));
        for (const [i, value] of tricky.entries()) {
          for (const key of ['userId', 'integration', 'toolName'] as const) {
            const got = await listAll(ctx.store, pid, { [key]: value });
            expect(ids(got), `${key}=${value}`).toEqual([calls[i]!.spanId]);
          }
        }
        expect(await listAll(ctx.store, pid, {})).toHaveLength(tricky.length);
      });
    });

    describe('pagination', () => {
      it('walks every row exactly once, newest first, with nextCursor null at the end', async () => {
        const pid = await ctx.project();
        // Equal start times on purpose: the order must still be total and stable.
        const calls = Array.from({ length: 23 }, (_, i) => toolCall({ at: ctx.now - Math.floor(i / 3) * MINUTE }));
        await ctx.store.write(pid, batch({ toolCalls: calls }));
        const pages: StoredToolCall[][] = [];
        let cursor: string | undefined;
        do {
          const page = await ctx.store.listToolCalls(pid, {}, { limit: 5, cursor });
          pages.push(page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
        const all = pages.flat();
        expect(new Set(ids(all)).size).toBe(23);
        const times = all.map((c) => c.startedAtMs);
        expect(times).toEqual([...times].sort((a, b) => b - a));
        expect(all).toEqual(await listAll(ctx.store, pid, {}));
      });

      it('never skips or repeats a row when newer rows arrive between pages', async () => {
        const pid = await ctx.project();
        const initial = Array.from({ length: 20 }, (_, i) => toolCall({ at: ctx.now - (i + 10) * MINUTE }));
        await ctx.store.write(pid, batch({ toolCalls: initial }));
        const seen: string[] = [];
        let cursor: string | undefined;
        let round = 0;
        do {
          const page = await ctx.store.listToolCalls(pid, { integration: 'slack' }, { limit: 6, cursor });
          seen.push(...ids(page.items));
          cursor = page.nextCursor ?? undefined;
          // Newer calls arrive while the user scrolls.
          const arriving = [0, 1, 2].map((j) => toolCall({ at: ctx.now - j * 1000 - round * 10 }));
          await ctx.store.write(pid, batch({ toolCalls: arriving }));
          round += 1;
        } while (cursor);
        expect(seen).toEqual(ids(initial));
      });

      it('continues a filtered list with the filters of the first page', async () => {
        const pid = await ctx.project();
        const calls = Array.from({ length: 12 }, (_, i) =>
          toolCall({ at: ctx.now - i * MINUTE, userId: i % 2 === 0 ? 'even' : 'odd' }),
        );
        await ctx.store.write(pid, batch({ toolCalls: calls }));
        const first = await ctx.store.listToolCalls(pid, { userId: 'even' }, { limit: 4 });
        const second = await ctx.store.listToolCalls(
          pid,
          { userId: 'even' },
          { limit: 4, cursor: first.nextCursor ?? undefined },
        );
        expect([...first.items, ...second.items].map((c) => c.userId)).toEqual(Array(6).fill('even'));
        expect(second.nextCursor).toBeNull();
      });

      it('rejects a forged or malformed cursor with InvalidCursorError', async () => {
        const pid = await ctx.project();
        await ctx.store.write(pid, batch({ toolCalls: [toolCall({ at: ctx.now })] }));
        const forged = [
          'not a cursor',
          '!!!',
          Buffer.from('{"a":1}').toString('base64url'),
          Buffer.from('[1,2,3]').toString('base64url'),
          Buffer.from("' OR 1=1 --").toString('base64url'),
          'eyJ',
        ];
        for (const cursor of forged) {
          await expect(ctx.store.listToolCalls(pid, {}, { limit: 10, cursor }), cursor).rejects.toThrow(
            InvalidCursorError,
          );
        }
      });
    });

    describe('traces', () => {
      it('keeps log times to the nanosecond: logs within one millisecond come back in their order', async () => {
        const pid = await ctx.project();
        const traceId = newTraceId();
        const at = ctx.now - MINUTE;
        // IDs in the opposite order to the times, so only the nanoseconds can order them.
        const logs = [999_999, 1, 500_000].map((subMsNanos, i) =>
          log({ traceId, at, subMsNanos, id: `log-${['a', 'c', 'b'][i]}` }),
        );
        await ctx.store.write(pid, batch({ logs }));
        const stored = (await ctx.store.getTrace(pid, traceId))?.logs;
        expect(stored?.map((l) => [l.timeMs, l.subMsNanos, l.id])).toEqual([
          [at, 1, 'log-c'],
          [at, 500_000, 'log-b'],
          [at, 999_999, 'log-a'],
        ]);
      });

      it('returns the calls, every log in time order with its parent link', async () => {
        const pid = await ctx.project();
        const trace = toolCallTrace({ at: ctx.now - MINUTE }, 2);
        const grandchild = log({
          traceId: trace.call.traceId,
          parentSpanId: trace.logs[1]!.spanId,
          at: ctx.now - MINUTE + 5,
        });
        const event = log({
          traceId: trace.call.traceId,
          spanId: trace.call.spanId,
          source: 'span_event',
          level: 'error',
          body: '{"error":"forbidden"}',
          durationMs: null,
          at: ctx.now - MINUTE + 3,
        });
        await ctx.store.write(pid, { ...trace.batch, logs: [grandchild, event, ...trace.logs] });
        const detail = await ctx.store.getTrace(pid, trace.call.traceId);
        expect(detail?.toolCalls).toEqual([asRecord(pid, trace.call)]);
        expect(detail?.triggerEvents).toEqual([]);
        expect(detail?.logs.map((l) => l.id)).toEqual(
          [...trace.logs, event, grandchild]
            .sort((a, b) => a.timeMs - b.timeMs || a.subMsNanos - b.subMsNanos)
            .map((l) => l.id),
        );
        expect(detail?.logs.find((l) => l.id === event.id)).toEqual({ ...event, projectId: pid });
        // Parent links come back as written: the query API builds the tree from them.
        const parentOf = (spanId: string | null) =>
          detail?.logs.find((l) => l.source === 'span' && l.spanId === spanId)?.parentSpanId;
        expect(parentOf(trace.logs[1]!.spanId)).toBe(trace.call.spanId);
        expect(parentOf(trace.logs[2]!.spanId)).toBe(trace.call.spanId);
        expect(parentOf(grandchild.spanId)).toBe(trace.logs[1]!.spanId);
      });

      it('accepts child logs before the root, in separate batches', async () => {
        const pid = await ctx.project();
        const trace = toolCallTrace({ at: ctx.now - MINUTE }, 2);
        const [rootLog, ...childLogs] = trace.logs;
        await ctx.store.write(pid, batch({ logs: childLogs }));
        const partial = await ctx.store.getTrace(pid, trace.call.traceId);
        expect(partial?.toolCalls).toEqual([]);
        expect(partial?.logs.map((l) => l.spanId).sort()).toEqual(childLogs.map((l) => l.spanId).sort());
        expect((await ctx.store.listToolCalls(pid, {}, { limit: 10 })).items).toEqual([]);

        await ctx.store.write(pid, batch({ toolCalls: [trace.call], logs: [rootLog!] }));
        const whole = await ctx.store.getTrace(pid, trace.call.traceId);
        expect(whole?.toolCalls).toEqual([asRecord(pid, trace.call)]);
        expect(whole?.logs.map((l) => l.spanId)).toEqual(trace.logs.map((l) => l.spanId));
        expect((await ctx.store.listToolCalls(pid, {}, { limit: 10 })).items).toHaveLength(1);
        expect((await ctx.store.retentionStatus(pid)).logCount).toBe(3);
      });

      it('returns null for an unknown trace and for another project’s trace', async () => {
        const pid = await ctx.project();
        const other = await ctx.project();
        const trace = toolCallTrace({ at: ctx.now - MINUTE }, 1);
        await ctx.store.write(pid, trace.batch);
        expect(await ctx.store.getTrace(pid, 'f'.repeat(32))).toBeNull();
        expect(await ctx.store.getTrace(other, trace.call.traceId)).toBeNull();
        expect(await ctx.store.getTrace(pid, trace.call.traceId)).not.toBeNull();
      });

      it('keeps two spans that share a span ID and a negative duration, as written', async () => {
        const pid = await ctx.project();
        const trace = toolCallTrace({ at: ctx.now - MINUTE }, 0);
        const spanId = newSpanId();
        const first = log({
          traceId: trace.call.traceId,
          spanId,
          parentSpanId: trace.call.spanId,
          at: ctx.now - MINUTE + 1,
        });
        const second = log({ ...first, id: `${first.id}-again`, durationMs: -3.5, at: ctx.now - MINUTE + 2 });
        await ctx.store.write(pid, { ...trace.batch, logs: [...trace.logs, first, second] });
        const detail = await ctx.store.getTrace(pid, trace.call.traceId);
        expect(detail?.logs.filter((l) => l.spanId === spanId).map((l) => l.durationMs)).toEqual([1, -3.5]);
      });

      it('keeps a span whose parent never arrived', async () => {
        const pid = await ctx.project();
        const trace = toolCallTrace({ at: ctx.now - MINUTE }, 0);
        const orphan = log({ traceId: trace.call.traceId, parentSpanId: newSpanId(), at: ctx.now - MINUTE + 1 });
        await ctx.store.write(pid, { ...trace.batch, logs: [...trace.logs, orphan] });
        const detail = await ctx.store.getTrace(pid, trace.call.traceId);
        expect(detail?.logs.map((l) => l.id)).toEqual([...trace.logs, orphan].map((l) => l.id));
      });
    });

    it('isolates projects: lists, traces, facets and histograms never show another project’s calls', async () => {
      const a = await ctx.project();
      const b = await ctx.project();
      const trace = toolCallTrace({ at: ctx.now - MINUTE, userId: 'shared-user' }, 1);
      await ctx.store.write(a, trace.batch);
      expect((await ctx.store.listToolCalls(b, {}, { limit: 50 })).items).toEqual([]);
      expect((await ctx.store.listToolCalls(b, { traceId: trace.call.traceId }, { limit: 50 })).items).toEqual([]);
      expect((await ctx.store.listToolCalls(b, { userId: 'shared-user' }, { limit: 50 })).items).toEqual([]);
      expect(await ctx.store.toolCallFacets(b, {})).toEqual({
        integrations: [],
        toolNames: [],
        userIds: [],
        statuses: [],
        types: [],
      });
      const histogram = await ctx.store.toolCallHistogram(
        b,
        {},
        { from: ctx.now - 2 * MINUTE, to: ctx.now, bucketMs: MINUTE },
      );
      expect(histogram.every((bucket) => Object.keys(bucket.counts).length === 0)).toBe(true);
      expect((await ctx.store.retentionStatus(b)).logCount).toBe(0);
      // The same IDs written to two projects are two records.
      await ctx.store.write(b, trace.batch);
      expect((await ctx.store.listToolCalls(a, {}, { limit: 50 })).items[0]?.projectId).toBe(a);
      expect((await ctx.store.listToolCalls(b, {}, { limit: 50 })).items[0]?.projectId).toBe(b);
    });
  });
}
