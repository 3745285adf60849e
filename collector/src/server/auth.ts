/**
 * Ingest keys (DESIGN §5): `Authorization: Bearer <key>` or `x-api-key`, as
 * HTTP headers or gRPC metadata alike. The project comes from the key alone;
 * read keys cannot ingest.
 */
import type { Store } from '@tooltrace/store';
import { httpErrors } from './http-error.ts';

/** Reads one header (HTTP) or metadata entry (gRPC) by its lower-case name. */
export type KeySource = (name: 'authorization' | 'x-api-key') => string | undefined;

export function keyOf(source: KeySource): string | null {
  const authorization = source('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1]!;
  }
  return source('x-api-key')?.trim() || null;
}

/** Headers of an HTTP request as a key source. */
export function headerSource(headers: Record<string, string | string[] | undefined>): KeySource {
  return (name) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
}

/** The project ID of the request's ingest key; throws a 401 (or 503 when the store cannot answer). */
export async function authenticateIngest(store: Pick<Store, 'authenticate'>, source: KeySource): Promise<string> {
  const key = keyOf(source);
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
