import type { IngestBatch } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './context.ts';
import { batch, log, MINUTE, newSpanId, newTraceId, toolCall } from './fixtures.ts';

/**
 * User attribution across export requests (DESIGN §3): a tool call whose span
 * names no user gets its nearest ancestor's, whether that ancestor was stored
 * in an earlier request or arrives in a later one; a user on the call's own
 * span always wins, and the resource's (what the collector sent) only stands
 * while no ancestor has one.
 */
export function userInheritanceConformance(ctx: ConformanceContext): void {
  describe('users inherited from ancestor spans across requests', () => {
    /** An agent span, a step under it and a tool call under that, each buildable as its own request. */
    function agentTrace(options: { agentUser: string | null; callUser?: string | null; inherited?: boolean }) {
      const traceId = newTraceId();
      const at = ctx.now - 10 * MINUTE;
      const agentSpanId = newSpanId();
      const stepSpanId = newSpanId();
      const agentAttributes = options.agentUser === null ? {} : { 'enduser.id': options.agentUser };
      const agent = batch({
        logs: [
          log({ traceId, spanId: agentSpanId, at, name: 'invoke_agent', attributes: agentAttributes, kind: null }),
        ],
      });
      const step = batch({
        logs: [log({ traceId, spanId: stepSpanId, parentSpanId: agentSpanId, at: at + 1, name: 'chat' })],
      });
      const call = toolCall({
        traceId,
        at: at + 2,
        userId: options.callUser ?? null,
        ...(options.inherited === false ? {} : { userInherited: true }),
      });
      const callAttributes = options.inherited === false ? { 'user.id': options.callUser } : {};
      const tool = batch({
        toolCalls: [call],
        logs: [
          log({
            traceId,
            spanId: call.spanId,
            parentSpanId: stepSpanId,
            at: at + 2,
            kind: 'tool_call',
            name: 'execute_tool',
            attributes: callAttributes,
          }),
        ],
      });
      return { traceId, agent, step, tool };
    }

    const usersOf = async (pid: string, traceId: string) =>
      (await ctx.store.listToolCalls(pid, { traceId }, { limit: 10 })).items.map((c) => c.userId);

    const write = async (pid: string, ...batches: IngestBatch[]) => {
      for (const b of batches) await ctx.store.write(pid, b);
    };

    it('when the ancestor with the user was stored in an earlier request, then the later tool call gets its user', async () => {
      const pid = await ctx.project();
      const t = agentTrace({ agentUser: 'u-agent' });
      await write(pid, t.agent, t.step, t.tool);
      expect(await usersOf(pid, t.traceId)).toEqual(['u-agent']);
      expect(await ctx.store.listToolCalls(pid, { userId: 'u-agent' }, { limit: 10 })).toMatchObject({
        items: [{ traceId: t.traceId }],
      });
    });

    it('when the ancestor with the user arrives in a later request, then the stored tool call gets its user, counted once in the facets', async () => {
      const pid = await ctx.project();
      const t = agentTrace({ agentUser: 'u-late' });
      await write(pid, t.tool);
      expect(await usersOf(pid, t.traceId)).toEqual([null]);
      await write(pid, t.agent);
      // The step linking the call to the agent is still missing: nothing to inherit yet.
      expect(await usersOf(pid, t.traceId)).toEqual([null]);
      await write(pid, t.step);
      expect(await usersOf(pid, t.traceId)).toEqual(['u-late']);
      expect((await ctx.store.toolCallFacets(pid, {})).userIds).toEqual([{ value: 'u-late', count: 1 }]);
      // A re-send of the call (the collector found no user again) does not undo it.
      await write(pid, t.tool);
      expect(await usersOf(pid, t.traceId)).toEqual(['u-late']);
    });

    it("when the collector only had the resource's user, then a later ancestor's user replaces it; the call's own user is never replaced", async () => {
      const pid = await ctx.project();
      const fromResource = agentTrace({ agentUser: 'u-agent', callUser: 'u-resource' });
      await write(pid, fromResource.tool);
      expect(await usersOf(pid, fromResource.traceId)).toEqual(['u-resource']);
      await write(pid, fromResource.step, fromResource.agent);
      expect(await usersOf(pid, fromResource.traceId)).toEqual(['u-agent']);

      const own = agentTrace({ agentUser: 'u-agent', callUser: 'u-own', inherited: false });
      await write(pid, own.agent, own.step, own.tool);
      const ownLater = agentTrace({ agentUser: 'u-agent', callUser: 'u-own-2', inherited: false });
      await write(pid, ownLater.tool, ownLater.step, ownLater.agent);
      expect(await usersOf(pid, own.traceId)).toEqual(['u-own']);
      expect(await usersOf(pid, ownLater.traceId)).toEqual(['u-own-2']);
    });

    it('when an ancestor nearer than the stored one names another user, then the nearest wins, in either order', async () => {
      const pid = await ctx.project();
      for (const order of ['near-first', 'far-first'] as const) {
        const t = agentTrace({ agentUser: 'u-far' });
        // The step between agent and call names a user of its own.
        t.step.logs[0]!.attributes = { 'user.id': 'u-near' };
        const batches = order === 'near-first' ? [t.tool, t.step, t.agent] : [t.agent, t.tool, t.step];
        await write(pid, ...batches);
        expect(await usersOf(pid, t.traceId)).toEqual(['u-near']);
      }
    });
  });
}
