import { describe, expect, it } from 'vitest';
import { logEntry } from './log-entry.fixture.ts';
import { requestTarget, rootCause } from './root-cause.ts';

const CALL = 'c000000000000000';
const span = (spanId: string, parentSpanId: string | null, extra: Parameters<typeof logEntry>[0] = {}) =>
  logEntry({ id: `span:${spanId}`, spanId, parentSpanId, ...extra });
const provider = (spanId: string, parentSpanId: string, url: string, status: number, at: string, body: string) =>
  span(spanId, parentSpanId, {
    kind: 'provider_request',
    level: 'error',
    timeUnixNano: at,
    attributes: { 'http.request.method': 'POST', 'url.full': url, 'http.response.status_code': status },
    body,
  });

describe('rootCause', () => {
  const logs = [
    span(CALL, null, { kind: 'tool_call', level: 'error' }),
    provider(
      'a000000000000001',
      CALL,
      'https://slack.com/api/chat.postMessage',
      200,
      '100',
      '{"error":"token_revoked"}',
    ),
    span('b000000000000002', CALL, { kind: 'internal', level: 'error' }),
    provider(
      'a000000000000003',
      'b000000000000002',
      'https://slack.com/api/oauth.v2.access',
      400,
      '200',
      'invalid_grant',
    ),
    // Under another call of the trace: never this call's cause.
    provider('a000000000000004', 'd000000000000000', 'https://api.hubapi.com/x', 500, '300', 'boom'),
  ];

  it('names the deepest failing provider request under the call, with method, host/path, status and body', () => {
    expect(rootCause(logs, CALL)).toMatchObject({
      method: 'POST',
      target: 'slack.com/api/oauth.v2.access',
      status: 400,
      body: 'invalid_grant',
      log: { spanId: 'a000000000000003' },
    });
  });

  it('takes the latest of equally deep failures, and none when no provider request failed', () => {
    const flat = [logs[0]!, logs[1]!, provider('a000000000000005', CALL, 'https://slack.com/b', 503, '150', '')];
    expect(rootCause(flat, CALL)?.target).toBe('slack.com/b');
    expect(rootCause([logs[0]!], CALL)).toBeNull();
  });
});

describe('requestTarget', () => {
  it('reads host and path from url.full, else from server.address and url.path', () => {
    expect(requestTarget({ 'url.full': 'https://slack.com/api/chat.postMessage?x=1' })).toBe(
      'slack.com/api/chat.postMessage',
    );
    expect(requestTarget({ 'server.address': 'api.github.com', 'url.path': '/repos' })).toBe('api.github.com/repos');
    expect(requestTarget({})).toBeNull();
  });
});
