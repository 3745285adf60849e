/**
 * The first pass both mappers make over a request: every span or log record
 * is counted per sender, and either rejected (its reason and place kept for
 * `partial_success` and the stored-request cut) or handed on with its
 * resource. One walk, so traces and logs count and reject alike.
 */
import { forEachItem } from '../otlp/request-groups.ts';
import type { OtlpAttributes, OtlpRequest } from '../otlp/types.ts';
import type { MappingRejections } from './options.ts';
import { countSender, senderOf } from './senders.ts';

/**
 * Calls `accept` for every item `problem` finds nothing wrong with, handing it
 * the item's resource and the warnings to add to; returns counts and reasons.
 */
export function admitItems<T extends { ref: string }>(
  decoded: OtlpRequest,
  problem: (item: T) => string | null,
  accept: (item: T, resource: OtlpAttributes, warnings: string[]) => void,
): MappingRejections {
  const out: MappingRejections = { received: 0, senders: {}, rejected: 0, reasons: [], rejectedRefs: [], warnings: [] };
  let resourceOf: OtlpAttributes | null = null;
  let sender = '';
  forEachItem<T>(decoded, (item, resource) => {
    if (resource !== resourceOf) {
      resourceOf = resource;
      sender = senderOf(resource);
    }
    out.received += 1;
    const reason = problem(item);
    countSender(out.senders, sender, reason ? 'rejected' : 'accepted');
    if (reason) {
      out.reasons.push(reason);
      out.rejectedRefs.push(item.ref);
    } else {
      accept(item, resource, out.warnings);
    }
  });
  out.rejected = out.reasons.length;
  return out;
}
