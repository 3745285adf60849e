/**
 * Turns a project's redaction rules (plain data) into a redactor. Compiling
 * checks every pattern with RE2 (re2js: linear-time matching, no
 * backreferences or lookaround), so a bad pattern fails here with its name.
 */
import {
  InvalidRedactionRuleError,
  NO_REDACTION_RULES,
  type RedactionRules,
  secretKeyTest,
} from '@tooltrace/conventions';
import { RE2JS } from 're2js';
import { createTextRedactor, type TextRedactor } from './text.ts';

export interface CompiledRedaction {
  isSecretKey(key: string): boolean;
  text: TextRedactor;
}

export function compilePattern(pattern: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (error) {
    throw new InvalidRedactionRuleError(
      `redaction pattern ${JSON.stringify(pattern)} is not a valid RE2 expression: ${(error as Error).message}`,
    );
  }
}

export function compileRedaction(rules: RedactionRules = NO_REDACTION_RULES): CompiledRedaction {
  const isSecretKey = secretKeyTest(rules.keys);
  return { isSecretKey, text: createTextRedactor(isSecretKey, rules.patterns.map(compilePattern)) };
}
