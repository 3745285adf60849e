/** Detail views, facets, histograms and retention over real HTTP and a real SQLite store, including project isolation. */
import { toRequestId } from '@tooltrace/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Histogram,
  RetentionStatus,
  ToolCallFacets,
  ToolCallTrace,
  TraceDetail,
  TriggerEventDetail,
  TriggerEventFacets,
} from './schemas.ts';
import { merge, newSpanId, spanLog, toolCallTrace, triggerTrace } from './testing/fixtures.ts';
import { startTestApi, type TestApi } from './testing/harness.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const now = Date.now();
const at = (minutesAgo: number) => now - minutesAgo * MINUTE;

let t: TestApi;
const slackError = toolCallTrace({ at: at(20), integration: 'slack', userId: 'alice', status: 'error' });
const slackOk = toolCallTrace({ at: at(10), integration: 'slack', userId: 'bob', toolName: 'SLACK_READ' });
const github = toolCallTrace({
  at: at(3 * 60),
  integration: 'github',
  userId: 'alice',
  toolName: 'GITHUB_CREATE_ISSUE',
});
const event = triggerTrace({ at: at(15), integration: 'salesforce', userId: 'alice', delivery: 'failed' });
const otherProjectCall = toolCallTrace({ at: at(5), integration: 'slack' });
const otherProjectEvent = triggerTrace({ at: at(5), eventId: 'evt_shared_name' });

beforeAll(async () => {
  t = await startTestApi();
  await t.store.write(t.a.project.projectId, merge([slackError.batch, slackOk.batch, github.batch, event.batch]));
  await t.store.write(t.b.project.projectId, merge([otherProjectCall.batch, otherProjectEvent.batch]));
});
afterAll(() => t?.close());

async function errorOf(response: Response) {
  return {
    status: response.status,
    ...((await response.json()) as { error: { code: string; message: string } }).error,
  };
}

describe('GET /api/v1/tool-calls/:traceId', () => {
  const traceId = slackError.fact.traceId;
  it.each([
    ['hex', traceId],
    ['requestId', toRequestId(traceId)],
    ['upper-case requestId with spaces', `%20${toRequestId(traceId).toUpperCase()}%20`],
  ])('when the trace ID is given as %s, then the call, its logs and its span tree come back', async (_form, id) => {
    const body = ToolCallTrace.parse(await t.json(`/api/v1/tool-calls/${id}`));
    expect(body.toolCalls.map((c) => c.traceId)).toEqual([traceId]);
    expect(body.logs).toHaveLength(2);
    expect(body.spans).toHaveLength(1);
    expect(body.spans[0]?.kind).toBe('tool_call');
    expect(body.spans[0]?.children.map((c) => c.kind)).toEqual(['provider_request']);
    expect(body.warnings).toEqual([]);
  });

  it('when spans look wrong, then each is kept and named in warnings, and the tree carries no attributes', async () => {
    const odd = toolCallTrace({ at: at(30) });
    const { traceId, spanId: rootId } = odd.fact;
    const dupId = newSpanId();
    const span = (spanId: string, parentSpanId: string | null, name: string, durationMs = 5) =>
      spanLog({ traceId, spanId, parentSpanId, at: at(30) + 1, kind: 'internal', name, durationMs });
    const logs = [
      span(dupId, rootId, 'first copy'),
      { ...span(dupId, rootId, 'second copy'), id: `${traceId}:${dupId}:again` },
      span(newSpanId(), rootId, 'skewed', -7),
      span(newSpanId(), newSpanId(), 'orphan'),
    ];
    // A project of its own, so the counts the other cases check stay as they are.
    const own = await t.store.createProject({ name: 'odd spans', plan: 'trial' });
    await t.store.write(own.project.projectId, { ...odd.batch, logs: [...odd.batch.logs, ...logs] });

    const body = ToolCallTrace.parse(await t.json(`/api/v1/tool-calls/${traceId}`, own.readKey));
    expect(body.warnings.map((w) => w.code).sort()).toEqual([
      'duplicate_span_id',
      'missing_parent',
      'negative_duration',
    ]);
    const names = body.spans.flatMap((s) => [s.name, ...s.children.map((c) => c.name)]);
    expect(names).toEqual(expect.arrayContaining(['first copy', 'second copy', 'skewed', 'orphan']));
    expect(JSON.stringify(body.spans)).not.toContain('attributes');
    expect(body.logs.filter((l) => l.source === 'span').every((l) => 'tooltrace.kind' in l.attributes)).toBe(true);
    const detail = TraceDetail.parse(await t.json(`/api/v1/traces/${traceId}`, own.readKey));
    expect(detail.warnings).toEqual(body.warnings);
  });

  it('when a span has links and lost data to limits, then both detail views carry its links and a dropped_data warning', async () => {
    const batchJob = toolCallTrace({ at: at(40) });
    const { traceId, spanId } = batchJob.fact;
    const links = [
      { traceId: slackOk.fact.traceId, spanId: slackOk.fact.spanId, attributes: { 'link.reason': 'consumed' } },
    ];
    const logs = batchJob.batch.logs.map((log) =>
      log.spanId === spanId && log.source === 'span'
        ? { ...log, links, attributes: { ...log.attributes, 'otel.dropped_links_count': 2 } }
        : log,
    );
    const own = await t.store.createProject({ name: 'links', plan: 'trial' });
    await t.store.write(own.project.projectId, { ...batchJob.batch, logs });

    for (const path of [`/api/v1/tool-calls/${traceId}`, `/api/v1/traces/${traceId}`]) {
      const raw = (await t.json(path, own.readKey)) as { logs: { spanId: string; links?: unknown }[] };
      expect(raw.logs.find((l) => l.spanId === spanId)?.links, path).toEqual(links);
      const body = ToolCallTrace.pick({ logs: true, warnings: true }).parse(raw);
      expect(
        body.warnings.map((w) => [w.code, w.spanId]),
        path,
      ).toEqual([['dropped_data', spanId]]);
    }
    const openapi = JSON.stringify(await t.json('/api/v1/openapi.json'));
    expect(openapi).toContain('"SpanLink"');
  });

  it('when the trace does not exist, then it is a 404', async () => {
    expect(await errorOf(await t.call(`/api/v1/tool-calls/${'ab'.repeat(16)}`))).toMatchObject({
      status: 404,
      code: 'not_found',
    });
  });

  it("when the trace belongs to another project, then it is a 404 (A's key cannot read B's trace)", async () => {
    const id = otherProjectCall.fact.traceId;
    expect((await t.call(`/api/v1/tool-calls/${id}`, { key: t.b.readKey })).status).toBe(200);
    expect(await errorOf(await t.call(`/api/v1/tool-calls/${id}`))).toMatchObject({ status: 404, code: 'not_found' });
    expect((await t.call(`/api/v1/traces/${toRequestId(id)}`)).status).toBe(404);
  });
});

