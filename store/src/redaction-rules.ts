/**
 * A project's own redaction rules are checked before they are stored, the
 * same way for the API and the CLI: the shape and limits of conventions, and
 * every pattern compiled with RE2 (re2js), the engine the collector matches
 * with, so a stored pattern always compiles there.
 */
import { InvalidRedactionRuleError, type RedactionRules, RedactionRulesSchema } from '@tooltrace/conventions';
import { RE2JS } from 're2js';

export function checkRedactionRules(input: unknown): RedactionRules {
  const parsed = RedactionRulesSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'rules'}: ${i.message}`).join('; ');
    throw new InvalidRedactionRuleError(`invalid redaction rules: ${problems}`);
  }
  for (const pattern of parsed.data.patterns) {
    try {
      RE2JS.compile(pattern);
    } catch (error) {
      throw new InvalidRedactionRuleError(
        `redaction pattern ${JSON.stringify(pattern)} is not a valid RE2 expression: ${(error as Error).message}`,
      );
    }
  }
  return { keys: parsed.data.keys, patterns: parsed.data.patterns };
}

/** Rules as stored (JSON text or a document field); anything unreadable counts as none. */
export function storedRedactionRules(value: unknown): RedactionRules {
  const parsed = RedactionRulesSchema.safeParse(typeof value === 'string' ? safeJson(value) : value);
  return parsed.success ? parsed.data : { keys: [], patterns: [] };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
