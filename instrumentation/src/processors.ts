/**
 * Last-moment guards on everything the SDK exports, applied while a span is
 * ending (still writable) and when a log record is emitted:
 * - a response body stays only on error spans, whoever set it;
 * - attributes, span event attributes and the status message go through the redactor.
 */
import { type Attributes, SpanStatusCode } from '@opentelemetry/api';
import type { LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_HTTP_RESPONSE_BODY, ATTR_HTTP_RESPONSE_STATUS_CODE } from '@tooltrace/conventions';
import { type Redactor, redactText } from './redaction.ts';

/** SDK spans and log records keep attributes in a plain object; mutation is the only way to drop a key. */
type MutableAttributes = { attributes: Attributes };

function replaceAttributes(target: MutableAttributes, next: Attributes): void {
  for (const key of Object.keys(target.attributes)) {
    if (!(key in next)) delete target.attributes[key];
  }
  Object.assign(target.attributes, next);
}

function safeRedact(redact: Redactor, attributes: Attributes): Attributes {
  try {
    return redact({ ...attributes });
  } catch {
    // A broken redactor must not leak what it was meant to hide: drop every value it would have seen.
    return Object.fromEntries(Object.keys(attributes).map((key) => [key, '[REDACTION FAILED]']));
  }
}

export function isErrorSpan(span: Pick<ReadableSpan, 'status' | 'attributes'>): boolean {
  const httpStatus = span.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE];
  return span.status.code === SpanStatusCode.ERROR || (typeof httpStatus === 'number' && httpStatus >= 400);
}

export class GuardingSpanProcessor implements SpanProcessor {
  constructor(private readonly redact: () => Redactor) {}

  onStart(): void {}

  onEnding(span: Span): void {
    const attributes = { ...span.attributes };
    if (ATTR_HTTP_RESPONSE_BODY in attributes && !isErrorSpan(span)) delete attributes[ATTR_HTTP_RESPONSE_BODY];
    const redact = this.redact();
    replaceAttributes(span as unknown as MutableAttributes, safeRedact(redact, attributes));
    for (const event of span.events) {
      if (event.attributes)
        replaceAttributes(event as unknown as MutableAttributes, safeRedact(redact, event.attributes));
    }
    // Status messages often quote the provider's error body, tokens included.
    if (span.status.message)
      span.setStatus({ code: span.status.code, message: redactText(redact, span.status.message) });
  }

  onEnd(): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}

export class GuardingLogRecordProcessor implements LogRecordProcessor {
  constructor(private readonly redact: () => Redactor) {}

  onEmit(record: SdkLogRecord): void {
    const attributes = { ...record.attributes } as Attributes;
    replaceAttributes(record as unknown as MutableAttributes, safeRedact(this.redact(), attributes));
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
