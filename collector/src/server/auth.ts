/**
 * Ingest keys (DESIGN §5): `Authorization: Bearer <key>` or `x-api-key`. The
 * project comes from the key alone; read keys cannot ingest.
 */
import type { Store } from '@tooltrace/store';
import type { Request } from 'express';
import { httpErrors } from './http-error.ts';

export function keyOf(req: Request): string | null {
  const authorization = req.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1]!;
  }
  const apiKey = req.headers['x-api-key'];
  const value = Array.isArray(apiKey) ? apiKey[0] : apiKey;
  return value?.trim() || null;
}

/** The project ID of the request's ingest key; throws a 401 (or 503 when the store cannot answer). */
export async function authenticateIngest(store: Pick<Store, 'authenticate'>, req: Request): Promise<string> {
  const key = keyOf(req);
  if (!key) {
    throw httpErrors.unauthorized(
      'missing ingest key: send "Authorization: Bearer <ingestKey>" or "x-api-key: <ingestKey>"',
    );
  }
  let identity: Awaited<ReturnType<Store['authenticate']>>;
  try {
    identity = await store.authenticate(key);
  } catch (error) {
    throw httpErrors.unavailable(`cannot check the ingest key now: ${(error as Error).message}`, 5);
  }
  if (!identity) throw httpErrors.unauthorized('unknown ingest key');
  if (identity.role !== 'ingest') {
    throw httpErrors.unauthorized(`this is a ${identity.role} key; sending telemetry takes the project's ingest key`);
  }
  return identity.project.projectId;
}
