/** /error-groups/tool-calls and the error filters of /tool-calls over real HTTP and a real SQLite store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorGroups, ToolCallPage } from './schemas.ts';
import { merge, toolCallTrace } from './testing/fixtures.ts';
import { startTestApi, type TestApi } from './testing/harness.ts';

const MINUTE = 60_000;
const now = Date.now();
let t: TestApi;

const revoked = (minutesAgo: number, userId: string) => {
  const trace = toolCallTrace({ at: now - minutesAgo * MINUTE, status: 'error', userId });
  Object.assign(trace.fact, {
    httpStatus: 401,
    errorCode: '41010',
    errorMessage: 'token_revoked',
    errorCategory: 'auth_revoked',
    errorGroup: '00000000000000aa',
  });
  return trace;
};
const calls = [revoked(50, 'alice'), revoked(20, 'bob'), revoked(10, 'alice')];
const limited = toolCallTrace({ at: now - 30 * MINUTE, status: 'error', integration: 'hubspot' });
Object.assign(limited.fact, {
  httpStatus: 429,
  errorCode: '41290',
  errorCategory: 'rate_limited',
  errorGroup: '00000000000000bb',
});
const ok = toolCallTrace({ at: now - 5 * MINUTE });

beforeAll(async () => {
  t = await startTestApi();
  await t.store.write(t.a.project.projectId, merge([...calls, limited, ok].map((c) => c.batch)));
  await t.store.write(t.b.project.projectId, revoked(5, 'mallory').batch);
});
afterAll(() => t?.close());

describe('GET /api/v1/error-groups/tool-calls', () => {
  it('lists groups largest first with counts, users, first/last seen and a trend over the last 24 hours', async () => {
    const body = ErrorGroups.parse(await t.json('/api/v1/error-groups/tool-calls?buckets=24'));
    expect(body.items.map((g) => [g.errorGroup, g.count, g.userCount])).toEqual([
      ['00000000000000aa', 3, 2],
      ['00000000000000bb', 1, 1],
    ]);
    const [first] = body.items;
    expect(first).toMatchObject({
      errorCategory: 'auth_revoked',
      errorCode: '41010',
      httpStatus: 401,
      sampleMessage: 'token_revoked',
      sampleTraceId: calls[2]?.fact.traceId,
      firstSeen: new Date(now - 50 * MINUTE).toISOString(),
      lastSeen: new Date(now - 10 * MINUTE).toISOString(),
    });
    expect(first?.trend).toHaveLength(24);
    expect(first?.trend.reduce((a, b) => a + b, 0)).toBe(3);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(24 * 60 * MINUTE);
  });

  it('takes the /tool-calls filters', async () => {
    const body = ErrorGroups.parse(await t.json('/api/v1/error-groups/tool-calls?integration=hubspot'));
    expect(body.items.map((g) => g.errorGroup)).toEqual(['00000000000000bb']);
    const since = new Date(now - 15 * MINUTE).toISOString();
    const recent = ErrorGroups.parse(await t.json(`/api/v1/error-groups/tool-calls?from=${since}`));
    expect(recent.items.map((g) => [g.errorGroup, g.count])).toEqual([['00000000000000aa', 1]]);
  });

  it('answers 400 naming a bad parameter', async () => {
    for (const [query, name] of [
      ['errorCategory=bogus', 'errorCategory'],
      ['errorGroup=xyz', 'errorGroup'],
      ['buckets=0', 'buckets'],
      ['httpStatus=99', 'httpStatus'],
    ]) {
      const response = await t.call(`/api/v1/error-groups/tool-calls?${query}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain(`"${name}"`);
    }
  });
});

describe('GET /api/v1/tool-calls error filters', () => {
  const traces = async (query: string) =>
    ToolCallPage.parse(await t.json(`/api/v1/tool-calls?${query}`)).items.map((c) => c.traceId);

  it('filters by errorGroup, errorCategory, errorCode and httpStatus', async () => {
    const revokedTraces = calls.map((c) => c.fact.traceId).reverse();
    expect(await traces('errorGroup=00000000000000aa')).toEqual(revokedTraces);
    expect(await traces('errorCategory=rate_limited')).toEqual([limited.fact.traceId]);
    expect(await traces('errorCode=41290')).toEqual([limited.fact.traceId]);
    expect(await traces('httpStatus=401')).toEqual(revokedTraces);
    expect(await traces('httpStatus=200')).toEqual([ok.fact.traceId]);
  });
});