describe('GET /api/v1/traces/:traceId', () => {
  it('when the trace is a trigger event, then it comes back with its trigger event and spans', async () => {
    const body = TraceDetail.parse(await t.json(`/api/v1/traces/${toRequestId(event.traceId)}`));
    expect(body.toolCalls).toEqual([]);
    expect(body.triggerEvents.map((e) => e.eventId)).toEqual([event.eventId]);
    expect(body.spans[0]?.children.map((c) => c.kind)).toEqual(['trigger_delivery']);
  });

  it('when the trace is a tool call, then it comes back with its tool call', async () => {
    const body = TraceDetail.parse(await t.json(`/api/v1/traces/${slackOk.fact.traceId}`));
    expect(body.toolCalls.map((c) => c.spanId)).toEqual([slackOk.fact.spanId]);
    expect(body.triggerEvents).toEqual([]);
  });
});

describe('GET /api/v1/trigger-events/:eventId', () => {
  it('when the event exists, then it comes back with its deliveries and logs', async () => {
    const body = TriggerEventDetail.parse(await t.json(`/api/v1/trigger-events/${event.eventId}`));
    expect(body.event).toMatchObject({
      eventId: event.eventId,
      status: 'delivery_failures',
      projectId: t.a.project.projectId,
    });
    expect(body.deliveries.map((d) => d.status)).toEqual(['failed']);
    expect(body.logs.length).toBe(2);
  });

  it('when the event belongs to another project, then it is a 404', async () => {
    expect((await t.call(`/api/v1/trigger-events/evt_shared_name`, { key: t.b.readKey })).status).toBe(200);
    expect(await errorOf(await t.call('/api/v1/trigger-events/evt_shared_name'))).toMatchObject({ status: 404 });
  });
});

