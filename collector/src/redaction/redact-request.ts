/**
 * The redaction stage: runs between decode and map on a decoded OTLP request,
 * so no secret reaches the mapper, the store (its file or WAL) or a forwarded
 * batch. Pure (no I/O) and fed plain data (the project's rules), so it can run
 * inside a worker thread. It rewrites the freshly decoded request in place:
 * attribute values of resources, spans, span events, span links and log records, span
 * names and status messages, log bodies and event names.
 */
import { REDACTED, type RedactionRules } from '@tooltrace/conventions';
import type { AttributeValue, OtlpAttributes } from '../otlp/types.ts';
import type { DecodedRequest } from '../pipeline/stages.ts';
import { type CompiledRedaction, compileRedaction } from './compile.ts';

export interface RedactionStage {
  /** Redacts the request in place; returns how many values were redacted. */
  redact(decoded: DecodedRequest, rules: RedactionRules): number;
}

/** Compiled rules are kept per distinct rule set (few per process), most recently used last. */
const MAX_CACHED_RULE_SETS = 256;

export function createRedactionStage(): RedactionStage {
  const cache = new Map<string, CompiledRedaction>();
  const compiled = (rules: RedactionRules): CompiledRedaction => {
    const id = JSON.stringify([rules.keys, rules.patterns]);
    let found = cache.get(id);
    if (found) cache.delete(id);
    else found = compileRedaction(rules);
    cache.set(id, found);
    if (cache.size > MAX_CACHED_RULE_SETS) cache.delete(cache.keys().next().value as string);
    return found;
  };
  return { redact: (decoded, rules) => redactRequest(decoded, compiled(rules)) };
}

export function redactRequest(decoded: DecodedRequest, redaction: CompiledRedaction): number {
  const counter = new Counter(redaction);
  if (decoded.signal === 'traces') {
    for (const resource of decoded.request.resourceSpans) {
      counter.attributes(resource.resource);
      for (const scope of resource.scopeSpans) {
        for (const span of scope.spans) {
          span.name = counter.text(span.name);
          counter.attributes(span.attributes);
          span.status.message = counter.text(span.status.message);
          for (const event of span.events) {
            event.name = counter.text(event.name);
            counter.attributes(event.attributes);
          }
          for (const link of span.links) counter.attributes(link.attributes);
        }
      }
    }
  } else {
    for (const resource of decoded.request.resourceLogs) {
      counter.attributes(resource.resource);
      for (const scope of resource.scopeLogs) {
        for (const record of scope.logRecords) {
          record.body = counter.value(record.body);
          record.eventName = counter.text(record.eventName);
          counter.attributes(record.attributes);
        }
      }
    }
  }
  return counter.count;
}

class Counter {
  count = 0;
  constructor(private readonly redaction: CompiledRedaction) {}

  text(text: string): string {
    if (!text) return text;
    const result = this.redaction.text.redact(text);
    this.count += result.count;
    return result.text;
  }

  value(value: AttributeValue): AttributeValue {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.value(item));
    if (value !== null && typeof value === 'object') {
      this.attributes(value);
      return value;
    }
    return value;
  }

  /** Rewrites the record in place: a secret key's value goes whole, other values are searched. */
  attributes(attributes: OtlpAttributes): void {
    for (const [key, value] of Object.entries(attributes)) {
      if (this.redaction.isSecretKey(key) && value !== null && value !== '' && value !== REDACTED) {
        attributes[key] = REDACTED;
        this.count += 1;
      } else attributes[key] = this.value(value);
    }
  }
}
