/** Words of the trigger event panel that depend on what the event is and how it ended. */
import type { TriggerEvent } from '@tooltrace/conventions';

/** What an empty deliveries list means: never "not yet" for an event that failed for good. */
export function noDeliveriesText(event: Pick<TriggerEvent, 'type' | 'status' | 'integration'>): string {
  const where = event.integration ?? 'the integration';
  if (event.type === 'subscription') {
    return event.status === 'processing_failure'
      ? `The webhook could not be created in ${where}, so no events will be delivered for this subscription. The attempts are in the logs below.`
      : `A subscription makes no deliveries itself: it creates a webhook in ${where} (see the logs below); the events that webhook sends are listed as their own rows.`;
  }
  if (event.status === 'processing_failure') {
    return 'Nothing was delivered: processing failed before any delivery, and no retry will follow. The failing step is in the logs below.';
  }
  return 'No deliveries yet. Events are delivered once processing finishes; queued events show up here as they go out.';
}
