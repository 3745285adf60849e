/**
 * The decode stage in real worker threads: the same result as inline (forward
 * bodies byte for byte), each forwarding target's filter and encoding applied
 * there, the body transferred (not copied), and a crashing or throwing worker
 * failing its batch (never hanging it) and being replaced.
 */
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { NO_REDACTION_RULES } from '@tooltrace/conventions';
import { deserializeBatch, isSerializedBatch } from '@tooltrace/store/serialized-batch';
import { WorkerCrashedError, WorkerTaskError } from '@tooltrace/store/worker-threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { ForwardTarget } from '../forwarding/forward-bodies.ts';
import { decodeTracesRequest } from '../otlp/decode.ts';
import { newTraceId, readableSpan } from '../testing/telemetry.ts';
import { type DecodeMapStage, inlineDecodeMap, workerDecodeMap } from './decode-map-stage.ts';
import type { RawBatch } from './stages.ts';

const CRASHING = new URL('../testing/crashing-decode-worker.ts', import.meta.url);
// One receive time for every job, so the inline and the worker result can be compared whole.
const RECEIVED_AT_MS = Date.now();
const job = (forward: ForwardTarget[] = []) => ({
  context: { receivedAtMs: RECEIVED_AT_MS, maxAgeDays: 30 },
  rules: NO_REDACTION_RULES,
  forward,
});
const EVERYTHING_AS_PROTOBUF: ForwardTarget[] = [{ id: 'all-protobuf', filter: 'all', encoding: 'protobuf' }];

let stage: DecodeMapStage | undefined;
afterEach(async () => {
  await stage?.close();
  stage = undefined;
});

function protobufBatch(
  bytes = ProtobufTraceSerializer.serializeRequest([readableSpan({ traceId: newTraceId(), name: 'run_tool X' })])!,
): RawBatch {
  const body = Buffer.allocUnsafeSlow(bytes.length);
  body.set(bytes);
  return { signal: 'traces', encoding: 'protobuf', contentType: 'application/x-protobuf', body };
}

function jsonBatch(text: string): RawBatch {
  const body = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  body.write(text);
  return { signal: 'traces', encoding: 'json', contentType: 'application/json', body };
}

