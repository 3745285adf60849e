/** Items per sender (`service.name` of the resource), for the project's ingest status. */
import { ATTR_SERVICE_NAME } from '@tooltrace/conventions';
import type { OtlpAttributes } from '../otlp/types.ts';
import { attrString } from './attributes.ts';

export type SenderCounts = Record<string, { accepted: number; rejected: number }>;

/** What the OpenTelemetry SDKs call a service that set no name. */
export const UNKNOWN_SERVICE = 'unknown_service';

export function senderOf(resource: OtlpAttributes): string {
  return attrString(resource, ATTR_SERVICE_NAME) || UNKNOWN_SERVICE;
}

export function countSender(senders: SenderCounts, sender: string, outcome: 'accepted' | 'rejected'): void {
  if (!Object.hasOwn(senders, sender)) senders[sender] = { accepted: 0, rejected: 0 };
  senders[sender]![outcome] += 1;
}
