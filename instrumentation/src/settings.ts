/**
 * The process-wide settings the helpers read (error-body links, body size cap,
 * redaction). `init()` sets them; helpers used without `init()` (with an SDK the
 * application registered itself) get the defaults.
 */
import { type Tracer, trace } from '@opentelemetry/api';
import { defaultRedact, type Redactor } from './redaction.ts';

export const INSTRUMENTATION_NAME = '@tooltrace/instrumentation';
export const INSTRUMENTATION_VERSION = '0.1.0';

/** Cap of a recorded provider error body, webhook payload or tool parameters text. */
export const DEFAULT_MAX_RESPONSE_BODY_BYTES = 16 * 1024;

export interface Settings {
  uiBaseUrl: string | undefined;
  redact: Redactor;
  maxResponseBodyBytes: number;
}

const defaults: Settings = {
  uiBaseUrl: undefined,
  redact: defaultRedact,
  maxResponseBodyBytes: DEFAULT_MAX_RESPONSE_BODY_BYTES,
};

let current: Settings = { ...defaults };

export function settings(): Settings {
  return current;
}

export function applySettings(next: Partial<Settings>): void {
  current = { ...defaults, ...Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) };
}

export function resetSettings(): void {
  current = { ...defaults };
}

/** Fetched on every call so spans go to whichever provider is registered now. */
export function tracer(): Tracer {
  return trace.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes, marking the cut. */
export function capText(text: string, maxBytes: number = current.maxResponseBodyBytes): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  // Decoding a cut multi-byte sequence yields U+FFFD; drop it rather than emit garbage.
  const cut = bytes
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  return `${cut}…[truncated ${bytes.length - maxBytes} bytes]`;
}

/** JSON text of a value for an attribute, capped; strings pass through as they are. */
export function toAttributeText(value: unknown, maxBytes?: number): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return capText(text, maxBytes);
}
