/**
 * The one error hierarchy of the query API, and the one middleware that turns
 * any thrown error into `{ error: { code, message } }`. Only `ApiError`s (and
 * the few library errors mapped below) show their message; anything else is a
 * bug and answers a generic 500, logged with its stack but never sent.
 */
import {
  InvalidDestinationError,
  InvalidPlanError,
  InvalidRedactionRuleError,
  InvalidTraceIdError,
} from '@tooltrace/conventions';
import {
  DestinationNotFoundError,
  InvalidCursorError,
  ProjectNotFoundError,
  StoreUnavailableError,
} from '@tooltrace/store';
import type { ErrorRequestHandler, RequestHandler } from 'express';

export class ApiError extends Error {
  override readonly name: string = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class BadRequestError extends ApiError {
  constructor(message: string, code = 'bad_request') {
    super(400, code, message);
  }
}

export class UnauthorizedError extends ApiError {
  constructor(message: string, code = 'unauthorized') {
    super(401, code, message);
  }
}

export class NotFoundError extends ApiError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

export class RateLimitedError extends ApiError {
  constructor(
    message: string,
    code = 'rate_limited',
    /** Sent as Retry-After when the limiter has not set it itself. */
    readonly retryAfterSeconds?: number,
  ) {
    super(429, code, message);
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** Errors thrown by express.json (body-parser) carry `type` and `status`. */
interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && 'type' in error && 'status' in error;
}

/** Maps an error to the API error the client sees; null means "internal, do not expose". */
export function toApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error instanceof InvalidCursorError)
    return new BadRequestError(`query parameter "cursor": ${error.message}`, 'invalid_cursor');
  if (error instanceof InvalidTraceIdError) return new BadRequestError(error.message, 'invalid_trace_id');
  if (error instanceof InvalidPlanError) return new BadRequestError(error.message, 'invalid_plan');
  if (error instanceof InvalidRedactionRuleError) return new BadRequestError(error.message, 'invalid_redaction_rule');
  if (error instanceof ProjectNotFoundError) return new NotFoundError(error.message);
  if (error instanceof InvalidDestinationError)
    return new BadRequestError(`body field "${error.message.replace(/: /, '": ')}`, 'invalid_destination');
  if (error instanceof DestinationNotFoundError) return new NotFoundError(error.message);
  if (error instanceof StoreUnavailableError)
    return new ApiError(503, 'store_unavailable', 'the store is unavailable; try again later');
  if (isBodyParserError(error)) {
    if (error.type === 'entity.too.large') return new ApiError(413, 'payload_too_large', 'request body is too large');
    if (error.type === 'entity.parse.failed')
      return new BadRequestError('request body is not valid JSON', 'invalid_json');
    if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
      return new ApiError(415, 'unsupported_media_type', 'request body encoding is not supported');
    }
    if (error.status >= 400 && error.status < 500) return new ApiError(error.status, 'bad_request', 'bad request body');
  }
  return null;
}

export const errorMiddleware: ErrorRequestHandler = (error, req, res, _next) => {
  const apiError = toApiError(error);
  if (!apiError) req.log?.error({ err: error }, 'unhandled error in query API');
  // Once a stream has started (export, SSE) no JSON can follow: cut the response so the client sees it fail.
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { status, code, message } = apiError ?? { status: 500, code: 'internal', message: 'internal server error' };
  if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  if (error instanceof RateLimitedError && error.retryAfterSeconds !== undefined) {
    res.setHeader('Retry-After', String(error.retryAfterSeconds));
  }
  res.status(status).json(errorBody(code, message));
};

export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`no such endpoint: ${req.method} ${req.path}`));
};
