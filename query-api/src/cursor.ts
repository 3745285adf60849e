/**
 * Opaque, tamper-proof page cursors. The store's own cursor is wrapped with an
 * HMAC over the list, the project and the list's filters, so a cursor cannot be
 * forged, edited, replayed on another project, or reused with other filters:
 * any of those is a 400 instead of reaching the store.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { BadRequestError } from './errors.ts';

export interface CursorScope {
  list: 'tool-calls' | 'trigger-events';
  projectId: string;
  /** The normalised filters of the list (not the page size, which may change between pages). */
  filters: object;
}

export const INVALID_CURSOR_MESSAGE =
  'query parameter "cursor": not a cursor of this list with these filters; pass back the nextCursor of the previous page unchanged, with the same filters';

export class CursorSigner {
  readonly #secret: Buffer;

  /** Without a secret, one is made per process: cursors then stop working across restarts, which is fine for pages. */
  constructor(secret?: string | Buffer) {
    this.#secret = secret === undefined ? randomBytes(32) : Buffer.from(secret);
    if (this.#secret.length < 16) throw new RangeError('cursor secret must be at least 16 bytes');
  }

  wrap(scope: CursorScope, storeCursor: string): string {
    const payload = Buffer.from(storeCursor, 'utf8').toString('base64url');
    return `${payload}.${this.#mac(scope, payload).toString('base64url')}`;
  }

  /** The store cursor inside a token, or a 400 when the token was not made by {@link wrap} for this scope. */
  unwrap(scope: CursorScope, token: string): string {
    const [payload, mac, ...rest] = token.split('.');
    if (!payload || !mac || rest.length > 0) throw new BadRequestError(INVALID_CURSOR_MESSAGE, 'invalid_cursor');
    const given = Buffer.from(mac, 'base64url');
    const expected = this.#mac(scope, payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new BadRequestError(INVALID_CURSOR_MESSAGE, 'invalid_cursor');
    }
    return Buffer.from(payload, 'base64url').toString('utf8');
  }

  #mac(scope: CursorScope, payload: string): Buffer {
    const bound = JSON.stringify([scope.list, scope.projectId, canonical(scope.filters), payload]);
    return createHmac('sha256', this.#secret).update(bound).digest();
  }
}

/** Filters as sorted [key, value] pairs without absent keys, so equal filters always sign the same. */
function canonical(filters: object): [string, unknown][] {
  return Object.entries(filters)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
