/**
 * `write` through the real client against a recording HTTP server on 127.0.0.1
 * (no Elasticsearch can run here): checks what goes over the wire — NDJSON bulk
 * bodies, query-string parameters, the realtime read before a trigger merge —
 * and that per-item answers are read back correctly. Answers follow the
 * documented `_bulk`, `_mget`, `_doc` and `_search` responses.
 */
import { Client } from '@elastic/elasticsearch';
import { afterEach, describe, expect, it } from 'vitest';
import * as f from '../conformance/fixtures.ts';
import type { Store } from '../store.ts';
import { openElasticsearchStore } from './elasticsearch-store.ts';
import { type JsonRequest, startJsonServer } from './testing/json-server.ts';

type Recorded = JsonRequest;

const project = {
  projectId: 'prj_wire',
  name: 'wire',
  plan: 'pro',
  limits: { maxAgeDays: 30, maxLogs: 1_000_000 },
  createdAt: '2026-01-01T00:00:00.000Z',
  logsDropped: 0,
};

async function fakeCluster(answer: (call: Recorded) => { status?: number; body: unknown }) {
  const calls: Recorded[] = [];
  const server = await startJsonServer((call) => {
    calls.push(call);
    return answer(call);
  });
  return { calls, ...server };
}

/** Per-item bulk answers: 201 for each action line, or what `statusOf` says. */
function bulkAnswer(body: string, statusOf: (action: Record<string, { _index: string; _id: string }>) => number) {
  const lines = body
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, { _index: string; _id: string }>);
  const items = lines
    .filter((_, i) => i % 2 === 0)
    .map((action) => {
      const [op, meta] = Object.entries(action)[0] as [string, { _index: string; _id: string }];
      const status = statusOf(action);
      return { [op]: { _index: meta._index, _id: meta._id, status, _seq_no: 1, _primary_term: 1 } };
    });
  return { took: 1, errors: items.some((i) => (Object.values(i)[0]?.status ?? 0) >= 300), items };
}

