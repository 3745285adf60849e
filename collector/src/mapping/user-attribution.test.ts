/** The user of a tool call from senders that name it differently or put it on an ancestor span. */
import { describe, expect, it } from 'vitest';
import { MAPPING_OPTIONS, makeSpan, tracesOf } from '../testing/otlp-builders.ts';
import { mapTracesRequest } from './map-spans.ts';

const AGENT = 'aaaaaaaaaaaaaaaa';
const MIDDLE = 'bbbbbbbbbbbbbbbb';
const TOOL = 'cccccccccccccccc';

const tool = (attributes: Record<string, string> = {}, parentSpanId = MIDDLE) =>
  makeSpan({
    spanId: TOOL,
    parentSpanId,
    name: 'execute_tool get_weather',
    attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather', ...attributes },
  });
const agent = (attributes: Record<string, string>) =>
  makeSpan({
    spanId: AGENT,
    name: 'invoke_agent bot',
    attributes: { 'gen_ai.operation.name': 'invoke_agent', ...attributes },
  });
const middle = (attributes: Record<string, string> = {}) =>
  makeSpan({ spanId: MIDDLE, parentSpanId: AGENT, name: 'chat', attributes });

function userOfTool(
  spans: ReturnType<typeof makeSpan>[],
  resource: Record<string, string> = { 'service.name': 'svc' },
) {
  const { batch } = mapTracesRequest(tracesOf(spans, resource), MAPPING_OPTIONS);
  return batch.toolCalls.find((c) => c.spanId === TOOL)?.userId;
}

describe('user attribution', () => {
  it('when the span has user.id and enduser.id, then user.id wins', () => {
    expect(userOfTool([tool({ 'user.id': 'u-own', 'enduser.id': 'u-end' })])).toBe('u-own');
  });

  it('when the span has only enduser.id, then that is the user', () => {
    expect(userOfTool([tool({ 'enduser.id': 'u-end' })])).toBe('u-end');
  });

  it('when only an ancestor names the user, then the nearest one does', () => {
    expect(userOfTool([agent({ 'enduser.id': 'u-agent' }), middle(), tool()])).toBe('u-agent');
    expect(userOfTool([agent({ 'user.id': 'u-agent' }), middle({ 'enduser.id': 'u-middle' }), tool()])).toBe(
      'u-middle',
    );
  });

  it('when no span names the user, then the resource does, and otherwise there is none', () => {
    expect(userOfTool([agent({}), middle(), tool()], { 'service.name': 'svc', 'enduser.id': 'u-res' })).toBe('u-res');
    expect(userOfTool([agent({}), middle(), tool()])).toBeNull();
  });

  it('when the span names no user itself, then its call is marked inherited for the store to revisit', () => {
    const callOf = (spans: ReturnType<typeof makeSpan>[]) =>
      mapTracesRequest(tracesOf(spans), MAPPING_OPTIONS).batch.toolCalls.find((c) => c.spanId === TOOL);
    expect(callOf([tool({ 'user.id': 'u-own' })])?.userInherited).toBeUndefined();
    expect(callOf([agent({ 'enduser.id': 'u-agent' }), middle(), tool()])).toMatchObject({
      userId: 'u-agent',
      userInherited: true,
    });
    expect(callOf([tool()])).toMatchObject({ userId: null, userInherited: true });
  });

  it('when the parent links form a cycle, then the walk stops', () => {
    const looped = makeSpan({ spanId: MIDDLE, parentSpanId: TOOL, name: 'loop', attributes: {} });
    expect(userOfTool([looped, tool()])).toBeNull();
  });
});
