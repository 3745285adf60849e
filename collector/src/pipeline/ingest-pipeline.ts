/**
 * decode → map → write → forward, for one authenticated request. Returns a
 * tagged outcome the HTTP route translates; nothing here knows about HTTP.
 */
import { batchSize } from '@tooltrace/conventions';
import type { PartialSuccess } from '../otlp/encode-response.ts';
import { OtlpDecodeError } from '../otlp/types.ts';
import type {
  AcceptedStage,
  DecodedRequest,
  DecodeStage,
  MapStage,
  RawBatch,
  WriteOutcome,
  WriteStage,
} from './stages.ts';

export type IngestOutcome =
  | { kind: 'accepted'; partialSuccess: PartialSuccess | null; stored: number }
  | { kind: 'invalid'; message: string }
  /** The write stage's refusals, passed on as they are. */
  | Exclude<WriteOutcome, { kind: 'written' }>;

export interface IngestPipeline {
  ingest(projectId: string, raw: RawBatch): Promise<IngestOutcome>;
}

export interface IngestPipelineParts {
  decoder: DecodeStage;
  mapper: MapStage;
  writer: WriteStage;
  /** Runs after the write (forwarding); optional. */
  accepted?: AcceptedStage;
  now: () => number;
}

/** Reasons quoted in `partial_success.error_message`; the count covers the rest. */
const MAX_REASONS_QUOTED = 3;

function partialSuccess(signal: RawBatch['signal'], rejected: number, reasons: string[]): PartialSuccess | null {
  if (rejected === 0) return null;
  const noun = signal === 'traces' ? 'span' : 'log record';
  const quoted = reasons.slice(0, MAX_REASONS_QUOTED).join('; ');
  const more = reasons.length > MAX_REASONS_QUOTED ? `; and ${reasons.length - MAX_REASONS_QUOTED} more` : '';
  return { rejected, errorMessage: `${rejected} ${noun}${rejected === 1 ? '' : 's'} rejected: ${quoted}${more}` };
}

export function createIngestPipeline(parts: IngestPipelineParts): IngestPipeline {
  return {
    async ingest(projectId, raw) {
      const receivedAtMs = parts.now();
      let decoded: DecodedRequest;
      let mapped: ReturnType<MapStage['map']>;
      try {
        decoded = parts.decoder.decode(raw);
        mapped = parts.mapper.map(decoded, receivedAtMs);
      } catch (error) {
        if (error instanceof OtlpDecodeError) return { kind: 'invalid', message: error.message };
        throw error;
      }
      const partial = partialSuccess(raw.signal, mapped.rejected, mapped.reasons);
      const stored = batchSize(mapped.batch);
      if (stored === 0) return { kind: 'accepted', partialSuccess: partial, stored };

      const outcome = await parts.writer.write(projectId, mapped.batch);
      if (outcome.kind !== 'written') return outcome;

      if (parts.accepted) {
        try {
          await parts.accepted.onAccepted(projectId, decoded);
        } catch (error) {
          // Stored but not queued for forwarding: the sender retries, and the store's upserts make that harmless.
          const message = `forwarding outbox unavailable: ${error instanceof Error ? error.message : String(error)}`;
          return { kind: 'failed', retryable: true, message, error };
        }
      }
      return { kind: 'accepted', partialSuccess: partial, stored };
    },
  };
}
