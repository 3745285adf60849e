/**
 * An IngestBatch as bytes: V8's serialization (what structured clone uses),
 * one part per request. A decode worker serializes the batch it mapped and
 * hands the bytes over; the HTTP thread passes them on to the store's writer
 * without ever building the objects, so the two structured clones a batch
 * used to take on that thread (in from the decode worker, out to the writer)
 * become a transfer and a byte copy. The store deserializes where it writes.
 * Group commit merges serialized batches by listing their parts.
 */
import v8 from 'node:v8';
import { batchSize, type IngestBatch, mergeBatches } from '@tooltrace/conventions';
import { ownedBytes } from './worker-threads/owned-bytes.ts';

export interface SerializedBatch {
  readonly serialized: readonly Uint8Array[];
  /** Facts in all parts (batchSize of the batch they hold). */
  readonly items: number;
}

/** What `Store.write` takes: the batch, or its bytes. */
export type WritableBatch = IngestBatch | SerializedBatch;

export function isSerializedBatch(batch: WritableBatch): batch is SerializedBatch {
  return Object.hasOwn(batch, 'serialized');
}

/** The batch as one part whose buffer it owns whole, so it can be transferred. */
export function serializeBatch(batch: IngestBatch): SerializedBatch {
  return { serialized: [ownedBytes(v8.serialize(batch))], items: batchSize(batch) };
}

export function itemsOf(batch: WritableBatch): number {
  return isSerializedBatch(batch) ? batch.items : batchSize(batch);
}

export function deserializeBatch(batch: WritableBatch): IngestBatch {
  if (!isSerializedBatch(batch)) return batch;
  const parts = batch.serialized.map((part) => v8.deserialize(part) as IngestBatch);
  return parts.length === 1 ? parts[0]! : mergeBatches(parts);
}

/** Several batches as one write: serialized ones stay bytes (their parts listed), others are merged. */
export function mergeWritable(batches: readonly WritableBatch[]): WritableBatch {
  if (batches.length === 1) return batches[0]!;
  if (batches.every(isSerializedBatch)) {
    return {
      serialized: batches.flatMap((b) => b.serialized),
      items: batches.reduce((n, b) => n + b.items, 0),
    };
  }
  return mergeBatches(batches.map(deserializeBatch));
}
