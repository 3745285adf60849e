/**
 * Redaction rules (DESIGN §5): which attribute, JSON, form and query keys hold
 * secrets, and a project's own additions. Plain data, so the rules travel to a
 * worker thread or over the API as they are; the collector compiles and
 * applies them (collector/src/redaction), the store keeps a project's own.
 */
import { z } from 'zod';

export const REDACTED = '[REDACTED]';

/**
 * Key fragments that mark a secret, compared on the key lowercased with every
 * character other than a–z and 0–9 removed, so `api_key`, `API-Key`, `apiKey`,
 * `x-api-key` and `hapikey` all contain `apikey`.
 */
export const DEFAULT_SECRET_KEY_FRAGMENTS = [
  'authorization',
  'cookie',
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'accesskey',
  'privatekey',
  'credential',
  'session',
  'signature',
] as const;

/** Token counts of the GenAI conventions (`gen_ai.usage.input_tokens`, `max_tokens`) are numbers, not tokens. */
const TOKEN_COUNT = /tokens$|tokencount$/;

/** The OpenTelemetry session attributes group telemetry and grant nothing (a `sessionid` cookie still counts). */
const SEMCONV_SESSION_IDS = new Set(['session.id', 'session.previous_id']);

/** A project's own rules, added to the defaults. */
export interface RedactionRules {
  /** Extra key names (or fragments), compared like the defaults. */
  keys: string[];
  /** Extra patterns (RE2 syntax: linear-time, no backreferences or lookaround); every match is redacted. */
  patterns: string[];
}

export const MAX_REDACTION_KEYS = 100;
export const MAX_REDACTION_PATTERNS = 50;
export const MAX_REDACTION_PATTERN_LENGTH = 500;

export const NO_REDACTION_RULES: RedactionRules = { keys: [], patterns: [] };

export const RedactionRulesSchema = z
  .object({
    keys: z
      .array(
        z
          .string()
          .max(100)
          .refine((key) => normaliseKey(key).length > 0, 'a key must contain a letter or digit'),
      )
      .max(MAX_REDACTION_KEYS),
    patterns: z.array(z.string().min(1).max(MAX_REDACTION_PATTERN_LENGTH)).max(MAX_REDACTION_PATTERNS),
  })
  .strict()
  .meta({ id: 'RedactionRules' });

/** A pattern that is not valid RE2 syntax, or rules over the limits; the message names which. */
export class InvalidRedactionRuleError extends Error {
  override readonly name = 'InvalidRedactionRuleError';
}

export function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Builds the key test for the defaults plus a project's own key names. */
export function secretKeyTest(extraKeys: readonly string[] = []): (key: string) => boolean {
  const extra = extraKeys.map(normaliseKey).filter((k) => k.length > 0);
  return (key) => {
    const k = normaliseKey(key);
    if (extra.some((fragment) => k.includes(fragment))) return true;
    if (TOKEN_COUNT.test(k) || SEMCONV_SESSION_IDS.has(key)) return false;
    return DEFAULT_SECRET_KEY_FRAGMENTS.some((fragment) => k.includes(fragment));
  };
}

/** Merges rules, dropping duplicates (the CLI adds to what is stored). */
export function mergeRedactionRules(a: RedactionRules, b: Partial<RedactionRules>): RedactionRules {
  return {
    keys: [...new Set([...a.keys, ...(b.keys ?? [])])],
    patterns: [...new Set([...a.patterns, ...(b.patterns ?? [])])],
  };
}
