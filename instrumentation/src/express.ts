/**
 * Express middleware for a tool-call service: each request described as a tool
 * call becomes a tool-call trace (continuing an incoming `traceparent`), answers
 * with `x-request-id`, and thrown errors become the ActionKit error body.
 *
 *   app.use(express.json());               // before: describe() reads the body
 *   app.use(toolCallMiddleware({ describe }));
 *   app.post('/actions', handler);
 *   app.use(toolCallErrorHandler());        // after the routes
 */
import { context, propagation, ROOT_CONTEXT, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_URL_PATH,
} from '@tooltrace/conventions';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { actionKitErrorBody, attachRequestId } from './errors.ts';
import { recordToolCallError, requestIdOfSpan, startToolCallSpan, type ToolCallInfo } from './tool-call.ts';

export const REQUEST_ID_HEADER = 'x-request-id';

export interface ToolCallMiddlewareOptions {
  /** The tool call a request stands for, or null/undefined for requests that are not tool calls. */
  describe(req: Request): ToolCallInfo | null | undefined;
}

const spanOfRequest = new WeakMap<Request, Span>();
/** Spans whose failure the error handler already recorded in detail. */
const errored = new WeakSet<Span>();

/** The tool-call span of a request handled by {@link toolCallMiddleware}. */
export function toolCallSpanOf(req: Request): Span | undefined {
  return spanOfRequest.get(req);
}

export function toolCallMiddleware(options: ToolCallMiddlewareOptions): RequestHandler {
  return (req, res, next) => {
    const info = options.describe(req);
    if (!info) {
      next();
      return;
    }
    // Under the HTTP server instrumentation the request already has its SERVER span (which continued any
    // incoming traceparent): the tool call is its child, in the same trace. Otherwise continue the header.
    const active = context.active();
    const parent = trace.getSpan(active)?.isRecording() ? active : propagation.extract(ROOT_CONTEXT, req.headers);
    const span = startToolCallSpan(info, parent, {
      [ATTR_HTTP_REQUEST_METHOD]: req.method,
      [ATTR_URL_PATH]: req.path,
    });
    spanOfRequest.set(req, span);
    const requestId = requestIdOfSpan(span);
    if (requestId) res.setHeader(REQUEST_ID_HEADER, requestId);

    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const status = res.statusCode;
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      // A 4xx/5xx answered without a throw is still a failed tool call.
      if (status >= 400 && !errored.has(span)) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${status}` });
        span.setAttribute(ATTR_ERROR_TYPE, String(status));
      }
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    context.with(trace.setSpan(parent, span), next);
  };
}

/** Turns errors of tool-call requests into the ActionKit error body, recording them on the span. */
export function toolCallErrorHandler(options: { uiBaseUrl?: string } = {}): ErrorRequestHandler {
  return (error, req, res, next) => {
    const span = spanOfRequest.get(req);
    const requestId = span ? requestIdOfSpan(span) : null;
    if (!span || !requestId || res.headersSent) {
      next(error);
      return;
    }
    recordToolCallError(span, error);
    errored.add(span);
    attachRequestId(error, requestId);
    const body = actionKitErrorBody(error, { requestId, ...options });
    res.status(body.status).json(body);
  };
}
