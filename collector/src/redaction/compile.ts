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

/**
 * Distinct keys remembered per rule set. Attribute and JSON keys repeat from span to span (`http.method`,
 * `tool.name`…), and testing one normalises it with a regex: the answers are kept, up to this many.
 */
const MAX_REMEMBERED_KEYS = 4096;

function remembered(test: (key: string) => boolean): (key: string) => boolean {
  const answers = new Map<string, boolean>();
  return (key) => {
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = test(key);
      // A request full of distinct keys starts the memory over rather than growing it.
      if (answers.size >= MAX_REMEMBERED_KEYS) answers.clear();
      answers.set(key, answer);
    }
    return answer;
  };
}

export function compileRedaction(rules: RedactionRules = NO_REDACTION_RULES): CompiledRedaction {
  const isSecretKey = remembered(secretKeyTest(rules.keys));
  return { isSecretKey, text: createTextRedactor(isSecretKey, rules.patterns.map(compilePattern)) };
}
