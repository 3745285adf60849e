/** Items per sender (`service.name` of the resource), for the project's ingest status. */
import { ATTR_SERVICE_NAME, getOwn, setOwn } from '@tooltrace/conventions';
import type { OtlpAttributes } from '../otlp/types.ts';
import { attrString } from './attributes.ts';

export type SenderCounts = Record<string, { accepted: number; rejected: number }>;

/** What the OpenTelemetry SDKs call a service that set no name. */
export const UNKNOWN_SERVICE = 'unknown_service';

export function senderOf(resource: OtlpAttributes): string {
  return attrString(resource, ATTR_SERVICE_NAME) || UNKNOWN_SERVICE;
}

/** `service.name` is the sender's to choose, so `__proto__` or `constructor` must count as names. */
export function countSender(senders: SenderCounts, sender: string, outcome: 'accepted' | 'rejected'): void {
  let counts = getOwn(senders, sender);
  if (!counts) {
    counts = { accepted: 0, rejected: 0 };
    setOwn(senders, sender, counts);
  }
  counts[outcome] += 1;
}
