import { ToolCallPageSchema, TraceDetailSchema } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import { parseResponse } from './parse-response.ts';

const toolCall = {
  traceId: '4c7445d219724ed69e4746053bf1d45f',
  spanId: '1111111111111111',
  requestId: '4c7445d2-1972-4ed6-9e47-46053bf1d45f',
  projectId: 'p1',
  type: 'run_tool',
  toolName: 'SLACK_SEND_MESSAGE',
  integration: 'slack',
  userId: 'u1',
  status: 'error',
  httpStatus: 500,
  errorCode: '41070',
  errorMessage: 'Team not authorized',
  errorCategory: 'permission_denied',
  errorGroup: '0b932c49d4520882',
  toolCallId: 'call_0a1b2c',
  startedAt: '2026-11-28T12:00:00.000Z',
  durationMs: 120,
  parameters: '{}',
};

describe('API response validation', () => {
  it('when a page matches the contract, then it parses', () => {
    const page = parseResponse(ToolCallPageSchema, { items: [toolCall], nextCursor: null }, 'GET /tool-calls');
    expect(page.items[0]?.toolName).toBe('SLACK_SEND_MESSAGE');
  });

  it('when a field drifts, then the error names the endpoint and the field', () => {
    expect(() =>
      parseResponse(
        ToolCallPageSchema,
        { items: [{ ...toolCall, status: 'failed' }], nextCursor: null },
        'GET /tool-calls',
      ),
    ).toThrow(/GET \/tool-calls: items\.0\.status/);
  });

  it('when a span tree nests, then children are validated too', () => {
    const spanNode = {
      spanId: '1111111111111111',
      parentSpanId: null,
      name: 'run_tool X',
      kind: 'tool_call',
      level: 'info',
      timestamp: '2026-11-28T12:00:00.000Z',
      timeUnixNano: '1795867200000000000',
      durationMs: 1,
      children: [{ bad: true }],
    };
    expect(() =>
      parseResponse(
        TraceDetailSchema,
        { toolCalls: [], triggerEvents: [], logs: [], spans: [spanNode], warnings: [] },
        'x',
      ),
    ).toThrow(/spans\.0\.children\.0/);
  });
});
