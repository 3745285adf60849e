/** Lists over real HTTP and a real SQLite store: every filter alone and combined, pagination, cursors, validation. */
import { type ToolCall, type TriggerEvent, toRequestId } from '@tooltrace/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolCallPage, TriggerEventPage } from './schemas.ts';
import {
  expectedToolCallJson,
  merge,
  type ToolCallInput,
  type TriggerInput,
  toolCallTrace,
  triggerTrace,
} from './testing/fixtures.ts';
import { startTestApi, type TestApi } from './testing/harness.ts';

const MINUTE = 60_000;
const now = Date.now();
const at = (minutesAgo: number) => now - minutesAgo * MINUTE;

let t: TestApi;

const callInputs: ToolCallInput[] = [
  { at: at(10), integration: 'slack', toolName: 'SLACK_SEND_MESSAGE', userId: 'alice' },
  { at: at(9), integration: 'slack', toolName: 'SLACK_SEND_MESSAGE', userId: 'bob', status: 'error' },
  { at: at(8), integration: 'slack', toolName: 'SLACK_READ', userId: 'alice', toolCallId: 'call_Ab3' },
  { at: at(7), integration: 'github', toolName: 'GITHUB_CREATE_ISSUE', userId: 'alice', status: 'error' },
  { at: at(6), integration: 'github', toolName: null, userId: 'carol', type: 'list_tools' },
  { at: at(5), integration: 'gmail', toolName: 'GMAIL_SEND', userId: 'bob' },
];
const calls = callInputs.map((input) => toolCallTrace(input));
const newestFirst = <T extends { at: number }>(rows: T[]) => [...rows].sort((x, y) => y.at - x.at);
const callRows = calls.map((c, i) => ({ ...c.fact, at: callInputs[i]?.at ?? 0 }));

const eventInputs: TriggerInput[] = [
  { at: at(10), integration: 'salesforce', triggerName: 'SALESFORCE_RECORD_CREATED', userId: 'alice' },
  { at: at(9), integration: 'hubspot', triggerName: 'HUBSPOT_DEAL_CREATED', userId: 'bob', delivery: 'failed' },
  { at: at(8), integration: 'salesforce', triggerName: 'SALESFORCE_RECORD_UPDATED', userId: 'alice', delivery: 'none' },
  { at: at(7), integration: 'hubspot', triggerName: 'HUBSPOT_DEAL_CREATED', userId: 'carol', processingFailed: true },
  {
    at: at(6),
    integration: 'salesforce',
    triggerName: 'SALESFORCE_RECORD_CREATED',
    userId: 'alice',
    type: 'subscription',
  },
];
const expectedStatus = ['success', 'delivery_failures', 'queued', 'processing_failure', 'success'];
const events = eventInputs.map((input) => triggerTrace(input));
const eventRows = events.map((e, i) => ({
  traceId: e.traceId,
  at: eventInputs[i]?.at ?? 0,
  input: eventInputs[i] as TriggerInput,
  status: expectedStatus[i],
}));

beforeAll(async () => {
  t = await startTestApi();
  await t.store.write(t.a.project.projectId, merge([...calls.map((c) => c.batch), ...events.map((e) => e.batch)]));
  // Project B has look-alike rows that A must never see.
  await t.store.write(
    t.b.project.projectId,
    merge([
      toolCallTrace({ at: at(4), integration: 'slack', userId: 'alice', status: 'error' }).batch,
      triggerTrace({ at: at(4), integration: 'salesforce', userId: 'alice' }).batch,
    ]),
  );
});
afterAll(() => t?.close());

async function toolCallIds(query: string): Promise<string[]> {
  const body = ToolCallPage.parse(await t.json(`/api/v1/tool-calls${query}`));
  return body.items.map((item: ToolCall) => item.traceId);
}

async function triggerEventIds(query: string): Promise<string[]> {
  const body = TriggerEventPage.parse(await t.json(`/api/v1/trigger-events${query}`));
  return body.items.map((item: TriggerEvent) => item.traceId);
}

