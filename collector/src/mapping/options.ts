import type { SenderCounts } from './senders.ts';

/** Limits the mapper applies to what it stores. */
export interface MappingLimits {
  /** Longer string attribute values (at any depth) are cut and marked as truncated. */
  maxAttributeValueLength: number;
  /** Longer response/log bodies on error entries are cut and marked as truncated. */
  maxBodyLength: number;
}

export const DEFAULT_MAPPING_LIMITS: MappingLimits = {
  maxAttributeValueLength: 8 * 1024,
  maxBodyLength: 64 * 1024,
};

export interface MappingOptions extends MappingLimits {
  /** When the request arrived (epoch ms); the time of items that carry none. */
  receivedAtMs: number;
  /** The project's age limit: older items are rejected. Absent or null: no limit. */
  maxAgeDays?: number | null;
}

/** What one request mapped to, and what it had to reject (reported as OTLP `partial_success`). */
export interface MappingRejections {
  /** Items (spans or log records) the request held. */
  received: number;
  /** Items accepted and rejected per sender (`service.name`). */
  senders: SenderCounts;
  rejected: number;
  /** One reason per rejected item, naming it (`resourceSpans[0].scopeSpans[0].spans[3].traceId: …`). */
  reasons: string[];
  /** Where each rejected item sits in the request (its `ref`), so what was stored can be told from what was not. */
  rejectedRefs: string[];
  /** What was stored only in part (attributes past the limit dropped), one line each; rejects nothing. */
  warnings: string[];
}
