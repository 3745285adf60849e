/**
 * Redaction of one piece of text, whatever it holds: JSON is parsed, walked
 * and re-serialised (keys that look secret lose their values, string leaves
 * are redacted in turn, so JSON inside a JSON string is reached too); text
 * that is not JSON (a truncated body, a form body, a URL, a log line) gets the
 * textual rules: `"key": "value"` pairs, `key=value` / `key: value` pairs
 * (form bodies, query strings, URL fragments), `Bearer …`/`Basic …`
 * credentials, well-known token formats, and the project's own patterns.
 *
 * Every built-in expression is linear: no nested quantifiers, bounded key
 * lengths. Project patterns run on RE2 (re2js), which matches in linear time
 * whatever the pattern, so a hostile pattern or value cannot stall ingest.
 */
import { REDACTED, setOwn } from '@tooltrace/conventions';
import type { RE2JS } from 're2js';

export interface TextRedactor {
  /** The text with every secret replaced by `[REDACTED]`, and how many were replaced. */
  redact(text: string): { text: string; count: number };
}

/** JSON nesting deeper than this is treated as text (the textual rules still apply). */
const MAX_JSON_DEPTH = 64;

/** `"key": "value"` (value possibly cut off at the end of a truncated body) and `"key": 123`. */
const JSON_PAIR = /"([^"\\\n]{1,128})"(\s*:\s*)(?:"((?:[^"\\]|\\.)*)("|$)|(-?\d[\d.eE+-]{0,40}|true|false))/g;

/**
 * `key=value`, as in form bodies, query strings and fragments (`#access_token=…`).
 * A value stops at the next `&`, `?`, `#` or `=` (trailing base64 padding is
 * kept with it), so a pair nested in a harmless value
 * (`redirect=https://a/cb?token=…`) is still found, and the scan stays linear.
 */
const KEY_EQUALS = /(^|[^A-Za-z0-9_.%[\]-])([A-Za-z0-9_.%[\]-]{1,128})=([^\s&?#=,;"'<>]+(?:={1,2}(?![^\s&#;,"'<>]))?)/g;

/** `key: value`, as in headers written out as text and YAML-ish log lines; a `Bearer`/`Basic` value is taken whole. */
const KEY_COLON =
  /(^|[^A-Za-z0-9_.-])([A-Za-z0-9_.-]{1,128}):[ \t]*((?:Bearer|Basic)[ \t]+[^\s&,;"'#<>]+|[^\s&,;"'#<>]+)/g;

const KEY_PAIRS = [
  [KEY_EQUALS, '='],
  [KEY_COLON, ':'],
] as const;

/** `Bearer <token>` / `Basic <base64>` anywhere; the credential must look like one (long, or with a digit or symbol). */
const AUTH_SCHEME = /\b(Bearer|Basic)([ \t]+)([A-Za-z0-9._~+/=-]{8,})/gi;
const MAY_HOLD_AUTH_SCHEME = /bearer|basic/i;

/** Token formats that are secrets wherever they appear (Slack, GitHub, Stripe/OpenAI-style, AWS, JWT, private keys). */
const KNOWN_TOKENS =
  /\b(?:xox[abposr]-[A-Za-z0-9-]{10,}|xapp-[A-Za-z0-9-]{10,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}|sk-[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})|-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]{0,40}PRIVATE KEY-----|$)/g;

function looksLikeCredential(value: string): boolean {
  return value.length >= 20 || /[0-9._~+/=-]/.test(value);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

export function createTextRedactor(isSecretKey: (key: string) => boolean, patterns: readonly RE2JS[]): TextRedactor {
  const textual = (input: string): { text: string; count: number } => {
    let count = 0;
    let text = input;
    // Each rule needs a character or word the text may not have: most values (names, methods, numbers) skip them all.
    if (text.includes('"'))
      text = text.replace(JSON_PAIR, (match, key: string, colon: string, str?: string, close?: string) => {
        if (!isSecretKey(key) || str === REDACTED) return match;
        count += 1;
        return str !== undefined ? `"${key}"${colon}"${REDACTED}${close ? '"' : ''}` : `"${key}"${colon}"${REDACTED}"`;
      });
    for (const [pair, separator] of KEY_PAIRS) {
      if (!text.includes(separator)) continue;
      text = text.replace(pair, (match, _before: string, key: string, value: string) => {
        if (value === REDACTED || !isSecretKey(safeDecode(key))) return match;
        count += 1;
        return `${match.slice(0, match.length - value.length)}${REDACTED}`;
      });
    }
    if (MAY_HOLD_AUTH_SCHEME.test(text))
      text = text.replace(AUTH_SCHEME, (match, scheme: string, space: string, credential: string) => {
        if (!looksLikeCredential(credential)) return match;
        count += 1;
        return `${scheme}${space}${REDACTED}`;
      });
    text = text.replace(KNOWN_TOKENS, () => {
      count += 1;
      return REDACTED;
    });
    for (const pattern of patterns) {
      const matcher = pattern.matcher(text);
      if (!matcher.find()) continue;
      text = pattern.matcher(text).replaceAll(() => {
        count += 1;
        return REDACTED;
      });
    }
    return { text, count };
  };

  const redactJson = (value: unknown, depth: number, counter: { count: number }): unknown => {
    if (typeof value === 'string') {
      const result = redactString(value, depth + 1);
      counter.count += result.count;
      return result.text;
    }
    if (Array.isArray(value)) return value.map((item) => redactJson(item, depth + 1, counter));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value)) {
        // setOwn: the JSON is the sender's, and a `__proto__` key must stay a key.
        if (isSecretKey(key) && inner !== null && inner !== '' && inner !== REDACTED) {
          counter.count += 1;
          setOwn(out, key, REDACTED);
        } else setOwn(out, key, redactJson(inner, depth + 1, counter));
      }
      return out;
    }
    return value;
  };

  const redactString = (text: string, depth: number): { text: string; count: number } => {
    if (text.length === 0) return { text, count: 0 };
    const first = text.trimStart()[0];
    if ((first === '{' || first === '[') && depth < MAX_JSON_DEPTH) {
      let parsed: unknown;
      let valid = true;
      try {
        parsed = JSON.parse(text);
      } catch {
        valid = false;
      }
      if (valid) {
        const counter = { count: 0 };
        const redacted = redactJson(parsed, depth, counter);
        // Unchanged JSON keeps its original spelling (spacing, key order, escapes).
        return counter.count === 0 ? { text, count: 0 } : { text: JSON.stringify(redacted), count: counter.count };
      }
    }
    return textual(text);
  };

  return { redact: (text) => redactString(text, 0) };
}