describe('GET /api/v1/tool-calls filters', () => {
  const byId = calls[3]?.fact.traceId ?? '';
  it.each<[string, string, (row: (typeof callRows)[number]) => boolean]>([
    ['no filter', '', () => true],
    ['userId', '?userId=alice', (r) => r.userId === 'alice'],
    ['integration', '?integration=slack', (r) => r.integration === 'slack'],
    ['status', '?status=error', (r) => r.status === 'error'],
    ['toolName', '?toolName=SLACK_SEND_MESSAGE', (r) => r.toolName === 'SLACK_SEND_MESSAGE'],
    ['type', '?type=list_tools', (r) => r.type === 'list_tools'],
    ['toolCallId', '?toolCallId=call_Ab3', (r) => r.toolCallId === 'call_Ab3'],
    ['traceId as hex', `?traceId=${byId}`, (r) => r.traceId === byId],
    ['traceId as upper-case requestId', `?traceId=${toRequestId(byId).toUpperCase()}`, (r) => r.traceId === byId],
    ['from as ISO', `?from=${new Date(at(7)).toISOString()}`, (r) => r.at >= at(7)],
    ['to as epoch ms', `?to=${at(7)}`, (r) => r.at < at(7)],
    [
      'integration + status + userId',
      '?integration=slack&status=error&userId=bob',
      (r) => r.integration === 'slack' && r.status === 'error' && r.userId === 'bob',
    ],
    [
      'userId + from + to',
      `?userId=alice&from=${at(9)}&to=${new Date(at(6)).toISOString()}`,
      (r) => r.userId === 'alice' && r.at >= at(9) && r.at < at(6),
    ],
    ['a filter matching nothing', '?integration=notion', () => false],
    ['empty values are ignored', '?userId=&status=', () => true],
  ])(
    'when filtering by %s, then exactly the matching calls of the project come back, newest first',
    async (_name, query, keep) => {
      const expected = newestFirst(callRows.filter(keep)).map((r) => r.traceId);
      expect(await toolCallIds(query)).toEqual(expected);
    },
  );

  it('when reading the items, then they are the stored records of the project', async () => {
    const body = ToolCallPage.parse(await t.json('/api/v1/tool-calls?limit=1'));
    const newest = calls[5]?.fact;
    expect(body.items).toEqual([expectedToolCallJson(t.a.project.projectId, newest!)]);
  });
});

describe('GET /api/v1/trigger-events filters', () => {
  it.each<[string, string, (row: (typeof eventRows)[number]) => boolean]>([
    ['no filter', '', () => true],
    ['userId', '?userId=alice', (r) => r.input.userId === 'alice'],
    ['integration', '?integration=hubspot', (r) => r.input.integration === 'hubspot'],
    ['status', '?status=delivery_failures', (r) => r.status === 'delivery_failures'],
    ['type', '?type=subscription', (r) => r.input.type === 'subscription'],
    [
      'triggerName',
      '?triggerName=SALESFORCE_RECORD_CREATED',
      (r) => r.input.triggerName === 'SALESFORCE_RECORD_CREATED',
    ],
    ['from', `?from=${at(8)}`, (r) => r.at >= at(8)],
    ['to', `?to=${new Date(at(8)).toISOString()}`, (r) => r.at < at(8)],
    [
      'integration + userId + status',
      '?integration=salesforce&userId=alice&status=success',
      (r) => r.input.integration === 'salesforce' && r.input.userId === 'alice' && r.status === 'success',
    ],
  ])('when filtering by %s, then exactly the matching events come back', async (_name, query, keep) => {
    expect(await triggerEventIds(query)).toEqual(newestFirst(eventRows.filter(keep)).map((r) => r.traceId));
  });

  it('when filtering by deliveryId, then only the event holding that delivery comes back', async () => {
    const deliveryId = events[1]!.batch.deliveryAttempts[0]!.deliveryId;
    expect(await triggerEventIds(`?deliveryId=${deliveryId}`)).toEqual([events[1]!.traceId]);
    expect(await triggerEventIds('?deliveryId=dlv_unknown')).toEqual([]);
  });

  it('when listing, then each event carries the status its facts imply', async () => {
    const body = TriggerEventPage.parse(await t.json('/api/v1/trigger-events'));
    const statuses = Object.fromEntries(body.items.map((e) => [e.traceId, e.status]));
    expect(statuses).toEqual(Object.fromEntries(eventRows.map((r) => [r.traceId, r.status])));
  });
});