describe('write over the wire', () => {
  let cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup) await c();
    cleanup = [];
  });

  async function open(answer: (call: Recorded) => { status?: number; body: unknown }) {
    const cluster = await fakeCluster(answer);
    const client = new Client({ node: cluster.url });
    const store: Store = await openElasticsearchStore({
      client,
      prefix: 'tt',
      bootstrap: false,
      refresh: 'wait_for',
      retentionSweepIntervalMs: 0,
    });
    cleanup.push(
      cluster.close,
      () => client.close(),
      () => store.close(),
    );
    return { cluster, store };
  }

  const standardAnswers = (duplicateIds: Set<string> = new Set()) => {
    const deliveries = new Map<string, unknown>();
    return (call: Recorded): { status?: number; body: unknown } => {
      if (call.method === 'GET' && call.path === '/tt-projects/_doc/prj_wire') {
        return { body: { _index: 'tt-projects', _id: 'prj_wire', found: true, _source: project } };
      }
      if (call.path === '/_bulk') {
        const lines = call.body.trim().split('\n');
        for (let i = 0; i < lines.length; i += 2) {
          const meta = Object.values(JSON.parse(lines[i] as string))[0] as { _index: string; _id: string };
          if (meta._index === 'tt-deliveries') deliveries.set(meta._id, JSON.parse(lines[i + 1] as string));
        }
        return {
          body: bulkAnswer(call.body, (action) => {
            const meta = Object.values(action)[0];
            return meta && duplicateIds.has(meta._id) ? 409 : 201;
          }),
        };
      }
      if (call.path === '/tt-deliveries/_mget') {
        const { ids } = JSON.parse(call.body) as { ids: string[] };
        const docs = ids.map((id) => {
          const source = deliveries.get(id);
          return source
            ? { _index: 'tt-deliveries', _id: id, found: true, _seq_no: 0, _primary_term: 1, _source: source }
            : { _index: 'tt-deliveries', _id: id, found: false };
        });
        return { body: { docs } };
      }
      if (call.path === '/tt-trigger-events/_mget') {
        const { ids } = JSON.parse(call.body) as { ids: string[] };
        return { body: { docs: ids.map((id) => ({ _index: 'tt-trigger-events', _id: id, found: false })) } };
      }
      if (call.path.endsWith('/_search')) {
        return {
          body: {
            took: 1,
            timed_out: false,
            _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
            hits: { total: { value: 3, relation: 'eq' }, hits: [] },
            aggregations: { oldest: { value: Date.now() } },
          },
        };
      }
      return { status: 404, body: { error: { type: 'not_found', reason: call.path }, status: 404 } };
    };
  };

  it('when a batch is written, then logs and tool calls go as `create` to the plan streams and trigger traces as `create` after a realtime read', async () => {
    const { cluster, store } = await open(standardAnswers());
    const toolTrace = f.toolCallTrace({ at: Date.now() }, 1);
    const event = f.triggerTrace({ at: Date.now(), deliveries: 1 });
    const batch = f.batch({
      toolCalls: toolTrace.batch.toolCalls,
      logs: [...toolTrace.batch.logs, ...event.batch.logs],
      triggers: event.batch.triggers,
      deliveryAttempts: event.batch.deliveryAttempts,
    });

    const result = await store.write('prj_wire', batch);
    expect(result).toEqual({ logsDropped: 0 });

    const bulks = cluster.calls.filter((c) => c.path === '/_bulk');
    expect(bulks).toHaveLength(3);
    for (const bulk of bulks) expect(bulk.query.get('refresh')).toBe('wait_for');
    const [append, deliveries, triggers] = bulks.map((b) =>
      b.body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    );
    const appendActions = append?.filter((_, i) => i % 2 === 0) ?? [];
    expect(appendActions.map((a) => Object.keys(a)[0])).toEqual(Array(appendActions.length).fill('create'));
    expect(appendActions.map((a) => a.create._index).sort()).toEqual([
      'tt-logs-pro',
      'tt-logs-pro',
      'tt-logs-pro',
      'tt-tool-calls-pro',
    ]);
    expect(append?.[1]).toMatchObject({ projectId: 'prj_wire', '@timestamp': expect.any(Number) });

    // Deliveries are stored first, then the trace is read (realtime) and derived from them.
    expect(deliveries?.[0]).toEqual({ create: { _index: 'tt-deliveries', _id: expect.any(String) } });
    expect(deliveries?.[1]).toMatchObject({ deliveryId: event.batch.deliveryAttempts[0]?.deliveryId });
    const mget = cluster.calls.find((c) => c.path === '/tt-trigger-events/_mget');
    expect(mget).toBeDefined();
    expect(cluster.calls.indexOf(mget as Recorded)).toBeGreaterThan(cluster.calls.indexOf(bulks[1] as Recorded));
    expect(cluster.calls.indexOf(mget as Recorded)).toBeLessThan(cluster.calls.indexOf(bulks[2] as Recorded));
    expect(triggers?.[0]).toEqual({ create: { _index: 'tt-trigger-events', _id: expect.any(String) } });
    expect(triggers?.[1]).toMatchObject({
      projectId: 'prj_wire',
      traceId: event.traceId,
      eventId: event.eventId,
      status: 'success',
      userIds: ['user-1'],
    });
  });

  /** Keeps what `_bulk` stores, by ID, in one backing index per data stream, so re-sends meet their copies. */
  function storingCluster() {
    const stored = new Map<string, { index: string; source: unknown; seqNo: number }>();
    const base = standardAnswers();
    let seq = 0;
    const answer = (call: Recorded): { status?: number; body: unknown } => {
      if (call.path === '/_bulk') {
        const lines = call.body
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
        const items = [];
        for (let i = 0; i < lines.length; i += 2) {
          const [op, meta] = Object.entries(lines[i])[0] as [string, Record<string, unknown>];
          const id = String(meta._id);
          const existing = stored.get(id);
          let status = 201;
          if (op === 'create' && existing) status = 409;
          else if (op === 'index' && existing && existing.seqNo !== meta.if_seq_no) status = 409;
          else {
            const index = op === 'create' ? `.ds-${meta._index}-000001` : String(meta._index);
            stored.set(id, { index, source: lines[i + 1], seqNo: ++seq });
          }
          items.push({ [op]: { _index: String(meta._index), _id: id, status } });
        }
        return { body: { took: 1, errors: items.some((it) => (Object.values(it)[0]?.status ?? 0) >= 300), items } };
      }
      if (call.path.endsWith('/_refresh')) return { body: { _shards: { total: 1, successful: 1, failed: 0 } } };
      if (call.path.endsWith('/_search') && call.body.includes('"ids"')) {
        const request = JSON.parse(call.body) as { query: { bool: { filter: { ids?: { values: string[] } }[] } } };
        const ids = request.query.bool.filter.find((c) => c.ids)?.ids?.values ?? [];
        const hits = ids.flatMap((id) => {
          const copy = stored.get(id);
          return copy
            ? [{ _index: copy.index, _id: id, _seq_no: copy.seqNo, _primary_term: 1, _source: copy.source }]
            : [];
        });
        return {
          body: {
            took: 1,
            timed_out: false,
            _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
            hits: { hits },
          },
        };
      }
      return base(call);
    };
    return { stored, answer };
  }

  it('when a batch is re-sent unchanged, then every create is a 409 and nothing is written again', async () => {
    const cluster = storingCluster();
    const { cluster: wire, store } = await open(cluster.answer);
    const trace = f.toolCallTrace({ at: Date.now() }, 1);
    await store.write('prj_wire', trace.batch);
    const storedAfterFirst = structuredClone([...cluster.stored.entries()]);
    await store.write('prj_wire', trace.batch);
    expect([...cluster.stored.entries()]).toEqual(storedAfterFirst);
    const bulks = wire.calls.filter((c) => c.path === '/_bulk');
    expect(bulks).toHaveLength(2);
    expect(bulks[1]?.body).toEqual(bulks[0]?.body);
  });

  it('when a re-sent tool call changed, then its copy is replaced in its backing index, conditionally on the version read', async () => {
    const cluster = storingCluster();
    const { cluster: wire, store } = await open(cluster.answer);
    const call = f.toolCall({ at: Date.now() });
    await store.write('prj_wire', f.batch({ toolCalls: [call] }));
    await store.write('prj_wire', f.batch({ toolCalls: [{ ...call, status: 'error', httpStatus: 500 }] }));
    const bulks = wire.calls.filter((c) => c.path === '/_bulk');
    expect(bulks).toHaveLength(3);
    const [action, document] = (bulks[2]?.body ?? '')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(action).toEqual({
      index: { _index: '.ds-tt-tool-calls-pro-000001', _id: expect.any(String), if_seq_no: 1, if_primary_term: 1 },
    });
    expect(document).toMatchObject({ status: 'error', httpStatus: 500, spanId: call.spanId });
    expect([...cluster.stored.values()][0]?.source).toMatchObject({ status: 'error' });
  });

  it('when a project writes several batches, then its document is read once, not once per batch', async () => {
    const { cluster, store } = await open(standardAnswers());
    for (let i = 0; i < 3; i++) await store.write('prj_wire', f.toolCallTrace({ at: Date.now() }).batch);
    const reads = cluster.calls.filter((c) => c.method === 'GET' && c.path === '/tt-projects/_doc/prj_wire');
    expect(reads).toHaveLength(1);
    expect(cluster.calls.filter((c) => c.path === '/_bulk')).toHaveLength(3);
  });

  it('when the project does not exist, then nothing is sent to _bulk', async () => {
    const { cluster, store } = await open(standardAnswers());
    await expect(store.write('prj_missing', f.toolCallTrace({ at: Date.now() }).batch)).rejects.toThrow(/prj_missing/);
    expect(cluster.calls.some((c) => c.path === '/_bulk')).toBe(false);
  });
});
