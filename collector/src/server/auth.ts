/**
 * Ingest keys (DESIGN §5): `Authorization: Bearer <key>` or `x-api-key`, as
 * HTTP headers or gRPC metadata alike. The project comes from the key alone;
 * read keys cannot ingest.
 */
import { type AuthThrottle, throttledMessage } from '@tooltrace/conventions';
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

/** Who is asking, for the failed-authentication throttle. */
export interface AuthClient {
  address: string;
  throttle: AuthThrottle;
}

/**
 * The project ID of the request's ingest key; throws a 401 (or 503 when the
 * store cannot answer). Failures count against the client's address; past the
 * throttle's limit a failure is a 429 with Retry-After instead of a 401.
 */
export async function authenticateIngest(
  store: Pick<Store, 'authenticate'>,
  source: KeySource,
  client?: AuthClient,
): Promise<string> {
  const refuse = (message: string): never => {
    const verdict = client?.throttle.fail(client.address);
    if (verdict?.throttled) {
      throw httpErrors.overloaded(throttledMessage(verdict.retryAfterSeconds), verdict.retryAfterSeconds);
    }
    throw httpErrors.unauthorized(message);
  };
  const key = keyOf(source);
  if (!key) return refuse('missing ingest key: send "Authorization: Bearer <ingestKey>" or "x-api-key: <ingestKey>"');
  let identity: Awaited<ReturnType<Store['authenticate']>>;
  try {
    identity = await store.authenticate(key);
  } catch (error) {
    throw httpErrors.unavailable(`cannot check the ingest key now: ${(error as Error).message}`, 5);
  }
  if (!identity) return refuse('unknown ingest key');
  if (identity.role !== 'ingest') {
    return refuse(`this is a ${identity.role} key; sending telemetry takes the project's ingest key`);
  }
  return identity.project.projectId;
}
