/**
 * A span's links as stored: only links whose trace and span IDs are valid
 * (the trace view links to them), their attributes cut like the span's. A
 * link that cannot be stored is named in `partial_success` and counted in
 * `otel.dropped_links_count`, never lost silently.
 */
import { ATTR_HTTP_RESPONSE_BODY, isValidSpanId, isValidTraceId, type SpanLink } from '@tooltrace/conventions';
import type { OtlpSpan, OtlpSpanLink } from '../otlp/types.ts';
import { storedAttributes } from './attributes.ts';

/** Whether the mapper stores `link` (the trace view links to it, so its IDs must be valid). */
export function isStorableLink(link: OtlpSpanLink): boolean {
  return isValidTraceId(link.traceId) && isValidSpanId(link.spanId);
}

/** The partial_success lines for links of `span` that are not stored. */
export function unusableLinkWarnings(span: OtlpSpan): string[] {
  const lines: string[] = [];
  span.links.forEach((link, index) => {
    if (!isStorableLink(link)) {
      lines.push(
        `${span.ref}.links[${index}]: invalid trace or span ID (${JSON.stringify(link.traceId.slice(0, 64))}, ${JSON.stringify(link.spanId.slice(0, 64))}); the link is not stored, the span is`,
      );
    }
  });
  return lines;
}

/** Links to store (undefined when none) and how many were left out. */
export function storedLinks(
  span: OtlpSpan,
  maxValueLength: number,
): { links: SpanLink[] | undefined; unusable: number } {
  if (span.links.length === 0) return { links: undefined, unusable: 0 };
  const links: SpanLink[] = [];
  for (const link of span.links) {
    if (!isStorableLink(link)) continue;
    const attributes = storedAttributes(link.attributes, ATTR_HTTP_RESPONSE_BODY, maxValueLength);
    links.push({ traceId: link.traceId, spanId: link.spanId, attributes });
  }
  return { links: links.length > 0 ? links : undefined, unusable: span.links.length - links.length };
}
