/**
 * Redaction of span and log attributes before they leave the process.
 *
 * A redactor maps an attribute record to the record to export. The default masks
 * every key that looks like a credential: as an attribute key, as a key inside
 * JSON text values (tool parameters, response bodies, webhook payloads), and as
 * a query parameter of URL values, because that is where secrets travel.
 */
import type { Attributes, AttributeValue } from '@opentelemetry/api';

export type Redactor = (attributes: Attributes) => Attributes;

export const REDACTED = '[REDACTED]';

/** Keys masked by default: authorization headers, tokens, passwords, secrets (any case, any affix). */
export const DEFAULT_SENSITIVE_KEY = /authorization|token|password|passwd|secret|api[-_]?key|cookie/i;

/** Builds a redactor that masks keys matching `sensitiveKey`, including keys inside JSON text values. */
export function createRedactor(sensitiveKey: RegExp = DEFAULT_SENSITIVE_KEY): Redactor {
  return (attributes) => {
    const out: Attributes = {};
    for (const [key, value] of Object.entries(attributes)) {
      if (value === undefined) continue;
      out[key] = sensitiveKey.test(key) ? REDACTED : redactValue(value, sensitiveKey);
    }
    return out;
  };
}

export const defaultRedact: Redactor = createRedactor();

/** One piece of text (a status message, an error body) through a redactor, as the value of a harmless key. */
export function redactText(redact: Redactor, text: string): string {
  try {
    const value = redact({ text }).text;
    return typeof value === 'string' ? value : REDACTED;
  } catch {
    return REDACTED;
  }
}

function redactValue(value: AttributeValue, sensitiveKey: RegExp): AttributeValue {
  if (typeof value !== 'string') return value;
  if (/^https?:\/\/[^\s]*\?/.test(value)) return maskQuery(value, sensitiveKey);
  const trimmed = value.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('['))
    return maskCredentials(maskJsonLikeText(value, sensitiveKey));
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    // Truncated bodies are not valid JSON; mask `"key": "value"` pairs textually instead.
    return maskJsonLikeText(value, sensitiveKey);
  }
  return JSON.stringify(maskDeep(parsed, sensitiveKey));
}

/** Credentials also travel in query strings (`?access_token=…`, signed URLs). */
function maskQuery(value: string, sensitiveKey: RegExp): string {
  const url = URL.parse(value);
  if (!url) return value;
  let masked = false;
  for (const key of [...url.searchParams.keys()]) {
    if (sensitiveKey.test(key)) {
      url.searchParams.set(key, REDACTED);
      masked = true;
    }
  }
  return masked ? url.href : value;
}

function maskDeep(value: unknown, sensitiveKey: RegExp): unknown {
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, sensitiveKey));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = sensitiveKey.test(key) ? REDACTED : maskDeep(inner, sensitiveKey);
    }
    return out;
  }
  // JSON inside a JSON string (a provider body quoted in details) is reached too.
  return typeof value === 'string' ? redactValue(value, sensitiveKey) : value;
}

/** `Bearer <token>` / `Basic <base64>` in free text (8+ characters, so prose like "Basic authentication" stays). */
const AUTH_SCHEME = /\b(Bearer|Basic)([ \t]+)[A-Za-z0-9._~+/=-]{8,}/g;

function maskCredentials(text: string): string {
  return text.replace(AUTH_SCHEME, (match, scheme: string, space: string) =>
    /[0-9._~+/=-]/.test(match.slice(scheme.length + space.length)) || match.length > 30
      ? `${scheme}${space}${REDACTED}`
      : match,
  );
}

const JSON_STRING_PAIR = /"([^"\\]*(?:\\.[^"\\]*)*)"(\s*:\s*)"(?:[^"\\]*(?:\\.[^"\\]*)*)("|$)/g;

function maskJsonLikeText(text: string, sensitiveKey: RegExp): string {
  return text.replace(JSON_STRING_PAIR, (match, key: string, colon: string, close: string) =>
    sensitiveKey.test(key) ? `"${key}"${colon}"${REDACTED}${close ? '"' : ''}` : match,
  );
}
