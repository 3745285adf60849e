/**
 * The evidence the conventions' rule table judges a failed tool call by
 * (DESIGN §4): the failing provider requests under the call that arrived in
 * the same request, deepest first, and the call itself. Provider requests
 * that arrive in a later request than their call are not seen here; the call
 * is then judged by its own status, code and message (which our SDK fills
 * with the provider's marker).
 */
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_BODY,
  type ErrorCategory,
  type ErrorEvidence,
  errorCategory,
  errorGroup,
} from '@tooltrace/conventions';
import { attrString, valueText } from './attributes.ts';
import { type ErrorDetails, firstException, type SpanView } from './span-view.ts';

/** Rules look for short markers; a long HTML page says what it is in its first few kilobytes. */
const MAX_EVIDENCE_TEXT = 8 * 1024;

function evidenceOf(view: SpanView): ErrorEvidence {
  const exception = firstException(view);
  const text = [valueText(view.attrs[ATTR_HTTP_RESPONSE_BODY]), view.span.status.message || null, exception?.message]
    .filter((t): t is string => typeof t === 'string' && t !== '')
    .join('\n')
    .slice(0, MAX_EVIDENCE_TEXT);
  return {
    httpStatus: view.httpStatus,
    codes: [attrString(view.attrs, ATTR_ERROR_TYPE), exception?.type ?? null],
    text: text || null,
  };
}

/** Failing provider requests of each trace in the request, indexed for the calls of that trace. */
export class ProviderFailures {
  private readonly byId = new Map<string, SpanView>();
  private readonly failing: SpanView[] = [];

  constructor(views: readonly SpanView[]) {
    for (const v of views) {
      this.byId.set(`${v.traceId}:${v.spanId}`, v);
      if (v.kind === 'provider_request' && v.isError) this.failing.push(v);
    }
  }

  /** Depth below `call`, or null when `view` is not (as far as this request shows) under it. */
  private depthUnder(view: SpanView, call: SpanView): number | null {
    let depth = 0;
    let parent = view.parentSpanId;
    while (parent !== null && depth < 256) {
      depth += 1;
      if (parent === call.spanId) return depth;
      const next = this.byId.get(`${view.traceId}:${parent}`);
      if (!next) return null;
      parent = next.parentSpanId;
    }
    return null;
  }

  /** The call's failing provider requests, the deepest (the root cause) first, then the latest. */
  under(call: SpanView): SpanView[] {
    const found: { view: SpanView; depth: number }[] = [];
    for (const v of this.failing) {
      if (v.traceId !== call.traceId) continue;
      const depth = this.depthUnder(v, call);
      if (depth !== null) found.push({ view: v, depth });
    }
    found.sort(
      (a, b) => b.depth - a.depth || b.view.startNanos.localeCompare(a.view.startNanos, 'en', { numeric: true }),
    );
    return found.map((f) => f.view);
  }
}

export interface ErrorClassification {
  errorCategory: ErrorCategory;
  errorGroup: string;
}

export function classifyToolCallError(
  call: SpanView,
  details: ErrorDetails,
  context: { integration: string | null; toolName: string | null; failures: ProviderFailures },
): ErrorClassification {
  const category = errorCategory({
    integration: context.integration,
    providerFailures: context.failures.under(call).map(evidenceOf),
    call: {
      httpStatus: call.httpStatus,
      codes: [details.code, attrString(call.attrs, ATTR_ERROR_TYPE)],
      text: details.message,
    },
  });
  return {
    errorCategory: category,
    errorGroup: errorGroup({
      integration: context.integration,
      toolName: context.toolName,
      category,
      errorCode: details.code,
      errorMessage: details.message,
    }),
  };
}