describe('facets', () => {
  it('when asking for tool-call facets, then each lists the values of the project with counts', async () => {
    const body = ToolCallFacets.parse(await t.json('/api/v1/facets/tool-calls'));
    expect(body.integrations).toEqual([
      { value: 'slack', count: 2 },
      { value: 'github', count: 1 },
    ]);
    expect(body.statuses).toEqual(
      expect.arrayContaining([
        { value: 'error', count: 1 },
        { value: 'success', count: 2 },
      ]),
    );
  });

  it('when a filter is set, then the other facets respect it and its own facet still lists the alternatives', async () => {
    const body = ToolCallFacets.parse(await t.json('/api/v1/facets/tool-calls?integration=slack'));
    expect(body.integrations.map((f) => f.value).sort()).toEqual(['github', 'slack']);
    expect(body.userIds.map((f) => f.value).sort()).toEqual(['alice', 'bob']);
    expect(body.toolNames.map((f) => f.value)).not.toContain('GITHUB_CREATE_ISSUE');
  });

  it('when the UI sends its time range, then facets count only the records in it', async () => {
    const range = `from=${new Date(at(60)).toISOString()}&to=${new Date(now).toISOString()}`;
    const calls = ToolCallFacets.parse(await t.json(`/api/v1/facets/tool-calls?${range}`));
    // The GitHub call (3 h ago) is outside the last hour.
    expect(calls.integrations).toEqual([{ value: 'slack', count: 2 }]);
    expect(calls.userIds).toEqual([
      { value: 'alice', count: 1 },
      { value: 'bob', count: 1 },
    ]);
    const wide = ToolCallFacets.parse(await t.json(`/api/v1/facets/tool-calls?from=${at(40 * 24 * 60)}&to=${now}`));
    expect(wide.integrations).toEqual([
      { value: 'slack', count: 2 },
      { value: 'github', count: 1 },
    ]);
    const events = TriggerEventFacets.parse(await t.json(`/api/v1/facets/trigger-events?${range}`));
    expect(events.userIds).toEqual([{ value: 'alice', count: 1 }]);
  });

  it('when asking for trigger-event facets, then they come back in their shape', async () => {
    const body = TriggerEventFacets.parse(await t.json('/api/v1/facets/trigger-events'));
    expect(body.integrations).toEqual([{ value: 'salesforce', count: 1 }]);
    expect(body.statuses).toEqual([{ value: 'delivery_failures', count: 1 }]);
  });

  it('when a facet parameter is invalid, then it is a 400', async () => {
    expect((await t.call('/api/v1/facets/tool-calls?limit=5')).status).toBe(400);
  });
});

describe('histograms', () => {
  it('when no range is given, then the last 24 hours are bucketed in nice steps and every row is counted once', async () => {
    const body = Histogram.parse(await t.json('/api/v1/histogram/tool-calls'));
    expect(body.bucketMs).toBe(30 * MINUTE);
    expect(body.buckets.length).toBeLessThanOrEqual(60);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBeGreaterThanOrEqual(24 * HOUR);
    const totals = body.buckets.reduce<Record<string, number>>((sum, b) => {
      for (const [status, count] of Object.entries(b.counts)) sum[status] = (sum[status] ?? 0) + count;
      return sum;
    }, {});
    expect(totals).toEqual({ success: 2, error: 1 });
    const errorBucket = body.buckets.find((b) => b.counts.error === 1);
    expect(Date.parse(errorBucket?.start ?? '')).toBeLessThanOrEqual(at(20));
    expect(Date.parse(errorBucket?.start ?? '') + body.bucketMs).toBeGreaterThan(at(20));
  });

  it('when an aligned one-hour range and 12 buckets are asked for, then the buckets are 5 minutes, filtered like the list', async () => {
    const from = Math.floor(at(60) / (5 * MINUTE)) * 5 * MINUTE;
    const query = `?from=${new Date(from).toISOString()}&to=${from + HOUR}&buckets=12&integration=slack`;
    const body = Histogram.parse(await t.json(`/api/v1/histogram/tool-calls${query}`));
    expect(body.bucketMs).toBe(5 * MINUTE);
    expect(body.buckets).toHaveLength(12);
    expect(body.from).toBe(new Date(from).toISOString());
    const counted = body.buckets.flatMap((b) => Object.entries(b.counts));
    expect(counted.sort()).toEqual([
      ['error', 1],
      ['success', 1],
    ]);
  });

  it('when asking for the trigger-event histogram, then its statuses are the trigger statuses', async () => {
    // The last 24 h, epoch-aligned to whole hours, span 25 one-hour buckets.
    const body = Histogram.parse(await t.json('/api/v1/histogram/trigger-events?buckets=25'));
    expect(body.bucketMs).toBe(HOUR);
    expect(body.buckets.flatMap((b) => Object.entries(b.counts))).toEqual([['delivery_failures', 1]]);
  });

  it('when from is in the future with no to, then the range still makes sense', async () => {
    const response = await t.call(`/api/v1/histogram/tool-calls?from=${now + HOUR}`);
    expect(response.status).toBe(200);
  });
});

