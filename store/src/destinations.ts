/**
 * Destination records, the same for every backend: checking input against
 * the conventions schemas, new IDs, applying a patch. Each backend only keeps
 * the resulting records.
 */
import { randomBytes } from 'node:crypto';
import {
  type ForwardDestination,
  InvalidDestinationError,
  parseDestinationInput,
  parseDestinationPatch,
} from '@tooltrace/conventions';

/** A project keeps at most this many destinations: each one is a sender and an outbox. */
export const MAX_DESTINATIONS_PER_PROJECT = 10;

export function newDestination(projectId: string, input: unknown, existing: number, now: number): ForwardDestination {
  const parsed = parseDestinationInput(input);
  if (existing >= MAX_DESTINATIONS_PER_PROJECT) {
    throw new InvalidDestinationError(
      `destinations: a project has at most ${MAX_DESTINATIONS_PER_PROJECT}; delete one before adding another`,
    );
  }
  const at = new Date(now).toISOString();
  return { id: `dst_${randomBytes(9).toString('base64url')}`, projectId, ...parsed, createdAt: at, updatedAt: at };
}

export function patchedDestination(current: ForwardDestination, patch: unknown, now: number): ForwardDestination {
  const changes = parseDestinationPatch(patch);
  return { ...current, ...changes, updatedAt: new Date(Math.max(now, Date.parse(current.createdAt))).toISOString() };
}

/** Destination IDs are ours: anything else cannot name one (and never reaches a query). */
export function isDestinationId(value: string): boolean {
  return typeof value === 'string' && /^dst_[A-Za-z0-9_-]{1,40}$/.test(value);
}
