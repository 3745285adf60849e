/**
 * Key authentication and the role check. The project of every request comes
 * from its key. Reading takes the read or the admin key; changing project
 * settings (plan, retention, redaction rules, forwarding) takes the admin key.
 * An ingest key answers 401 (not 403): it does not authenticate a reader, and
 * the UI treats 401 as "ask for the key again", which is what the user needs.
 * A read key on an admin route answers 403 `admin_key_required`: the caller is
 * known, the key is simply not enough, and the message names the key that is.
 */
import { type AuthThrottle, throttledMessage } from '@tooltrace/conventions';
import type { KeyRole, Project, Store } from '@tooltrace/store';
import type { Request, RequestHandler, Response } from 'express';
import { ApiError, RateLimitedError, UnauthorizedError } from './errors.ts';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Which key a route takes: `read` (the read or admin key) or `admin` (the admin key only). */
export type RequiredRole = 'read' | 'admin';

/** The bearer token of a request, or null. */
export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  return BEARER.exec(header)?.[1] ?? null;
}

export class AdminKeyRequiredError extends ApiError {
  constructor(what: string) {
    super(
      403,
      'admin_key_required',
      `${what} needs the project's admin key (tt_admin_…); this request used the read key, which is read-only. ` +
        'Sign in with the admin key, or ask whoever holds it (`tooltrace project rotate-keys` issues one).',
    );
  }
}

/** Who a request authenticated as; set by {@link requireKey} on `res.locals`. */
export interface Caller {
  project: Project;
  role: Exclude<KeyRole, 'ingest'>;
  /** The clear key, kept only for the request's lifetime so long streams can check it still works. */
  key: string;
}

export function callerOf(res: Response): Caller {
  return res.locals.caller as Caller;
}

/** Throws unless the caller holds the admin key; `what` names the action in the message. */
export function assertAdmin(caller: Caller, what: string): void {
  if (caller.role !== 'admin') throw new AdminKeyRequiredError(what);
}

export interface KeyCheckOptions {
  /** Names the action in the 403 of an admin route, e.g. `PUT /api/v1/project/retention`. */
  what?: string;
  /** Failed authentications per client address; past its limit a failure answers 429, not 401. */
  throttle?: AuthThrottle;
}

/**
 * Authenticates the bearer key and checks its role. Admin routes answer 403
 * to a read key with a message naming the admin key.
 */
export function requireKey(store: Store, role: RequiredRole, options: KeyCheckOptions = {}): RequestHandler {
  const { what = 'this request', throttle } = options;
  const refuse = (req: Request, error: UnauthorizedError): never => {
    const verdict = throttle?.fail(req.ip ?? 'unknown');
    if (verdict?.throttled) {
      throw new RateLimitedError(
        throttledMessage(verdict.retryAfterSeconds),
        'auth_throttled',
        verdict.retryAfterSeconds,
      );
    }
    throw error;
  };
  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (!header) {
      return refuse(
        req,
        new UnauthorizedError('missing Authorization header: send "Authorization: Bearer <read key>"'),
      );
    }
    const key = bearerToken(req);
    if (!key) return refuse(req, new UnauthorizedError('Authorization header must be "Bearer <read key>"'));
    const identity = await store.authenticate(key);
    if (!identity) return refuse(req, new UnauthorizedError('unknown or revoked key'));
    if (identity.role === 'ingest') {
      throw new UnauthorizedError(
        "this is an ingest key; the query API needs the project's read key (tt_read_…) or admin key (tt_admin_…)",
        'wrong_key_role',
      );
    }
    const caller: Caller = { project: identity.project, role: identity.role, key };
    if (role === 'admin') assertAdmin(caller, what);
    res.locals.caller = caller;
    res.locals.project = identity.project;
    next();
  };
}
