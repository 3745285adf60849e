import { describe, expect, it } from 'vitest';
import { describeIssues, operationIdOf } from './route.ts';
import { RetentionUpdateBody, ToolCallListQuery, TraceIdPath } from './schemas.ts';

function messageFor(
  location: 'query' | 'params' | 'body',
  schema: { safeParse(v: unknown): { error?: { issues: unknown[] } } },
  value: unknown,
) {
  const result = schema.safeParse(value);
  if (!result.error) throw new Error('expected a validation error');
  const issues = result.error.issues as Parameters<typeof describeIssues>[0];
  return describeIssues(issues.map((issue) => ({ ...issue, path: [location, ...issue.path] })));
}

describe('query validation messages', () => {
  it.each([
    [{ limit: '0' }, 'query parameter "limit": must be an integer from 1 to 500'],
    [{ limit: '501' }, 'query parameter "limit": must be an integer from 1 to 500'],
    [{ limit: 'ten' }, 'query parameter "limit": must be an integer from 1 to 500'],
    [{ status: 'failed' }, 'query parameter "status": must be one of success, error'],
    [{ type: 'x' }, 'query parameter "type": must be one of list_tools, run_tool'],
    [{ format: 'xml' }, 'query parameter "format": must be one of csv, ndjson'],
    [{ from: 'yesterday' }, 'query parameter "from": must be an ISO 8601 time'],
    [{ from: '2000', to: '1000' }, 'query parameter "from": must be earlier than "to"'],
    [{ traceId: 'abc' }, 'query parameter "traceId": a trace ID is 32 hex characters'],
    [{ traceId: '00000000000000000000000000000000' }, 'query parameter "traceId": a trace ID is 32 hex'],
    [{ userId: 'x'.repeat(513) }, 'query parameter "userId": must be at most 512 characters'],
    [{ sort: 'asc', q: '1' }, 'unknown query parameters "sort", "q"'],
  ])('when the query is %j, then the message is %j', (query, expected) => {
    expect(messageFor('query', ToolCallListQuery, query)).toContain(expected);
  });

  it('when the trace ID path parameter is bad, then the message names it', () => {
    expect(messageFor('params', TraceIdPath, { traceId: 'nope' })).toMatch(/^path parameter "traceId": a trace ID is/);
  });

  it('when the retention body is bad, then the message names the field', () => {
    expect(messageFor('body', RetentionUpdateBody, { plan: 'gold' })).toBe(
      'body field "plan": must be one of trial, pro, enterprise',
    );
    expect(messageFor('body', RetentionUpdateBody, { plan: 'pro', limits: { maxLogs: 5 } })).toBe(
      'body field "limits": custom limits are only for the enterprise plan, not pro',
    );
    expect(messageFor('body', RetentionUpdateBody, { plan: 'enterprise', limits: { maxLogs: -1 } })).toBe(
      'body field "limits.maxLogs": must be positive',
    );
  });

  it('when the query is valid, then both trace ID forms normalise and defaults apply', () => {
    const hex = ToolCallListQuery.parse({ traceId: ' 4C7445D219724ED69E4746053BF1D45F ' });
    const uuid = ToolCallListQuery.parse({ traceId: '4c7445d2-1972-4ed6-9e47-46053bf1d45f' });
    expect(hex.traceId).toBe('4c7445d219724ed69e4746053bf1d45f');
    expect(uuid.traceId).toBe(hex.traceId);
    expect(hex.limit).toBe(50);
    expect(ToolCallListQuery.parse({ from: '1000', to: '2026-01-01' })).toMatchObject({
      from: 1000,
      to: Date.UTC(2026, 0, 1),
    });
  });
});

describe('operationIdOf', () => {
  it.each([
    ['get', '/api/v1/tool-calls', 'getToolCalls'],
    ['get', '/api/v1/tool-calls/{traceId}', 'getToolCallsByTraceId'],
    ['get', '/api/v1/trigger-events/stream', 'getTriggerEventsStream'],
    ['put', '/api/v1/project/retention', 'putProjectRetention'],
    ['get', '/api/v1/openapi.json', 'getOpenapiJson'],
    ['get', '/health', 'getHealth'],
  ])('%s %s → %s', (method, path, expected) => {
    expect(operationIdOf(method, path)).toBe(expected);
  });
});
