/**
 * Rejects a malformed batch before anything is written, with a message naming
 * the field. The collector already builds well-formed facts; this guards the
 * store's own invariants (IDs as keys, times as numbers) against any caller.
 */
import { ERROR_CATEGORIES, type IngestBatch, isValidSpanId, isValidTraceId } from '@tooltrace/conventions';
import { deserializeBatch, type WritableBatch } from './serialized-batch.ts';

export class InvalidBatchError extends TypeError {
  override readonly name = 'InvalidBatchError';
}

/** What a backend's `write` starts with: the batch (unpacked if it came as bytes), checked. */
export function checkedBatch(writable: WritableBatch): IngestBatch {
  const batch = deserializeBatch(writable);
  validateBatch(batch);
  return batch;
}

export function validateBatch(batch: IngestBatch): void {
  const check = (ok: boolean, what: string, value: unknown) => {
    if (!ok) throw new InvalidBatchError(`invalid ${what}: ${JSON.stringify(value)}`);
  };
  const epochMs = (value: number, what: string) => check(Number.isSafeInteger(value) && value >= 0, what, value);
  for (const c of batch.toolCalls) {
    check(isValidTraceId(c.traceId), 'toolCall.traceId', c.traceId);
    check(isValidSpanId(c.spanId), 'toolCall.spanId', c.spanId);
    epochMs(c.startedAtMs, 'toolCall.startedAtMs');
    const category = c.errorCategory;
    check(category === null || ERROR_CATEGORIES.includes(category), 'toolCall.errorCategory', category);
    check(c.errorGroup === null || typeof c.errorGroup === 'string', 'toolCall.errorGroup', c.errorGroup);
  }
  for (const l of batch.logs) {
    check(isValidTraceId(l.traceId), 'log.traceId', l.traceId);
    check(typeof l.id === 'string' && l.id.length > 0, 'log.id', l.id);
    epochMs(l.timeMs, 'log.timeMs');
    check(Number.isInteger(l.subMsNanos) && l.subMsNanos >= 0 && l.subMsNanos < 1e6, 'log.subMsNanos', l.subMsNanos);
  }
  for (const t of batch.triggers) {
    check(isValidTraceId(t.traceId), 'trigger.traceId', t.traceId);
    epochMs(t.observedAtMs, 'trigger.observedAtMs');
    if (t.root) epochMs(t.root.receivedAtMs, 'trigger.root.receivedAtMs');
  }
  for (const d of batch.deliveryAttempts) {
    check(isValidTraceId(d.traceId), 'deliveryAttempt.traceId', d.traceId);
    check(typeof d.deliveryId === 'string' && d.deliveryId.length > 0, 'deliveryAttempt.deliveryId', d.deliveryId);
    check(Number.isInteger(d.attempt), 'deliveryAttempt.attempt', d.attempt);
    epochMs(d.startedAtMs, 'deliveryAttempt.startedAtMs');
  }
}
