/**
 * The one place a stored request becomes what each destination gets: cut to
 * the destination's filter (./forwardable.ts) and encoded in its encoding
 * (./otlp-encode.ts), uncompressed (the sender gzips when it sends, after
 * merging batches). Pure and fed plain data, so it runs in the decode stage —
 * inline or in a decode worker — and the HTTP thread only appends the bodies
 * to the outbox.
 */
import type { ForwardDestination } from '@tooltrace/conventions';
import { ownedBytes } from '@tooltrace/store/worker-threads';
import type { OtlpEncoding, OtlpRequest } from '../otlp/types.ts';
import { forwardable } from './forwardable.ts';
import { encodeOtlp } from './otlp-encode.ts';

/** What the decode stage needs of one enabled destination (structured-cloneable). */
export type ForwardTarget = Pick<ForwardDestination, 'id' | 'filter' | 'encoding'>;

/** One destination's copy of an accepted request, ready for the outbox. */
export interface ForwardBody {
  destinationId: string;
  encoding: OtlpEncoding;
  /** Spans or log records it holds. */
  items: number;
  /** The OTLP body in `encoding`, uncompressed; it owns its whole ArrayBuffer, so a worker can transfer it. */
  payload: Uint8Array;
}

export function forwardTargets(destinations: readonly ForwardDestination[]): ForwardTarget[] {
  return destinations.filter((d) => d.enabled).map(({ id, filter, encoding }) => ({ id, filter, encoding }));
}

/** One body per target the stored request has something for (a filter that keeps nothing sends nothing). */
export function forwardBodies(stored: OtlpRequest, targets: readonly ForwardTarget[]): ForwardBody[] {
  const bodies: ForwardBody[] = [];
  for (const target of targets) {
    const { request, items } = forwardable(stored, target.filter);
    if (items === 0) continue;
    const payload = ownedBytes(encodeOtlp(request, target.encoding));
    bodies.push({ destinationId: target.id, encoding: target.encoding, items, payload });
  }
  return bodies;
}
