/**
 * Automatic provider-request capture for `fetch`/undici, on
 * `@opentelemetry/instrumentation-undici`: every HTTP client span made inside a
 * traced operation is marked `provider_request` (requests that are the
 * transport of a `traceProviderRequest` or of a webhook delivery get no span of
 * their own), and error responses get their body recorded.
 *
 * The instrumentation's hooks never see the response body, and Node 20's
 * bundled undici publishes no body-chunk channel. So a thin wrapper around
 * `globalThis.fetch` reads a capped clone of error bodies, and the response
 * hook holds back the span's end until that read is done. Requests made with
 * undici's own API (not `fetch`) are marked but carry no body.
 */
import { context, createContextKey, type Span, trace } from '@opentelemetry/api';
import { UndiciInstrumentation, type UndiciRequest } from '@opentelemetry/instrumentation-undici';
import { ATTR_HTTP_RESPONSE_BODY, ATTR_INTEGRATION, ATTR_KIND } from '@tooltrace/conventions';
import { isNotProviderRequest } from './context-keys.ts';
import { isErrorStatus, readBodyPrefix } from './provider-request.ts';

/** Names the integration a provider URL belongs to, e.g. `slack.com` → `slack`. */
export type IntegrationResolver = (url: URL) => string | undefined;

interface BodyCapture {
  span?: Span;
  body: Promise<string | undefined>;
  settle(body: string | undefined): void;
}

const BODY_CAPTURE = createContextKey('tooltrace.fetch_body_capture');
const captureOfSpan = new WeakMap<Span, BodyCapture>();

export function createProviderFetchInstrumentation(integrationOf?: IntegrationResolver): UndiciInstrumentation {
  return new UndiciInstrumentation({
    // Requests outside any traced operation (health checks, the app's own plumbing) stay untraced.
    requireParentforSpans: true,
    // Inside traceProviderRequest the request already has its span; inside a delivery attempt it goes
    // to the customer, not a provider: a second HTTP span would only repeat the first.
    ignoreRequestHook: () => isNotProviderRequest(context.active()),
    startSpanHook(request: UndiciRequest) {
      const integration = resolveIntegration(integrationOf, request);
      return { [ATTR_KIND]: 'provider_request', ...(integration ? { [ATTR_INTEGRATION]: integration } : {}) };
    },
    requestHook(span) {
      const capture = context.active().getValue(BODY_CAPTURE) as BodyCapture | undefined;
      if (capture) {
        capture.span = span;
        captureOfSpan.set(span, capture);
      }
    },
    responseHook(span, { response }) {
      const capture = captureOfSpan.get(span);
      if (!capture) return;
      if (isErrorStatus(response.statusCode)) holdEndUntilBodyRead(span, capture);
      else capture.span = undefined;
    },
  });
}

function resolveIntegration(
  integrationOf: IntegrationResolver | undefined,
  request: UndiciRequest,
): string | undefined {
  if (!integrationOf) return undefined;
  try {
    return integrationOf(new URL(request.path, request.origin));
  } catch {
    return undefined;
  }
}

function holdEndUntilBodyRead(span: Span, capture: BodyCapture): void {
  const end = span.end.bind(span);
  span.end = (endTime) => {
    const endedAt = endTime ?? performance.now();
    void capture.body.then((body) => {
      if (body) span.setAttribute(ATTR_HTTP_RESPONSE_BODY, body);
      end(endedAt);
    });
  };
}

/**
 * Wraps `globalThis.fetch` so error responses of provider requests have their
 * body read (a capped clone) before the caller gets the response. Returns the
 * function that puts the original `fetch` back.
 */
export function installFetchBodyCapture(): () => void {
  const original = globalThis.fetch;
  const wrapped: typeof fetch = async (input, init) => {
    const active = context.active();
    // Only requests inside a traced operation become provider_request spans; leave the rest alone.
    if (isNotProviderRequest(active) || !trace.getSpan(active)?.isRecording()) return original(input, init);
    let settle: (body: string | undefined) => void = () => {};
    const body = new Promise<string | undefined>((resolve) => {
      settle = resolve;
    });
    const capture: BodyCapture = { body, settle };
    let response: Response;
    try {
      response = await context.with(active.setValue(BODY_CAPTURE, capture), () => original(input, init));
    } catch (error) {
      capture.settle(undefined);
      throw error;
    }
    if (capture.span && isErrorStatus(response.status)) {
      capture.settle(await readBodyPrefix(response).catch(() => undefined));
    } else {
      capture.settle(undefined);
    }
    return response;
  };
  globalThis.fetch = wrapped;
  return () => {
    if (globalThis.fetch === wrapped) globalThis.fetch = original;
  };
}
