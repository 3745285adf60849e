/** mapTracesRequest: the error category and group of a failed tool call, from the call and its failing provider requests. */
import { errorGroup } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import { MAPPING_OPTIONS, makeSpan, tracesOf } from '../testing/otlp-builders.ts';
import { mapTracesRequest } from './map-spans.ts';

const ERROR = { code: 2, message: '' };
const OTHER_TRACE = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

const failedCall = (overrides: Parameters<typeof makeSpan>[0] = {}) =>
  makeSpan({
    name: 'run_tool SLACK_SEND_MESSAGE',
    kind: 2,
    status: ERROR,
    attributes: {
      'tooltrace.kind': 'tool_call',
      'tooltrace.tool_call.type': 'run_tool',
      'gen_ai.tool.name': 'SLACK_SEND_MESSAGE',
      'tooltrace.integration': 'slack',
      'http.response.status_code': 500,
      'tooltrace.error.code': '41070',
      'tooltrace.error.message': 'Unable to post a message',
    },
    ...overrides,
  });

const providerRequest = (parentSpanId: string, status: number, body: string, traceId?: string) =>
  makeSpan({
    name: 'POST',
    kind: 3,
    parentSpanId,
    status: ERROR,
    ...(traceId ? { traceId } : {}),
    attributes: {
      'tooltrace.kind': 'provider_request',
      'http.request.method': 'POST',
      'url.full': 'https://slack.com/api/chat.postMessage',
      'http.response.status_code': status,
      'tooltrace.http.response.body': body,
    },
  });

const callOf = (spans: ReturnType<typeof makeSpan>[]) =>
  mapTracesRequest(tracesOf(spans), MAPPING_OPTIONS).batch.toolCalls[0]!;

describe('error category and group of tool calls', () => {
  it('judges the call by the provider body under it (Slack token_revoked behind a 500)', () => {
    const call = failedCall();
    const internal = makeSpan({ parentSpanId: call.spanId, attributes: { 'tooltrace.kind': 'internal' } });
    const fact = callOf([
      call,
      internal,
      providerRequest(internal.spanId, 200, '{"ok":false,"error":"token_revoked"}'),
    ]);
    expect(fact.errorCategory).toBe('auth_revoked');
    expect(fact.errorGroup).toBe(
      errorGroup({
        integration: 'slack',
        toolName: 'SLACK_SEND_MESSAGE',
        category: 'auth_revoked',
        errorCode: '41070',
        errorMessage: 'Unable to post a message',
      }),
    );
  });

  it('without provider requests in the request, judges the call alone', () => {
    expect(callOf([failedCall()]).errorCategory).toBe('internal');
  });

  it('ignores failing provider requests of another trace or outside the call', () => {
    const call = failedCall();
    const elsewhere = providerRequest(call.spanId, 429, '{"ok":false,"error":"ratelimited"}', OTHER_TRACE);
    const sibling = providerRequest('cccccccccccccccc', 429, '{"ok":false,"error":"ratelimited"}');
    expect(callOf([call, elsewhere, sibling]).errorCategory).toBe('internal');
  });

  it('takes the deepest failing request as the root cause', () => {
    const call = failedCall();
    const outer = providerRequest(call.spanId, 503, '<html><body>Service Unavailable</body></html>');
    const refresh = makeSpan({ parentSpanId: call.spanId, attributes: { 'tooltrace.kind': 'internal' } });
    const token = providerRequest(refresh.spanId, 400, '{"error":"invalid_grant"}');
    expect(callOf([call, outer, refresh, token]).errorCategory).toBe('auth_revoked');
  });

  it('leaves successful calls without category or group', () => {
    const ok = failedCall({ status: { code: 1, message: '' } });
    ok.attributes['http.response.status_code'] = 200;
    delete ok.attributes['tooltrace.error.code'];
    const fact = callOf([ok]);
    expect(fact.status).toBe('success');
    expect(fact).toMatchObject({ errorCategory: null, errorGroup: null });
  });
});
