/**
 * The official HTTP instrumentation, configured for tooltrace:
 * - outgoing requests (the `http`/`https` modules, and every client built on them) made inside a
 *   traced operation become `provider_request` spans, like `fetch` requests; requests outside any
 *   operation and the transport of `traceProviderRequest` or a webhook delivery get none;
 * - incoming requests (only when asked: `node --import @tooltrace/instrumentation/register`) get the
 *   usual SERVER span, and those on a declared tool route (`TOOLTRACE_TOOL_ROUTES`) become tool calls.
 *
 * Error responses of outgoing requests get their body recorded (capped, then redacted like every
 * attribute) from a copy taken as the chunks arrive, never by reading the application's stream
 * (http-error-body.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Attributes, context, type Span, SpanStatusCode } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ATTR_ERROR_TYPE, ATTR_INTEGRATION, ATTR_KIND, ATTR_URL_PATH, ATTR_USER_ID } from '@tooltrace/conventions';
import type { IntegrationResolver } from './auto-fetch.ts';
import { isNotProviderRequest } from './context-keys.ts';
import { REQUEST_ID_HEADER } from './express.ts';
import { recordTappedBody, tapErrorBody } from './http-error-body.ts';
import { requestIdOfSpan, type ToolCallInfo, toolCallAttributes, toolCallSpanName } from './tool-call.ts';
import { matchToolRoute, type RequestParts, readSource, type ToolRoute } from './tool-routes.ts';

export interface HttpInstrumentationOptions {
  /** Trace incoming requests (SERVER spans). */
  incoming: boolean;
  /** Trace outgoing requests inside traced operations as provider requests. */
  outgoing: boolean;
  toolRoutes: readonly ToolRoute[];
  integrationOf?: IntegrationResolver;
}

const toolRouteOfSpan = new WeakMap<Span, { route: ToolRoute; params: Record<string, string> }>();

export function createHttpInstrumentation(options: HttpInstrumentationOptions): HttpInstrumentation {
  return new HttpInstrumentation({
    requireParentforOutgoingSpans: true,
    ignoreOutgoingRequestHook: () => isNotProviderRequest(context.active()),
    startOutgoingSpanHook(request) {
      const integration = integrationOfRequest(options.integrationOf, request);
      return { [ATTR_KIND]: 'provider_request', ...(integration ? { [ATTR_INTEGRATION]: integration } : {}) };
    },
    disableIncomingRequestInstrumentation: !options.incoming,
    disableOutgoingRequestInstrumentation: !options.outgoing,
    startIncomingSpanHook(request) {
      const matched = matchToolRoute(options.toolRoutes, request.method ?? 'GET', request.url ?? '/');
      if (!matched) return {};
      const info = describe(matched.route, partsOf(request, matched.params));
      return { ...routeAttributes(info), [ATTR_URL_PATH]: (request.url ?? '/').split('?')[0] };
    },
    requestHook(span, request) {
      if ('setHeader' in request) return; // outgoing: a ClientRequest
      const incoming = request as IncomingMessage;
      const matched = matchToolRoute(options.toolRoutes, incoming.method ?? 'GET', incoming.url ?? '/');
      if (matched) toolRouteOfSpan.set(span, matched);
    },
    responseHook(span, response) {
      if (!('setHeader' in response)) {
        // outgoing: the provider's answer, an IncomingMessage
        tapErrorBody(span, response);
        return;
      }
      if (!toolRouteOfSpan.has(span)) return;
      const requestId = requestIdOfSpan(span);
      if (requestId && !response.headersSent) response.setHeader(REQUEST_ID_HEADER, requestId);
    },
    applyCustomAttributesOnSpan(span, request, response) {
      if (!('setHeader' in response)) {
        recordTappedBody(span);
        return;
      }
      const matched = toolRouteOfSpan.get(span);
      if (!matched) return;
      // By now a body parser (express.json()) has run: read what the route names from the body too.
      const info = describe(matched.route, partsOf(request as IncomingMessage, matched.params));
      span.setAttributes(routeAttributes(info));
      span.updateName(toolCallSpanName(info));
      const status = (response as ServerResponse).statusCode;
      if (status >= 400) {
        // A 4xx answer is a failed tool call too, where HTTP server spans only mark 5xx.
        span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${status}` });
        span.setAttribute(ATTR_ERROR_TYPE, String(status));
      }
    },
  });
}

/** A route without a user source records no `user.id` rather than an empty one. */
function routeAttributes(info: ToolCallInfo): Attributes {
  const attributes = toolCallAttributes(info);
  if (!info.userId) delete attributes[ATTR_USER_ID];
  return attributes;
}

function partsOf(request: IncomingMessage, params: Record<string, string>): RequestParts {
  const url = new URL(request.url ?? '/', 'http://localhost');
  return { headers: request.headers, query: url.searchParams, params, body: (request as { body?: unknown }).body };
}

function describe(route: ToolRoute, parts: RequestParts): ToolCallInfo {
  const text = (source: string | undefined) => {
    const value = source ? readSource(source, parts) : undefined;
    return value === undefined || value === null ? undefined : String(value);
  };
  return {
    type: route.type,
    toolName: text(route.toolName),
    integration: text(route.integration),
    userId: text(route.userId) ?? '',
    parameters: route.parameters ? readSource(route.parameters, parts) : undefined,
  };
}

function integrationOfRequest(
  integrationOf: IntegrationResolver | undefined,
  request: { protocol?: string | null; hostname?: string | null; host?: string | null; path?: string | null },
): string | undefined {
  if (!integrationOf) return undefined;
  try {
    const host = request.hostname ?? request.host ?? 'localhost';
    return integrationOf(new URL(request.path ?? '/', `${request.protocol ?? 'http:'}//${host}`));
  } catch {
    return undefined;
  }
}
