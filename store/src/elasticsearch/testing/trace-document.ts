/** A trigger trace's document built from a fixture trace's facts, as the write path would first store it. */
import type { IngestBatch } from '@tooltrace/conventions';
import type { TriggerDocument } from '../documents.ts';
import { applyTraceFacts } from '../triggers.ts';

export function traceDocument(projectId: string, trace: { traceId: string; batch: IngestBatch }): TriggerDocument {
  const doc = applyTraceFacts(projectId, null, {
    triggers: trace.batch.triggers,
    attempts: trace.batch.deliveryAttempts,
  });
  if (!doc) throw new Error(`fixture trace ${trace.traceId} has no trigger facts`);
  return doc;
}
