/**
 * Provider requests (DESIGN §3): API calls to an integration provider, as
 * CLIENT spans of kind `provider_request`. The response body is recorded only
 * when the response is an error; successful bodies never leave the process.
 */
import { context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_BODY,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_INTEGRATION,
  ATTR_KIND,
  ATTR_SERVER_ADDRESS,
  ATTR_URL_FULL,
} from '@tooltrace/conventions';
import { markNotProviderRequest } from './context-keys.ts';
import { capText, settings, toAttributeText, tracer } from './settings.ts';

export interface ProviderRequestInfo {
  method: string;
  url: string | URL;
  integration?: string;
  /** Span name; defaults to `METHOD host`. */
  name?: string;
}

/** Handed to the traced function to report what the provider answered when it is not a fetch `Response`. */
export interface ProviderCall {
  readonly span: Span;
  setResponse(status: number, body?: unknown): void;
}

export function isErrorStatus(status: number): boolean {
  return status >= 400;
}

/** Sets the status code; on an error status also span status ERROR, `error.type` and the capped body. */
export function recordProviderResponse(span: Span, status: number, body?: unknown): void {
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
  if (!isErrorStatus(status)) return;
  span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${status}` });
  span.setAttribute(ATTR_ERROR_TYPE, String(status));
  if (body !== undefined && body !== null && body !== '') {
    span.setAttribute(ATTR_HTTP_RESPONSE_BODY, toAttributeText(body));
  }
}

/**
 * Reads at most `maxBytes` of a response body without consuming the caller's
 * copy (it reads a clone), so recording it never changes what the app sees.
 */
export async function readBodyPrefix(response: Response, maxBytes = settings().maxResponseBodyBytes): Promise<string> {
  const clone = response.clone();
  if (!clone.body) return '';
  const reader = clone.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size > maxBytes) {
        truncated = true;
        break;
      }
    }
  } finally {
    // Cancelling one branch of a cloned body settles only once the app's branch is done too: never wait for it.
    if (truncated) void reader.cancel().catch(() => {});
    else reader.releaseLock();
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return truncated ? capText(text, maxBytes) : text;
}

export function providerRequestAttributes(info: ProviderRequestInfo) {
  const url = new URL(String(info.url));
  return {
    [ATTR_KIND]: 'provider_request',
    [ATTR_HTTP_REQUEST_METHOD]: info.method.toUpperCase(),
    [ATTR_URL_FULL]: url.href,
    [ATTR_SERVER_ADDRESS]: url.hostname,
    ...(info.integration ? { [ATTR_INTEGRATION]: info.integration } : {}),
  };
}

/**
 * Traces one provider request made by `fn`. If `fn` resolves to a fetch
 * `Response`, its status (and, on error, its body) are recorded automatically;
 * otherwise report them with `call.setResponse(status, body)`. A thrown error
 * with a `status`/`statusCode` (and `body`/`response.data`, as HTTP clients
 * throw them) is recorded the same way before being rethrown.
 */
export async function traceProviderRequest<T>(
  info: ProviderRequestInfo,
  fn: (call: ProviderCall) => T | Promise<T>,
): Promise<T> {
  const attributes = providerRequestAttributes(info);
  const name = info.name ?? `${attributes[ATTR_HTTP_REQUEST_METHOD]} ${attributes[ATTR_SERVER_ADDRESS]}`;
  const span = tracer().startSpan(name, { kind: SpanKind.CLIENT, attributes });
  let reported = false;
  const call: ProviderCall = {
    span,
    setResponse(status, body) {
      reported = true;
      recordProviderResponse(span, status, body);
    },
  };
  // fetches inside are this span's transport, not further provider requests
  const ctx = markNotProviderRequest(trace.setSpan(context.active(), span));
  try {
    const result = await context.with(ctx, () => fn(call));
    if (!reported && result instanceof Response) {
      const body = isErrorStatus(result.status) ? await readBodyPrefix(result).catch(() => undefined) : undefined;
      recordProviderResponse(span, result.status, body);
    }
    return result;
  } catch (error) {
    if (!reported) recordThrownHttpError(span, error);
    throw error;
  } finally {
    span.end();
  }
}

function recordThrownHttpError(span: Span, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  const shaped = err as { status?: unknown; statusCode?: unknown; body?: unknown; response?: { data?: unknown } };
  const status = typeof shaped.status === 'number' ? shaped.status : shaped.statusCode;
  span.recordException(err);
  if (typeof status === 'number') recordProviderResponse(span, status, shaped.body ?? shaped.response?.data);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
  if (typeof status !== 'number') span.setAttribute(ATTR_ERROR_TYPE, err.name || 'Error');
}
