/**
 * Limits every part must agree on. An OTLP AnyValue nested deeper than this is
 * refused by the collector (in both encodings) rather than risking the stack on
 * hostile input; the Elasticsearch mapping of attributes admits exactly this depth.
 */
export const MAX_ANY_VALUE_DEPTH = 32;
