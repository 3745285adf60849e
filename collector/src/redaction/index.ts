export { compilePattern, compileRedaction } from './compile.ts';
export { createRedactionStage, type RedactionStage, redactRequest } from './redact-request.ts';
export { cachedRedactionRules, type RedactionRulesSource, RULES_CACHE_MS } from './rules-source.ts';
export { type RedactionCounts, RedactionStats } from './stats.ts';