describe('retention', () => {
  it('when the read key changes the plan, then it is a 403 admin_key_required naming the admin key, and nothing changes', async () => {
    const before = RetentionStatus.parse(await t.json('/api/v1/project/retention'));
    expect(before.logCount).toBeGreaterThan(0);
    const response = await t.call('/api/v1/project/retention', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ plan: 'enterprise', limits: { maxLogs: 1, maxAgeDays: null } }),
    });
    expect(await errorOf(response)).toMatchObject({
      status: 403,
      code: 'admin_key_required',
      message: expect.stringContaining('admin key (tt_admin_'),
    });
    expect(RetentionStatus.parse(await t.json('/api/v1/project/retention'))).toEqual(before);
  });

  it('when the admin key reads, then it reads like the read key', async () => {
    const asAdmin = RetentionStatus.parse(await t.json('/api/v1/project/retention', t.a.adminKey));
    expect(asAdmin).toEqual(RetentionStatus.parse(await t.json('/api/v1/project/retention')));
    expect((await t.call('/api/v1/tool-calls', { key: t.a.adminKey })).status).toBe(200);
  });

  it('when reading retention, then plan, limits, counts and project come back', async () => {
    const body = RetentionStatus.parse(await t.json('/api/v1/project/retention'));
    expect(body).toMatchObject({
      projectId: t.a.project.projectId,
      projectName: 'project A',
      plan: 'pro',
      limits: { maxAgeDays: 30, maxLogs: 1_000_000 },
      logsDropped: 0,
      ageRetention: 'sweep',
    });
    expect(body.logCount).toBe(8);
  });

  it('when changing the plan to enterprise with custom limits, then the new limits apply (to that project only)', async () => {
    const response = await t.call('/api/v1/project/retention', {
      method: 'PUT',
      key: t.b.adminKey,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ plan: 'enterprise', limits: { maxAgeDays: 90, maxLogs: null } }),
    });
    expect(response.status).toBe(200);
    expect(RetentionStatus.parse(await response.json())).toMatchObject({
      plan: 'enterprise',
      limits: { maxAgeDays: 90, maxLogs: null },
    });
    expect(RetentionStatus.parse(await t.json('/api/v1/project/retention')).plan).toBe('pro');
  });

  it.each([
    ['an unknown plan', { plan: 'gold' }, 400, 'body field "plan"'],
    ['limits on a non-enterprise plan', { plan: 'trial', limits: { maxAgeDays: 3 } }, 400, 'body field "limits"'],
    ['an unknown field', { plan: 'pro', extra: 1 }, 400, 'unknown body field "extra"'],
  ])('when the body has %s, then it is a %d naming the field', async (_name, body, status, message) => {
    const response = await t.call('/api/v1/project/retention', {
      method: 'PUT',
      key: t.a.adminKey,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(await errorOf(response)).toMatchObject({ status, message: expect.stringContaining(message) });
  });

  it('when the body is not JSON or is too large, then it is a 400 or 413', async () => {
    const put = (body: string) =>
      t.call('/api/v1/project/retention', {
        method: 'PUT',
        key: t.a.adminKey,
        headers: { 'content-type': 'application/json' },
        body,
      });
    expect(await errorOf(await put('{"plan":'))).toMatchObject({ status: 400, code: 'invalid_json' });
    const asText = await t.call('/api/v1/project/retention', {
      method: 'PUT',
      key: t.a.adminKey,
      body: '{"plan":"pro"}',
    });
    expect(await errorOf(asText)).toMatchObject({
      status: 400,
      message: expect.stringContaining('Content-Type: application/json'),
    });
    expect(await errorOf(await put(JSON.stringify({ plan: 'pro', pad: 'x'.repeat(100_000) })))).toMatchObject({
      status: 413,
      code: 'payload_too_large',
    });
    expect(RetentionStatus.parse(await t.json('/api/v1/project/retention')).plan).toBe('pro');
  });
});
