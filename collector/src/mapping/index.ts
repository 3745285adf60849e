export { type LogsMapping, mapLogsRequest } from './map-logs.ts';
export { mapTracesRequest, type TracesMapping } from './map-spans.ts';
export { DEFAULT_MAPPING_LIMITS, type MappingLimits, type MappingOptions, type MappingRejections } from './options.ts';
