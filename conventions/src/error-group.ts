/**
 * `errorGroup`: a stable fingerprint of what went wrong (DESIGN §4), so calls
 * failing the same way group together while different failures stay apart.
 * The message is masked first: IDs, numbers, e-mail addresses and quoted
 * values vary per call and would split one error into thousands of groups.
 */
import type { ErrorCategory } from './error-category.ts';

const MASKS: readonly [RegExp, string][] = [
  [/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>'],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '<email>'],
  [/\bhttps?:\/\/[^\s"'<>]+/g, '<url>'],
  // Hex IDs, and mixed letter+digit IDs (Salesforce `0015g00000XyZ1AAK`, Slack `C0123ABCD`).
  [/\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{8,}\b/g, '<id>'],
  [/\b0x[0-9a-f]+\b|\b[0-9a-f]{12,}\b/gi, '<id>'],
  [/\d+(?:[.,]\d+)*/g, '<n>'],
];

/** Quoted values in prose (`channel 'C1' not found`); JSON text keeps its quoted keys and codes. */
const QUOTED_IN_PROSE = /(^|[\s(:=])(["'`])[^"'`\n]{1,200}\2(?=$|[\s).,;:])/g;

/** The message with everything that varies per call replaced by a placeholder. */
export function maskErrorMessage(message: string): string {
  const trimmed = message.trim();
  let masked = /^[[{]/.test(trimmed) ? trimmed : trimmed.replace(QUOTED_IN_PROSE, '$1<value>');
  for (const [pattern, placeholder] of MASKS) masked = masked.replace(pattern, placeholder);
  return masked.replace(/\s+/g, ' ').slice(0, 500);
}

export interface ErrorGroupInput {
  integration: string | null;
  toolName: string | null;
  category: ErrorCategory;
  errorCode: string | null;
  errorMessage: string | null;
}

/** 16 hex characters, the same for the same masked error on every machine and run. */
export function errorGroup(input: ErrorGroupInput): string {
  const key = [
    input.integration ?? '',
    input.toolName ?? '',
    input.category,
    input.errorCode ?? '',
    maskErrorMessage(input.errorMessage ?? ''),
  ].join('\u0000');
  return fnv1a64(key);
}

/** FNV-1a, 64 bits: tiny, stable, and good enough to tell a few thousand groups apart. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * prime) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
