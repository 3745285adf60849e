/**
 * Errors a tool call hands back to its caller, in the ActionKit shape:
 *
 *   { "message": "...", "code": "41070", "status": 500, "meta": { "requestId": "<uuid>", "traceUrl"?: "..." } }
 *
 * `meta.requestId` is the tool call's trace ID as a UUID, so pasting it into
 * tooltrace finds exactly that trace.
 */
import { toRequestId } from '@tooltrace/conventions';
import { redactText } from './redaction.ts';
import { settings } from './settings.ts';

export interface ActionKitErrorOptions {
  /** Platform error code, e.g. `41070`. Sent as a string. */
  code: string | number;
  /** HTTP status to answer with. */
  status: number;
  /** Provider detail kept with the message, e.g. `{ err: 'Team not authorized', ECODE: 'OAUTH_027' }`. */
  details?: unknown;
  cause?: unknown;
}

/** An operational tool-call failure whose message and code are meant for the caller. */
export class ActionKitError extends Error {
  override readonly name = 'ActionKitError';
  readonly code: string;
  readonly status: number;
  readonly details: unknown;

  constructor(message: string, options: ActionKitErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = String(options.code);
    this.status = options.status;
    this.details = options.details;
  }
}

export interface ActionKitErrorBody {
  message: string;
  code: string;
  status: number;
  meta: { requestId: string; traceUrl?: string };
}

/** Code and message for failures that are not ActionKitErrors: the real message stays in the trace. */
export const INTERNAL_ERROR_CODE = '50000';
const INTERNAL_ERROR_MESSAGE = 'Internal error';

const REQUEST_ID = Symbol.for('tooltrace.requestId');

/**
 * Makes `error` carry the request ID of the trace it failed in (readable with
 * {@link requestIdOf}, and as `error.requestId` on Error objects). Non-errors
 * thrown as values are wrapped so there is something to carry it.
 */
export function attachRequestId(error: unknown, requestId: string): Error {
  const carrier = error instanceof Error ? error : new Error(String(error), { cause: error });
  Object.defineProperty(carrier, REQUEST_ID, { value: requestId, configurable: true });
  if (!Object.hasOwn(carrier, 'requestId')) {
    Object.defineProperty(carrier, 'requestId', { value: requestId, configurable: true, writable: true });
  }
  return carrier;
}

/** The request ID a failed tool call attached to its error, or null. */
export function requestIdOf(error: unknown): string | null {
  if (error === null || typeof error !== 'object') return null;
  const value = (error as Record<PropertyKey, unknown>)[REQUEST_ID];
  return typeof value === 'string' ? value : null;
}

/** The tooltrace UI page of a trace, or undefined when no UI base URL is configured. */
export function traceUrlOf(
  requestId: string,
  uiBaseUrl: string | undefined = settings().uiBaseUrl,
): string | undefined {
  if (!uiBaseUrl) return undefined;
  return `${uiBaseUrl.replace(/\/+$/, '')}/traces/${requestId}`;
}

/**
 * The ActionKit error body of a failed tool call. The request ID comes from
 * `options.requestId`, else from the error (see {@link attachRequestId}).
 * Errors other than ActionKitError answer with a generic message so internals
 * never reach the caller; the trace keeps the real one.
 */
export function actionKitErrorBody(
  error: unknown,
  options: { requestId?: string; uiBaseUrl?: string } = {},
): ActionKitErrorBody {
  const rawRequestId = options.requestId ?? requestIdOf(error);
  if (!rawRequestId) {
    throw new Error(
      'actionKitErrorBody: no requestId; pass { requestId } or an error rethrown by traceToolCall / the tool-call middleware',
    );
  }
  const requestId = toRequestId(rawRequestId);
  const traceUrl = traceUrlOf(requestId, options.uiBaseUrl ?? settings().uiBaseUrl);
  const meta: ActionKitErrorBody['meta'] = traceUrl ? { requestId, traceUrl } : { requestId };
  if (error instanceof ActionKitError) {
    // The provider's details can quote its error body, tokens included: they go through the redactor first.
    const message =
      error.details === undefined
        ? error.message
        : redactText(settings().redact, JSON.stringify({ message: error.message, details: error.details }));
    return { message, code: error.code, status: error.status, meta };
  }
  return { message: INTERNAL_ERROR_MESSAGE, code: INTERNAL_ERROR_CODE, status: 500, meta };
}
