/**
 * Limits every part must agree on. An OTLP AnyValue nested deeper than this is
 * refused by the collector (in both encodings) rather than risking the stack on
 * hostile input; the Elasticsearch mapping of attributes admits exactly this depth.
 */
export const MAX_ANY_VALUE_DEPTH = 32;

/**
 * What removes records past a project's age limit (DESIGN §5): Elasticsearch's
 * ILM delete phase, its data stream lifecycle, or tooltrace's own sweep (SQLite,
 * and Elasticsearch clusters with neither). Reported by GET /project/retention.
 */
export const AGE_RETENTION_MECHANISMS = ['ilm', 'data_stream_lifecycle', 'sweep'] as const;
export type AgeRetention = (typeof AGE_RETENTION_MECHANISMS)[number];
