/**
 * The bulk runner is tested with a scripted `send` in place of the cluster
 * (no Elasticsearch can run here); the responses follow the documented shape
 * of the `_bulk` API's per-item results.
 */
import type { estypes } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import * as f from '../conformance/fixtures.ts';
import {
  appendActions,
  type BulkAction,
  type BulkOperations,
  BulkWriteError,
  classifyItem,
  runBulk,
  toOperations,
  triggerAction,
} from './bulk.ts';
import { resourceNames } from './names.ts';
import { traceDocument } from './testing/trace-document.ts';

const names = resourceNames('tooltrace');
const at = Date.UTC(2026, 0, 1);

function itemFor(operations: BulkOperations, i: number, status: number, errorType?: string) {
  const action = operations[i * 2] as estypes.BulkOperationContainer;
  const [op, meta] = Object.entries(action ?? {})[0] as [estypes.BulkOperationType, estypes.BulkOperationBase];
  const item: estypes.BulkResponseItem = { _index: String(meta._index), _id: meta._id, status };
  if (errorType) item.error = { type: errorType, reason: `${errorType} happened` };
  return { [op]: item };
}

/** A scripted cluster: `statusOf(round, i)` is the status of item i in the round-th call. */
function scripted(statusOf: (round: number, i: number) => number) {
  const calls: BulkOperations[] = [];
  const send = async (operations: BulkOperations): Promise<estypes.BulkResponse> => {
    const round = calls.length;
    calls.push(operations);
    const items = Array.from({ length: operations.length / 2 }, (_, i) => {
      const status = statusOf(round, i);
      const type =
        status === 429
          ? 'es_rejected_execution_exception'
          : status === 409
            ? 'version_conflict_engine_exception'
            : status >= 400
              ? 'mapper_parsing_exception'
              : undefined;
      return itemFor(operations, i, status, type);
    });
    return { took: 1, errors: items.some((it) => Object.values(it)[0]?.error), items };
  };
  return { send, calls };
}

const noSleep = async () => {};

describe('append actions', () => {
  it('when a batch is built twice, then the data stream creates carry the same IDs (a re-send is a 409, not a copy)', () => {
    const trace = f.toolCallTrace({ at });
    const first = appendActions(names, 'trial', 'prj_a', trace.batch);
    const second = appendActions(names, 'trial', 'prj_a', trace.batch);
    expect(first.map((a) => a.action)).toEqual(second.map((a) => a.action));
    for (const { action } of first) {
      expect(action?.create?._index).toMatch(/^tooltrace-(logs|tool-calls)-trial$/);
      expect(action?.create?._id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });

  it('when two projects send the same IDs, then their documents get different IDs', () => {
    const trace = f.toolCallTrace({ at });
    const a = appendActions(names, 'pro', 'prj_a', trace.batch).map((x) => x.action?.create?._id);
    const b = appendActions(names, 'pro', 'prj_b', trace.batch).map((x) => x.action?.create?._id);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
  });

  it('when operations are built, then each action is followed by its document', () => {
    const trace = f.toolCallTrace({ at });
    const actions = appendActions(names, 'pro', 'prj_a', trace.batch);
    const ops = toOperations(actions);
    expect(ops).toHaveLength(actions.length * 2);
    expect(ops[1]).toMatchObject({ projectId: 'prj_a' });
  });
});

describe('trigger actions', () => {
  const trace = f.triggerTrace({ at, deliveries: 1 });
  const doc = traceDocument('prj_a', trace);

  it('when the document was not read, then it is created (never overwriting a concurrent creation)', () => {
    expect(Object.keys(triggerAction(names, doc, null).action ?? {})).toEqual(['create']);
  });

  it('when the document was read, then it is written back only if unchanged since', () => {
    const action = triggerAction(names, doc, { seqNo: 7, primaryTerm: 2 }).action;
    expect(action?.index).toMatchObject({ _index: 'tooltrace-trigger-events', if_seq_no: 7, if_primary_term: 2 });
  });
});

describe('runBulk', () => {
  const actions = (): BulkAction[] => appendActions(names, 'pro', 'prj_a', f.toolCallTrace({ at }).batch);

  it('when items are created or already exist, then they are counted apart and nothing is retried', async () => {
    const list = actions();
    const cluster = scripted((_, i) => (i === 0 ? 409 : 201));
    const result = await runBulk(cluster.send, list, { sleep: noSleep });
    expect(result.duplicates).toEqual([list[0]]);
    expect(result.written).toHaveLength(list.length - 1);
    expect(cluster.calls).toHaveLength(1);
  });

  it('when some items are throttled, then only those are re-sent until they pass', async () => {
    const list = actions();
    // Round 0: item 1 throttled; round 1 (only that item): throttled again; round 2: accepted.
    const cluster = scripted((round, i) => (round === 0 ? (i === 1 ? 429 : 201) : round === 1 ? 429 : 201));
    const result = await runBulk(cluster.send, list, { sleep: noSleep });
    expect(cluster.calls.map((ops) => ops.length / 2)).toEqual([list.length, 1, 1]);
    expect(cluster.calls[1]?.[0]).toEqual(list[1]?.action);
    expect(result.written).toHaveLength(list.length);
  });

  it('when items stay throttled past the retries, then the write fails naming them', async () => {
    const cluster = scripted(() => 429);
    await expect(runBulk(cluster.send, actions(), { sleep: noSleep, maxRetries: 2 })).rejects.toThrow(
      /still throttled after retries/,
    );
    expect(cluster.calls).toHaveLength(3);
  });

  it('when the whole request is throttled, then it is retried with backoff', async () => {
    let failures = 2;
    const delays: number[] = [];
    const inner = scripted(() => 201);
    const send = async (ops: BulkOperations) => {
      if (failures-- > 0) throw Object.assign(new Error('Too Many Requests'), { meta: { statusCode: 429 } });
      return inner.send(ops);
    };
    const result = await runBulk(send, actions(), {
      initialBackoffMs: 100,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    expect(result.written.length).toBeGreaterThan(0);
    expect(delays).toHaveLength(2);
    expect(delays[1]).toBeGreaterThan(delays[0] ?? 0);
  });

  it('when an item is rejected for another reason, then the write fails with its index, ID and reason', async () => {
    const cluster = scripted((_, i) => (i === 0 ? 400 : 201));
    const error = await runBulk(cluster.send, actions(), { sleep: noSleep }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulkWriteError);
    expect((error as BulkWriteError).message).toMatch(/tooltrace-logs-pro\/\S+ 400 mapper_parsing_exception/);
  });

  it('when a conditional write lost a race, then it is handed back as a conflict, not an error', async () => {
    const trace = f.triggerTrace({ at });
    const doc = traceDocument('prj_a', trace);
    const action = triggerAction(names, doc, { seqNo: 1, primaryTerm: 1 });
    const cluster = scripted(() => 409);
    const result = await runBulk(cluster.send, [action], { sleep: noSleep });
    expect(result.conflicts).toEqual([action]);
  });

  it('when classifying a 409 on create and on index, then they mean duplicate and conflict', () => {
    expect(classifyItem({ create: { _index: 'i', status: 409 } }).outcome).toBe('duplicate');
    expect(classifyItem({ index: { _index: 'i', status: 409 } }).outcome).toBe('conflict');
    expect(classifyItem({ index: { _index: 'i', status: 200 } }).outcome).toBe('written');
  });
});
