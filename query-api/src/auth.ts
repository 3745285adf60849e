/**
 * Read-key authentication. The project of every request comes from its key.
 * An ingest key answers 401 (not 403): it does not authenticate a reader, and
 * the UI treats 401 as "ask for the read key again", which is what the user
 * needs to do.
 */
import type { Store } from '@tooltrace/store';
import type { Request, RequestHandler } from 'express';
import { UnauthorizedError } from './errors.ts';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The bearer token of a request, or null. */
export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  return BEARER.exec(header)?.[1] ?? null;
}

export function requireReadKey(store: Store): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (!header) throw new UnauthorizedError('missing Authorization header: send "Authorization: Bearer <read key>"');
    const key = bearerToken(req);
    if (!key) throw new UnauthorizedError('Authorization header must be "Bearer <read key>"');
    const identity = await store.authenticate(key);
    if (!identity) throw new UnauthorizedError('unknown or revoked key');
    if (identity.role !== 'read') {
      throw new UnauthorizedError(
        "this is an ingest key; the query API needs the project's read key (tt_read_…)",
        'wrong_key_role',
      );
    }
    res.locals.project = identity.project;
    next();
  };
}
