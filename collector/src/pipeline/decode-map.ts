/** The pure stages: bytes → normalised request → ingest facts. */

import { emptyBatch } from '@tooltrace/conventions';
import { mapLogsRequest, mapTracesRequest } from '../mapping/index.ts';
import { DEFAULT_MAPPING_LIMITS, type MappingLimits } from '../mapping/options.ts';
import { decodeLogsRequest, decodeTracesRequest } from '../otlp/decode.ts';
import type { DecodedRequest, DecodeStage, MapContext, MappedBatch, MapStage, RawBatch } from './stages.ts';

export const otlpDecoder: DecodeStage = {
  decode(raw: RawBatch): DecodedRequest {
    return raw.signal === 'traces'
      ? { signal: 'traces', request: decodeTracesRequest(raw.body, raw.encoding) }
      : { signal: 'logs', request: decodeLogsRequest(raw.body, raw.encoding) };
  },
};

export function createMapper(limits: Partial<MappingLimits> = {}): MapStage {
  const options = { ...DEFAULT_MAPPING_LIMITS, ...limits };
  return {
    map(decoded: DecodedRequest, context: MapContext): MappedBatch {
      if (decoded.signal === 'traces') return mapTracesRequest(decoded.request, { ...options, ...context });
      const { logs, ...rest } = mapLogsRequest(decoded.request, { ...options, ...context });
      return { batch: { ...emptyBatch(), logs }, ...rest };
    },
  };
}
