/**
 * The pipeline's refusals as the collector's errors, one mapping for both
 * transports: the HTTP route sends the error's status and google.rpc.Status,
 * the gRPC service the same google.rpc code with RetryInfo.
 */
import { errorFields, type Logger } from '@tooltrace/conventions';
import type { IngestOutcome } from '../pipeline/ingest-pipeline.ts';
import { type CollectorHttpError, httpErrors, refusalError } from './http-error.ts';

/** Seconds a client is told to wait when the store is unavailable. */
const STORE_RETRY_AFTER_SECONDS = 5;

export function outcomeError(
  outcome: Exclude<IngestOutcome, { kind: 'accepted' }>,
  projectId: string,
  logger: Logger,
): CollectorHttpError {
  switch (outcome.kind) {
    case 'invalid':
      return httpErrors.badRequest(outcome.message);
    case 'overloaded':
      return refusalError({
        kind: 'overloaded',
        message: 'the collector is busy writing earlier batches; retry later',
        retryAfterSeconds: outcome.retryAfterSeconds,
      });
    case 'crashed':
      logger.error({ ...errorFields(outcome.error), projectId }, 'decoding a batch failed');
      return httpErrors.internal(`${outcome.message}; nothing of it was stored`);
    case 'failed':
      if (outcome.retryable) {
        return httpErrors.unavailable(`the store is unavailable: ${outcome.message}`, STORE_RETRY_AFTER_SECONDS);
      }
      logger.error({ ...errorFields(outcome.error), projectId }, 'storing a batch failed');
      return httpErrors.internal(
        'storing the batch failed; part of it may be stored (an Elasticsearch bulk is not atomic), and sending it again stores nothing twice',
      );
  }
}