describe('pagination', () => {
  it('when pages are read while new calls arrive, then every call present at the start is seen exactly once', async () => {
    const project = await t.store.createProject({ name: 'paging', plan: 'pro' });
    const pid = project.project.projectId;
    const originals = Array.from({ length: 25 }, (_, i) => toolCallTrace({ at: at(30) + i * 1000 }));
    await t.store.write(pid, merge(originals.map((o) => o.batch)));

    const seen: string[] = [];
    let query = '?limit=10';
    let pages = 0;
    for (;;) {
      const [page] = await Promise.all([
        t.json<{ items: ToolCall[]; nextCursor: string | null }>(`/api/v1/tool-calls${query}`, project.readKey),
        // Newer calls keep arriving while the client pages through.
        t.store.write(pid, merge([toolCallTrace({ at: Date.now() }).batch, toolCallTrace({ at: at(1) }).batch])),
      ]);
      pages += 1;
      seen.push(...page.items.map((item) => item.traceId));
      if (!page.nextCursor) break;
      query = `?limit=10&cursor=${encodeURIComponent(page.nextCursor)}`;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const originalIds = originals.map((o) => o.fact.traceId);
    expect(originalIds.every((id) => seen.includes(id))).toBe(true);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('when the last page is reached, then nextCursor is null', async () => {
    const body = ToolCallPage.parse(await t.json('/api/v1/tool-calls?limit=500'));
    expect(body.nextCursor).toBeNull();
    expect(body.items).toHaveLength(callRows.length);
  });

  it('when a cursor is forged, edited, reused with other filters or by another project, then it is a 400', async () => {
    const first = ToolCallPage.parse(await t.json('/api/v1/tool-calls?limit=2&integration=slack'));
    const cursor = first.nextCursor ?? '';
    expect(cursor).not.toBe('');
    const next = ToolCallPage.parse(
      await t.json(`/api/v1/tool-calls?limit=2&integration=slack&cursor=${encodeURIComponent(cursor)}`),
    );
    expect(next.items.map((i) => i.integration)).toEqual(['slack']);

    const [payload, mac] = cursor.split('.');
    const forgedPayload = Buffer.from(JSON.stringify(['tool-calls', now + MINUTE, 'f'.repeat(32), ''])).toString(
      'base64url',
    );
    for (const [who, query, key] of [
      ['garbage', '?cursor=not-a-cursor', t.a.readKey],
      ['forged payload', `?integration=slack&cursor=${forgedPayload}.${mac}`, t.a.readKey],
      ['edited signature', `?integration=slack&cursor=${payload}.${mac?.slice(1)}`, t.a.readKey],
      ['other filters', `?integration=github&cursor=${encodeURIComponent(cursor)}`, t.a.readKey],
      ['other list', `/../../trigger-events?integration=slack&cursor=${encodeURIComponent(cursor)}`, t.a.readKey],
      ['other project', `?integration=slack&cursor=${encodeURIComponent(cursor)}`, t.b.readKey],
    ] as const) {
      const path = query.startsWith('/../../')
        ? `/api/v1/trigger-events${query.slice(query.indexOf('?'))}`
        : `/api/v1/tool-calls${query}`;
      const response = await t.call(path, { key });
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect({ who, status: response.status, code: body.error.code }).toEqual({
        who,
        status: 400,
        code: 'invalid_cursor',
      });
      expect(body.error.message).toContain('cursor');
    }
  });
});

describe('parameter validation', () => {
  it.each([
    ['/api/v1/tool-calls?limit=0', 'query parameter "limit": must be an integer from 1 to 500'],
    ['/api/v1/tool-calls?limit=501', 'query parameter "limit": must be an integer from 1 to 500'],
    ['/api/v1/tool-calls?status=failed', 'query parameter "status": must be one of success, error'],
    ['/api/v1/tool-calls?traceId=xyz', 'query parameter "traceId": a trace ID is 32 hex characters'],
    ['/api/v1/tool-calls?from=last-week', 'query parameter "from": must be an ISO 8601 time'],
    ['/api/v1/tool-calls?from=2000&to=1000', 'query parameter "from": must be earlier than "to"'],
    ['/api/v1/tool-calls?userId=a&userId=b', 'query parameter "userId": given more than once'],
    ['/api/v1/tool-calls?sort=asc&page=2', 'unknown query parameters "sort", "page"'],
    ['/api/v1/tool-calls?triggerName=X', 'unknown query parameter "triggerName"'],
    [
      '/api/v1/trigger-events?status=error',
      'query parameter "status": must be one of processing_failure, delivery_failures, success, queued',
    ],
    ['/api/v1/trigger-events?toolName=X', 'unknown query parameter "toolName"'],
    [`/api/v1/trigger-events?deliveryId=${'d'.repeat(513)}`, 'query parameter "deliveryId": must be at most 512'],
    ['/api/v1/tool-calls?deliveryId=dlv_1', 'unknown query parameter "deliveryId"'],
    ['/api/v1/histogram/tool-calls?buckets=0', 'query parameter "buckets": must be an integer from 1 to 500'],
    ['/api/v1/tool-calls/not-a-trace', 'path parameter "traceId": a trace ID is 32 hex characters'],
    ['/api/v1/traces/00000000-0000-0000-0000-000000000000', 'path parameter "traceId": a trace ID is'],
  ])('when calling %s, then it is a 400 naming the parameter', async (path, message) => {
    const response = await t.call(path);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_parameter');
    expect(body.error.message).toContain(message);
  });
});