describe('decode and map in worker threads', () => {
  it('when a request is decoded in a worker, then the result equals the inline one and the body was transferred', async () => {
    stage = workerDecodeMap({}, 2);
    const traceId = newTraceId();
    const bytes = ProtobufTraceSerializer.serializeRequest([readableSpan({ traceId, name: 'run_tool X' })])!;
    const inline = await inlineDecodeMap().run(protobufBatch(bytes), job(EVERYTHING_AS_PROTOBUF));
    const raw = protobufBatch(bytes);
    const inWorker = await stage.run(raw, job(EVERYTHING_AS_PROTOBUF));
    if (inWorker.kind !== 'mapped') throw new Error(`expected a mapped batch, got ${inWorker.kind}`);
    // The worker's batch comes back as bytes the HTTP thread hands on unread; they hold what inline mapping gives.
    expect(isSerializedBatch(inWorker.mapped.batch)).toBe(true);
    expect({ ...inWorker, mapped: { ...inWorker.mapped, batch: deserializeBatch(inWorker.mapped.batch) } }).toEqual(
      inline,
    );
    expect(deserializeBatch(inWorker.mapped.batch).logs[0]!.traceId).toBe(traceId);
    // Transferred: the HTTP thread's copy is detached, so no second copy of the body was made.
    expect(raw.body.byteLength).toBe(0);
  });

  it('when a request is forwarded to several destinations, then the worker encodes the same bodies as inline, byte for byte', async () => {
    stage = workerDecodeMap({}, 1);
    const traceId = newTraceId();
    const bytes = ProtobufTraceSerializer.serializeRequest([
      readableSpan({ traceId, name: 'run_tool X', attributes: { 'tool.output': 'v'.repeat(20_000) } }),
      readableSpan({ traceId, name: 'provider failed', status: { code: 2, message: 'boom' } }),
    ])!;
    const targets: ForwardTarget[] = [
      { id: 'all-json', filter: 'all', encoding: 'json' },
      { id: 'errors-protobuf', filter: 'errors_only', encoding: 'protobuf' },
      { id: 'tool-calls-protobuf', filter: 'tool_calls', encoding: 'protobuf' },
    ];
    const inline = await inlineDecodeMap().run(protobufBatch(bytes), job(targets));
    const inWorker = await stage.run(protobufBatch(bytes), job(targets));
    const bodies = (result: typeof inline) => (result.kind === 'mapped' ? result.forward : []);
    expect(bodies(inWorker).map((b) => [b.destinationId, b.encoding, b.items])).toEqual(
      bodies(inline).map((b) => [b.destinationId, b.encoding, b.items]),
    );
    expect(bodies(inWorker)).toHaveLength(3);
    for (const [i, body] of bodies(inWorker).entries()) {
      expect(Buffer.from(body.payload).equals(Buffer.from(bodies(inline)[i]!.payload))).toBe(true);
    }
  });

  it("when a destination has a filter and an encoding, then the worker's body holds only what passes, in that encoding", async () => {
    stage = workerDecodeMap({}, 1);
    const traceId = newTraceId();
    const bytes = ProtobufTraceSerializer.serializeRequest([
      readableSpan({ traceId, name: 'fine' }),
      readableSpan({ traceId, name: 'broken', status: { code: 2, message: 'boom' } }),
    ])!;
    const result = await stage.run(
      protobufBatch(bytes),
      job([
        { id: 'errors-json', filter: 'errors_only', encoding: 'json' },
        { id: 'all-protobuf', filter: 'all', encoding: 'protobuf' },
        // No span here belongs to a trigger pipeline: this destination gets no body at all.
        { id: 'triggers', filter: 'trigger_events', encoding: 'protobuf' },
      ]),
    );
    if (result.kind !== 'mapped') throw new Error(`expected a mapped result, got ${result.kind}`);
    const names = (payload: Uint8Array, encoding: 'json' | 'protobuf') =>
      decodeTracesRequest(payload, encoding).resourceSpans.flatMap((rs) =>
        rs.scopeSpans.flatMap((ss) => ss.spans.map((span) => span.name)),
      );
    expect(result.forward.map((b) => [b.destinationId, b.encoding, b.items])).toEqual([
      ['errors-json', 'json', 1],
      ['all-protobuf', 'protobuf', 2],
    ]);
    const [errors, all] = result.forward;
    expect(JSON.parse(Buffer.from(errors!.payload).toString('utf8')).resourceSpans).toHaveLength(1);
    expect(names(errors!.payload, 'json')).toEqual(['broken']);
    expect(names(all!.payload, 'protobuf')).toEqual(['fine', 'broken']);
  });

  it('when a body is not a valid request, then the worker answers invalid with the decoder message', async () => {
    stage = workerDecodeMap({}, 1);
    const result = await stage.run(jsonBatch('{"resourceSpans":7}'), job());
    expect(result).toEqual({ kind: 'invalid', message: expect.stringMatching(/resourceSpans: expected an array/) });
  });

  it('when a worker crashes on a batch, then that batch fails with WorkerCrashedError and the next one is decoded by a new worker', async () => {
    stage = workerDecodeMap({}, 1, CRASHING);
    await expect(stage.run(jsonBatch('{"crash-this-worker":1}'), job())).rejects.toThrow(WorkerCrashedError);
    const after = await stage.run(protobufBatch(), job());
    expect(after.kind).toBe('mapped');
    expect(stage.stats()).toMatchObject({ workers: 1, crashed: 1, busy: 0, queued: 0 });
  });

  it('when a task throws inside the worker, then that batch fails with the error and the worker keeps serving', async () => {
    stage = workerDecodeMap({}, 1, CRASHING);
    await expect(stage.run(jsonBatch('{"throw-in-this-task":1}'), job())).rejects.toThrow(WorkerTaskError);
    expect((await stage.run(protobufBatch(), job())).kind).toBe('mapped');
    expect(stage.stats()).toMatchObject({ crashed: 0 });
  });

  it('when the worker module cannot load, then tasks fail with the reason instead of restarting forever', async () => {
    stage = workerDecodeMap({}, 1, new URL('../testing/no-such-worker.ts', import.meta.url));
    await expect(stage.run(protobufBatch(), job())).rejects.toThrow(/decode workers cannot start/);
  });
});
