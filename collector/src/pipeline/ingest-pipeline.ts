/**
 * decode → redact → map → write → forward, for one authenticated request. Returns a
 * tagged outcome the transports (HTTP, gRPC) translate; nothing here knows
 * about either.
 */
import { batchSize } from '@tooltrace/conventions';
import type { PartialSuccess } from '../otlp/encode-response.ts';
import { OtlpDecodeError } from '../otlp/types.ts';
import type { RedactionRulesSource, RedactionStage, RedactionStats } from '../redaction/index.ts';
import type { ProjectLimits } from './project-limits.ts';
import type {
  AcceptedStage,
  DecodedRequest,
  DecodeStage,
  MappedBatch,
  MapStage,
  RawBatch,
  WriteOutcome,
  WriteStage,
} from './stages.ts';

/** What one request held: items accepted and rejected (with one reason each). */
export interface ItemCounts {
  accepted: number;
  rejected: number;
  reasons: string[];
  /** Values the redaction stage replaced with `[REDACTED]`. */
  redacted: number;
}

export type IngestOutcome =
  | { kind: 'accepted'; partialSuccess: PartialSuccess | null; stored: number; items: ItemCounts }
  | { kind: 'invalid'; message: string }
  /** The write stage's refusals, passed on as they are, with what the request held. */
  | (Exclude<WriteOutcome, { kind: 'written' }> & { items?: ItemCounts });

export interface IngestPipeline {
  ingest(projectId: string, raw: RawBatch): Promise<IngestOutcome>;
}

export interface IngestPipelineParts {
  decoder: DecodeStage;
  /** Runs between decode and map, with the project's own rules (read through `rules`); counts go to `redactionStats`. */
  redactor: RedactionStage;
  rules: RedactionRulesSource;
  redactionStats?: RedactionStats;
  mapper: MapStage;
  writer: WriteStage;
  /** Runs after the write (forwarding); optional. */
  accepted?: AcceptedStage;
  limits: ProjectLimits;
  now: () => number;
}

/** Lines quoted in `partial_success.error_message` per kind; the count covers the rest. */
const MAX_REASONS_QUOTED = 3;

function quote(lines: string[]): string {
  const more = lines.length > MAX_REASONS_QUOTED ? `; and ${lines.length - MAX_REASONS_QUOTED} more` : '';
  return `${lines.slice(0, MAX_REASONS_QUOTED).join('; ')}${more}`;
}

/**
 * Rejections, then warnings. OTLP lets `error_message` carry warnings with a
 * rejected count of 0, which is how a span stored without its excess
 * attributes is reported.
 */
function partialSuccess(signal: RawBatch['signal'], mapped: MappedBatch): PartialSuccess | null {
  const { rejected, reasons, warnings } = mapped;
  if (rejected === 0 && warnings.length === 0) return null;
  const noun = signal === 'traces' ? 'span' : 'log record';
  const parts: string[] = [];
  if (rejected > 0) parts.push(`${rejected} ${noun}${rejected === 1 ? '' : 's'} rejected: ${quote(reasons)}`);
  if (warnings.length > 0) {
    parts.push(`${warnings.length} ${noun}${warnings.length === 1 ? '' : 's'} stored in part: ${quote(warnings)}`);
  }
  return { rejected, errorMessage: parts.join('. ') };
}

export function createIngestPipeline(parts: IngestPipelineParts): IngestPipeline {
  return {
    async ingest(projectId, raw) {
      const receivedAtMs = parts.now();
      const maxAgeDays = await parts.limits.maxAgeDays(projectId);
      let rules: Awaited<ReturnType<RedactionRulesSource>>;
      try {
        rules = await parts.rules(projectId);
      } catch (error) {
        // Without the project's own rules a secret they name could be stored: refuse, the sender retries.
        const message = `redaction rules unavailable: ${error instanceof Error ? error.message : String(error)}`;
        return { kind: 'failed', retryable: true, message, error };
      }
      let decoded: DecodedRequest;
      let mapped: MappedBatch;
      let redacted: number;
      try {
        decoded = parts.decoder.decode(raw);
        redacted = parts.redactor.redact(decoded, rules);
        parts.redactionStats?.record(redacted);
        mapped = parts.mapper.map(decoded, { receivedAtMs, maxAgeDays });
      } catch (error) {
        if (error instanceof OtlpDecodeError) return { kind: 'invalid', message: error.message };
        throw error;
      }
      const items: ItemCounts = {
        accepted: mapped.received - mapped.rejected,
        rejected: mapped.rejected,
        reasons: mapped.reasons,
        redacted,
      };
      const partial = partialSuccess(raw.signal, mapped);
      const stored = batchSize(mapped.batch);
      if (stored === 0) return { kind: 'accepted', partialSuccess: partial, stored, items };

      const outcome = await parts.writer.write(projectId, mapped.batch);
      if (outcome.kind !== 'written') return { ...outcome, items };

      if (parts.accepted) {
        try {
          await parts.accepted.onAccepted(projectId, decoded);
        } catch (error) {
          // Stored but not queued for forwarding: the sender retries, and the store's upserts make that harmless.
          const message = `forwarding outbox unavailable: ${error instanceof Error ? error.message : String(error)}`;
          return { kind: 'failed', retryable: true, message, error, items };
        }
      }
      return { kind: 'accepted', partialSuccess: partial, stored, items };
    },
  };
}
