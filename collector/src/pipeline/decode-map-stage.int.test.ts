/**
 * The decode stage in real worker threads: the same result as inline, the
 * body transferred (not copied), and a crashing or throwing worker failing
 * its batch (never hanging it) and being replaced.
 */
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { NO_REDACTION_RULES } from '@tooltrace/conventions';
import { WorkerCrashedError, WorkerTaskError } from '@tooltrace/store/worker-threads';
import { afterEach, describe, expect, it } from 'vitest';
import { newTraceId, readableSpan } from '../testing/telemetry.ts';
import { type DecodeMapStage, inlineDecodeMap, workerDecodeMap } from './decode-map-stage.ts';
import type { RawBatch } from './stages.ts';

const CRASHING = new URL('../testing/crashing-decode-worker.ts', import.meta.url);
// One receive time for every job, so the inline and the worker result can be compared whole.
const RECEIVED_AT_MS = Date.now();
const job = (keepDecoded: boolean) => ({
  context: { receivedAtMs: RECEIVED_AT_MS, maxAgeDays: 30 },
  rules: NO_REDACTION_RULES,
  keepDecoded,
});

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
    const inline = await inlineDecodeMap().run(protobufBatch(bytes), job(true));
    const raw = protobufBatch(bytes);
    const inWorker = await stage.run(raw, job(true));
    expect(inWorker).toEqual(inline);
    expect(inWorker.kind === 'mapped' && inWorker.mapped.batch.logs[0]!.traceId).toBe(traceId);
    // Transferred: the HTTP thread's copy is detached, so no second copy of the body was made.
    expect(raw.body.byteLength).toBe(0);
  });

  it('when a body is not a valid request, then the worker answers invalid with the decoder message', async () => {
    stage = workerDecodeMap({}, 1);
    const result = await stage.run(jsonBatch('{"resourceSpans":7}'), job(false));
    expect(result).toEqual({ kind: 'invalid', message: expect.stringMatching(/resourceSpans: expected an array/) });
  });

  it('when a worker crashes on a batch, then that batch fails with WorkerCrashedError and the next one is decoded by a new worker', async () => {
    stage = workerDecodeMap({}, 1, CRASHING);
    await expect(stage.run(jsonBatch('{"crash-this-worker":1}'), job(false))).rejects.toThrow(WorkerCrashedError);
    const after = await stage.run(protobufBatch(), job(false));
    expect(after.kind).toBe('mapped');
    expect(stage.stats()).toMatchObject({ workers: 1, crashed: 1, busy: 0, queued: 0 });
  });

  it('when a task throws inside the worker, then that batch fails with the error and the worker keeps serving', async () => {
    stage = workerDecodeMap({}, 1, CRASHING);
    await expect(stage.run(jsonBatch('{"throw-in-this-task":1}'), job(false))).rejects.toThrow(WorkerTaskError);
    expect((await stage.run(protobufBatch(), job(false))).kind).toBe('mapped');
    expect(stage.stats()).toMatchObject({ crashed: 0 });
  });

  it('when the worker module cannot load, then tasks fail with the reason instead of restarting forever', async () => {
    stage = workerDecodeMap({}, 1, new URL('../testing/no-such-worker.ts', import.meta.url));
    await expect(stage.run(protobufBatch(), job(false))).rejects.toThrow(/decode workers cannot start/);
  });
});
