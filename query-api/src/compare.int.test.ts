/** GET /tool-calls/:traceId/compare over real HTTP and a real SQLite store, with crafted pairs of calls. */
import type { IngestBatch } from '@tooltrace/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolCallComparison } from './schemas.ts';
import { merge, newSpanId, spanLog, toolCallTrace } from './testing/fixtures.ts';
import { startTestApi, type TestApi } from './testing/harness.ts';

const MINUTE = 60_000;
const now = Date.now();
let t: TestApi;

/** A call whose provider requests are `requests` (method, URL, status), in that order. */
function call(input: Parameters<typeof toolCallTrace>[0], requests: [string, string, number][]) {
  const { fact, batch } = toolCallTrace(input);
  // Keep the call's own span; replace the fixture's single provider request with the crafted ones.
  const logs = batch.logs.filter((l) => l.kind === 'tool_call');
  requests.forEach(([method, url, status], i) => {
    const log = spanLog({
      traceId: fact.traceId,
      spanId: newSpanId(),
      parentSpanId: fact.spanId,
      at: input.at + 10 + i,
      kind: 'provider_request',
      name: method,
      error: status >= 400,
      durationMs: 30 + i,
    });
    log.attributes = {
      ...log.attributes,
      'http.request.method': method,
      'url.full': url,
      'http.response.status_code': status,
    };
    logs.push(log);
  });
  const out: IngestBatch = { ...batch, logs };
  return { fact, batch: out };
}

const POST_MESSAGE = 'https://slack.com/api/chat.postMessage';
const USERS_INFO = 'https://slack.com/api/users.info';
const OAUTH = 'https://slack.com/api/oauth.v2.access';

// Alice: an older success, the last success (the baseline), then a failure with other parameters
// and one extra provider request (the token refresh).
const older = call({ at: now - 30 * MINUTE, userId: 'alice', parameters: '{"channel":"#old"}' }, [
  ['POST', POST_MESSAGE, 200],
]);
const lastSuccess = call({ at: now - 20 * MINUTE, userId: 'alice', parameters: '{"channel":"#general","text":"hi"}' }, [
  ['GET', USERS_INFO, 200],
  ['POST', POST_MESSAGE, 200],
]);
// Another user's later success is not Alice's baseline.
const bobSuccess = call({ at: now - 15 * MINUTE, userId: 'bob', parameters: '{"channel":"#bob"}' }, [
  ['POST', POST_MESSAGE, 200],
]);
const failure = call(
  {
    at: now - 10 * MINUTE,
    userId: 'alice',
    status: 'error',
    parameters: '{"channel":"#deals","text":"hi","thread":"1"}',
  },
  [
    ['GET', USERS_INFO, 200],
    ['POST', OAUTH, 400],
    ['POST', POST_MESSAGE, 401],
  ],
);
// A success after the failure is never its baseline.
const later = call({ at: now - 5 * MINUTE, userId: 'alice', parameters: '{"channel":"#later"}' }, [
  ['POST', POST_MESSAGE, 200],
]);
// Carol's call has no earlier success at all.
const lonely = call({ at: now - 8 * MINUTE, userId: 'carol', status: 'error', toolName: 'SLACK_LIST_CHANNELS' }, [
  ['GET', USERS_INFO, 500],
]);

beforeAll(async () => {
  t = await startTestApi();
  await t.store.write(
    t.a.project.projectId,
    merge([older, lastSuccess, bobSuccess, failure, later, lonely].map((c) => c.batch)),
  );
});
afterAll(() => t?.close());

const compare = async (traceId: string, spanId?: string) =>
  ToolCallComparison.parse(await t.json(`/api/v1/tool-calls/${traceId}/compare${spanId ? `?spanId=${spanId}` : ''}`));

describe('GET /api/v1/tool-calls/:traceId/compare', () => {
  it('when the same tool ran with other parameters, then the last success of that user before it is the baseline and the keys that changed are listed', async () => {
    const body = await compare(failure.fact.traceId, failure.fact.spanId);
    expect(body.failing.traceId).toBe(failure.fact.traceId);
    expect(body.baseline?.traceId).toBe(lastSuccess.fact.traceId);
    expect(body.parameterDiff).toEqual([
      { path: '$.channel', change: 'changed', before: '#general', after: '#deals' },
      { path: '$.thread', change: 'added', after: '1' },
    ]);
  });

  it('when the failing call made an extra provider request, then it stands alone and the others pair up', async () => {
    const body = await compare(failure.fact.traceId);
    expect(
      body.requests.map((r) => [
        r.failing && `${r.failing.method} ${r.failing.host}${r.failing.path} ${r.failing.status}`,
        r.baseline && `${r.baseline.method} ${r.baseline.host}${r.baseline.path} ${r.baseline.status}`,
      ]),
    ).toEqual([
      ['GET slack.com/api/users.info 200', 'GET slack.com/api/users.info 200'],
      ['POST slack.com/api/oauth.v2.access 400', null],
      ['POST slack.com/api/chat.postMessage 401', 'POST slack.com/api/chat.postMessage 200'],
    ]);
    expect(body.requests[0]?.failing?.durationMs).toBe(30);
  });

  it("when there is no earlier success, then baseline is null with no diff, and the call's own requests are listed", async () => {
    const body = await compare(lonely.fact.traceId);
    expect(body.baseline).toBeNull();
    expect(body.parameterDiff).toEqual([]);
    expect(body.requests).toEqual([
      { failing: expect.objectContaining({ method: 'GET', path: '/api/users.info', status: 500 }), baseline: null },
    ]);
  });

  it('answers 404 for an unknown trace or span and 400 for a malformed span ID', async () => {
    expect((await t.call(`/api/v1/tool-calls/${'a'.repeat(32)}/compare`)).status).toBe(404);
    expect((await t.call(`/api/v1/tool-calls/${failure.fact.traceId}/compare?spanId=${'b'.repeat(16)}`)).status).toBe(
      404,
    );
    const bad = await t.call(`/api/v1/tool-calls/${failure.fact.traceId}/compare?spanId=xyz`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('"spanId"');
    // Another project's key sees nothing.
    expect((await t.call(`/api/v1/tool-calls/${failure.fact.traceId}/compare`, { key: t.b.readKey })).status).toBe(404);
  });
});
