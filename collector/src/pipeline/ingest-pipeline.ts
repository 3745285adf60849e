/**
 * decode → redact → map → write → accepted (forwarding), for one
 * authenticated request: the one entry point every receiver calls (OTLP/HTTP,
 * OTLP/gRPC). Returns a tagged outcome the transports translate; nothing here
 * knows about either. Decode, redact and map run in the decode stage (inline
 * or in worker threads), fed the project's rules and forwarding targets as
 * plain data; it returns each destination's body ready for the outbox.
 */
import { itemsOf } from '@tooltrace/store';
import type { ForwardTarget } from '../forwarding/forward-bodies.ts';
import type { SenderCounts } from '../mapping/senders.ts';
import type { SenderSamples } from '../mapping/trace-samples.ts';
import type { PartialSuccess } from '../otlp/encode-response.ts';
import type { RedactionRulesSource, RedactionStats } from '../redaction/index.ts';
import type { DecodeMapStage } from './decode-map-stage.ts';
import type { ProjectLimits } from './project-limits.ts';
import type { AcceptedStage, MappedBatch, RawBatch, WriteOutcome, WriteStage } from './stages.ts';

/** What one request held: items accepted and rejected (with one reason each). */
export interface ItemCounts {
  accepted: number;
  rejected: number;
  reasons: string[];
  /** Values the redaction stage replaced with `[REDACTED]`. */
  redacted: number;
  /** Items accepted and rejected per sender (`service.name`). */
  senders: SenderCounts;
  /** Per sender, a few traces with no tool call or trigger event; they count only once stored. */
  samples?: SenderSamples;
}

export type IngestOutcome =
  | { kind: 'accepted'; partialSuccess: PartialSuccess | null; stored: number; items: ItemCounts }
  | { kind: 'invalid'; message: string }
  /** Decoding failed unexpectedly (a worker crashed or threw); nothing was stored. Not retryable. */
  | { kind: 'crashed'; message: string; error: unknown; items?: ItemCounts }
  /** The write stage's refusals, passed on as they are, with what the request held. */
  | (Exclude<WriteOutcome, { kind: 'written' }> & { items?: ItemCounts });

export interface IngestPipeline {
  ingest(projectId: string, raw: RawBatch): Promise<IngestOutcome>;
}

export interface IngestPipelineParts {
  /** decode → redact (with the project's own rules, read through `rules`) → map; counts go to `redactionStats`. */
  decodeMap: DecodeMapStage;
  rules: RedactionRulesSource;
  redactionStats?: RedactionStats;
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

/** A refusal the sender should retry: the stage named could not be read or written. */
function unavailable(what: string, error: unknown): Extract<WriteOutcome, { kind: 'failed' }> {
  const message = `${what} unavailable: ${error instanceof Error ? error.message : String(error)}`;
  return { kind: 'failed', retryable: true, message, error };
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
        return unavailable('redaction rules', error);
      }
      let forward: ForwardTarget[] = [];
      try {
        if (parts.accepted) forward = await parts.accepted.targets(projectId);
      } catch (error) {
        // Without them the batch would be stored but not forwarded: refuse before anything is written.
        return unavailable('forwarding destinations', error);
      }
      let result: Awaited<ReturnType<DecodeMapStage['run']>>;
      try {
        const context = { receivedAtMs, maxAgeDays };
        result = await parts.decodeMap.run(raw, { context, rules, forward });
      } catch (error) {
        // A worker that crashed or threw: the batch may be what breaks it, so retrying it would not help.
        const message = `decoding the batch failed: ${error instanceof Error ? error.message : String(error)}`;
        return { kind: 'crashed', message, error };
      }
      if (result.kind === 'invalid') return result;
      const { mapped, redacted } = result;
      parts.redactionStats?.record(redacted);
      const items: ItemCounts = {
        accepted: mapped.received - mapped.rejected,
        rejected: mapped.rejected,
        reasons: mapped.reasons,
        redacted,
        senders: mapped.senders,
        ...(mapped.samples ? { samples: mapped.samples } : {}),
      };
      const partial = partialSuccess(raw.signal, mapped);
      const stored = itemsOf(mapped.batch);
      if (stored === 0) return { kind: 'accepted', partialSuccess: partial, stored, items };

      const outcome = await parts.writer.write(projectId, mapped.batch);
      if (outcome.kind !== 'written') return { ...outcome, items };

      if (parts.accepted && result.forward.length > 0) {
        try {
          await parts.accepted.onAccepted(projectId, raw.signal, result.forward);
        } catch (error) {
          // Stored but not queued for forwarding: the sender retries, and the store's upserts make that harmless.
          return { ...unavailable('forwarding outbox', error), items };
        }
      }
      return { kind: 'accepted', partialSuccess: partial, stored, items };
    },
  };
}
