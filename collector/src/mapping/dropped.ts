/**
 * What was dropped before storage, kept visible: the sender's own OTLP
 * `dropped_*_count` plus what the collector dropped (attributes past
 * MAX_ATTRIBUTES, links it cannot store), stored as `otel.dropped_*_count`
 * attributes on the entry. The trace view turns them into a `dropped_data`
 * warning (conventions/span-tree.ts).
 */
import {
  ATTR_OTEL_DROPPED_ATTRIBUTES_COUNT,
  ATTR_OTEL_DROPPED_EVENTS_COUNT,
  ATTR_OTEL_DROPPED_LINKS_COUNT,
} from '@tooltrace/conventions';
import type { OtlpAttributes } from '../otlp/types.ts';

export interface DroppedCounts {
  attributes: number;
  events?: number;
  links?: number;
}

/** An item's attribute losses: the sender's count and the decoder's. */
export function droppedAttributes(item: { droppedAttributesCount?: number; droppedAttributes?: number }): number {
  return (item.droppedAttributesCount ?? 0) + (item.droppedAttributes ?? 0);
}

/** `extra` with the non-zero counts added (a new object when `extra` is null); `extra` itself when all are zero. */
export function withDroppedCounts(extra: OtlpAttributes | null, counts: DroppedCounts): OtlpAttributes | null {
  const { attributes, events = 0, links = 0 } = counts;
  if (attributes === 0 && events === 0 && links === 0) return extra;
  const out: OtlpAttributes = extra ?? {};
  if (attributes > 0) out[ATTR_OTEL_DROPPED_ATTRIBUTES_COUNT] = attributes;
  if (events > 0) out[ATTR_OTEL_DROPPED_EVENTS_COUNT] = events;
  if (links > 0) out[ATTR_OTEL_DROPPED_LINKS_COUNT] = links;
  return out;
}
