/**
 * User attribution across export requests (DESIGN §3), sent by the official
 * OTLP exporter to a real collector and SQLite store: an agent framework puts
 * the user once, as `enduser.id` on its `invoke_agent` span, and that span
 * ends — and is exported — after or before the `execute_tool` spans under it,
 * in another request. The tool call gets that user in both orders.
 */
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExporterHarness, startExporterHarness } from '../testing/harness.ts';
import { EXPORT_SUCCESS, newSpanId, newTraceId, readableSpan } from '../testing/telemetry.ts';

let h: ExporterHarness;
beforeAll(async () => {
  h = await startExporterHarness();
});
afterAll(() => h?.close());

function agentRun(user: string) {
  const traceId = newTraceId();
  const agentId = newSpanId();
  const chatId = newSpanId();
  const agent = readableSpan({
    traceId,
    spanId: agentId,
    name: 'invoke_agent weather-bot',
    durationMs: 900,
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'enduser.id': user },
  });
  const chat = readableSpan({ traceId, spanId: chatId, parentSpanId: agentId, name: 'chat gpt', atMs: 10 });
  const tool = readableSpan({
    traceId,
    parentSpanId: chatId,
    name: 'execute_tool get_weather',
    kind: SpanKind.INTERNAL,
    atMs: 20,
    attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather' },
  });
  return { traceId, agent, chat, tool };
}

describe('user from the invoke_agent span in another export request', () => {
  it('when the tool span is exported first and the agent after, then the tool call gets the agent’s user', async () => {
    const run = agentRun('u-later');
    expect((await h.exporters.sendProto([run.tool, run.chat])).code).toBe(EXPORT_SUCCESS);
    expect((await h.trace(run.traceId)).toolCalls.map((c) => c.userId)).toEqual([null]);
    expect((await h.exporters.sendProto([run.agent])).code).toBe(EXPORT_SUCCESS);
    expect((await h.trace(run.traceId)).toolCalls.map((c) => c.userId)).toEqual(['u-later']);
    const byUser = await h.store.listToolCalls(h.projectId, { userId: 'u-later' }, { limit: 10 });
    expect(byUser.items.map((c) => c.traceId)).toEqual([run.traceId]);
  });

  it('when the agent span is exported first and the tool after, then the tool call gets the agent’s user', async () => {
    const run = agentRun('u-earlier');
    expect((await h.exporters.sendJson([run.agent])).code).toBe(EXPORT_SUCCESS);
    expect((await h.exporters.sendJson([run.chat])).code).toBe(EXPORT_SUCCESS);
    expect((await h.exporters.sendJson([run.tool])).code).toBe(EXPORT_SUCCESS);
    expect((await h.trace(run.traceId)).toolCalls.map((c) => c.userId)).toEqual(['u-earlier']);
  });
});
