/**
 * @tooltrace/collector — the OTLP/HTTP receiver (DESIGN §1, §3, §4).
 */

export type { ForwardBody, ForwardTarget } from './forwarding/forward-bodies.ts';
export {
  createForwarding,
  type Forwarding,
  type ForwardingOptions,
  readForwardingStatus,
  testDestination,
} from './forwarding/forwarding.ts';
export { DEFAULT_OUTBOX_LIMITS, type OutboxLimits } from './forwarding/outbox.ts';
export {
  DEFAULT_MAPPING_LIMITS,
  type LogsMapping,
  type MappingLimits,
  type MappingOptions,
  mapLogsRequest,
  mapTracesRequest,
  type TracesMapping,
} from './mapping/index.ts';
export { decodeLogsRequest, decodeTracesRequest, OtlpDecodeError } from './otlp/index.ts';
export type { LogsRequest, OtlpEncoding, Signal, TracesRequest } from './otlp/types.ts';
export type { AcceptedStage, DecodedRequest, RawBatch, WriteOutcome } from './pipeline/stages.ts';
export {
  createWriteQueue,
  type WriteQueue,
  type WriteQueueOptions,
  type WriteQueueStats,
} from './pipeline/write-queue.ts';
export { createRedactionStage, type RedactionStage } from './redaction/index.ts';
export {
  buildCollector,
  type CollectorAppOptions,
  type CollectorParts,
  createCollectorApp,
  DEFAULT_MAX_BODY_BYTES,
} from './server/app.ts';
export { type RunningCollector, type StartCollectorOptions, startCollector } from './server/start.ts';
