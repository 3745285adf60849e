import type { ErrorCategory } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './context.ts';
import { batch, MINUTE, toolCall } from './fixtures.ts';

const failed = (
  at: number,
  errorGroup: string,
  errorCategory: ErrorCategory,
  extra: Parameters<typeof toolCall>[0] | object = {},
) =>
  toolCall({
    at,
    status: 'error',
    httpStatus: errorCategory === 'rate_limited' ? 429 : 401,
    errorCode: errorCategory === 'rate_limited' ? '41290' : '41010',
    errorMessage: `failed: ${errorCategory}`,
    errorCategory,
    errorGroup,
    ...extra,
  });

export function errorGroupsConformance(ctx: ConformanceContext): void {
  describe('tool calls: error categories and groups', () => {
    it('stores errorCategory and errorGroup and filters by them, by errorCode and by httpStatus', async () => {
      const pid = await ctx.project();
      const revoked = failed(ctx.now - 3 * MINUTE, 'aaaaaaaaaaaaaaaa', 'auth_revoked');
      const limited = failed(ctx.now - 2 * MINUTE, 'bbbbbbbbbbbbbbbb', 'rate_limited');
      const ok = toolCall({ at: ctx.now - MINUTE });
      await ctx.store.write(pid, batch({ toolCalls: [revoked, limited, ok] }));
      const spans = async (filters: Parameters<typeof ctx.store.listToolCalls>[1]) =>
        (await ctx.store.listToolCalls(pid, filters, { limit: 50 })).items.map((c) => c.spanId);
      const all = (await ctx.store.listToolCalls(pid, {}, { limit: 50 })).items;
      expect(all.find((c) => c.spanId === revoked.spanId)).toMatchObject({
        errorCategory: 'auth_revoked',
        errorGroup: 'aaaaaaaaaaaaaaaa',
      });
      expect(all.find((c) => c.spanId === ok.spanId)).toMatchObject({ errorCategory: null, errorGroup: null });
      expect(await spans({ errorCategory: 'rate_limited' })).toEqual([limited.spanId]);
      expect(await spans({ errorGroup: 'aaaaaaaaaaaaaaaa' })).toEqual([revoked.spanId]);
      expect(await spans({ errorCode: '41010' })).toEqual([revoked.spanId]);
      expect(await spans({ httpStatus: 429 })).toEqual([limited.spanId]);
      expect(await spans({ httpStatus: 200 })).toEqual([ok.spanId]);
      expect(await spans({ errorCategory: 'timeout' })).toEqual([]);
    });

    it('groups failed calls, largest first, with users, first/last seen, the latest sample and a trend', async () => {
      const pid = await ctx.project();
      const from = ctx.now - 60 * MINUTE;
      const to = ctx.now;
      const a1 = failed(from + 5 * MINUTE, 'aaaaaaaaaaaaaaaa', 'auth_revoked', { userId: 'u1' });
      const a2 = failed(from + 35 * MINUTE, 'aaaaaaaaaaaaaaaa', 'auth_revoked', { userId: 'u2' });
      const a3 = failed(from + 50 * MINUTE, 'aaaaaaaaaaaaaaaa', 'auth_revoked', {
        userId: 'u2',
        errorMessage: 'latest message',
      });
      // Before the trend's range: counted in the group, not in its trend.
      const a0 = failed(from - 30 * MINUTE, 'aaaaaaaaaaaaaaaa', 'auth_revoked', { userId: 'u1' });
      const b1 = failed(from + 20 * MINUTE, 'bbbbbbbbbbbbbbbb', 'rate_limited', { integration: 'hubspot' });
      const ok = toolCall({ at: from + 10 * MINUTE });
      const other = toolCall({
        at: from + 10 * MINUTE,
        status: 'error',
        errorGroup: 'cccccccccccccccc',
        errorCategory: 'other',
      });
      await ctx.store.write(pid, batch({ toolCalls: [a1, a2, a3, a0, b1, ok] }));
      // Another project's calls never count.
      await ctx.store.write(await ctx.project(), batch({ toolCalls: [other] }));

      const groups = await ctx.store.errorGroups(pid, {}, { from, to, buckets: 6, limit: 50 });
      expect(groups.map((g) => [g.errorGroup, g.count])).toEqual([
        ['aaaaaaaaaaaaaaaa', 4],
        ['bbbbbbbbbbbbbbbb', 1],
      ]);
      expect(groups[0]).toEqual({
        errorGroup: 'aaaaaaaaaaaaaaaa',
        integration: 'slack',
        toolName: 'SLACK_SEND_MESSAGE',
        errorCategory: 'auth_revoked',
        errorCode: '41010',
        httpStatus: 401,
        sampleMessage: 'latest message',
        count: 4,
        userCount: 2,
        firstSeen: from - 30 * MINUTE,
        lastSeen: from + 50 * MINUTE,
        sampleTraceId: a3.traceId,
        trend: [1, 0, 0, 1, 0, 1],
      });
      expect(groups[1]).toMatchObject({ integration: 'hubspot', userCount: 1, trend: [0, 0, 1, 0, 0, 0] });

      const filtered = await ctx.store.errorGroups(
        pid,
        { integration: 'hubspot' },
        { from, to, buckets: 6, limit: 50 },
      );
      expect(filtered.map((g) => g.errorGroup)).toEqual(['bbbbbbbbbbbbbbbb']);
      const limited = await ctx.store.errorGroups(pid, {}, { from, to, buckets: 6, limit: 1 });
      expect(limited.map((g) => g.errorGroup)).toEqual(['aaaaaaaaaaaaaaaa']);
      expect(await ctx.store.errorGroups(pid, { status: 'success' }, { from, to, buckets: 6, limit: 50 })).toEqual([]);
      const inRange = await ctx.store.errorGroups(pid, { from, to }, { from, to, buckets: 6, limit: 50 });
      expect(inRange[0]).toMatchObject({ count: 3, firstSeen: from + 5 * MINUTE });
    });

    it('rejects a bad trend request with a message naming it', async () => {
      const pid = await ctx.project();
      await expect(ctx.store.errorGroups(pid, {}, { from: 10, to: 5, buckets: 6, limit: 50 })).rejects.toThrow(
        /trend range/,
      );
      await expect(ctx.store.errorGroups(pid, {}, { from: 0, to: 5, buckets: 0, limit: 50 })).rejects.toThrow(
        /buckets/,
      );
      await expect(ctx.store.errorGroups(pid, {}, { from: 0, to: 5, buckets: 6, limit: 0 })).rejects.toThrow(/limit/);
    });
  });
}
