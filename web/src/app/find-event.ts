/**
 * What an ID pasted into the Triggers tab's search names: a trigger event (by its event ID), or a
 * delivery (`?deliveryId=` finds the event whose trace holds it). Two reads at most, event first.
 */
import { type ApiClient, ApiError } from '../api/client.ts';
import { type Route, routePath } from '../model/routes.ts';

export type FoundEvent = { by: 'event' | 'delivery'; path: string } | null;

export async function findEvent(api: ApiClient, id: string, signal?: AbortSignal): Promise<FoundEvent> {
  try {
    await api.triggerEvent(id, signal);
    return { by: 'event', path: routePath({ name: 'event', eventId: id }) };
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
  const page = await api.triggerEvents(new URLSearchParams({ deliveryId: id, limit: '1' }), signal);
  const event = page.items[0];
  if (!event) return null;
  // An event whose root span has not arrived has no event ID yet; its trace shows what is known.
  const route: Route = event.eventId
    ? { name: 'event', eventId: event.eventId }
    : { name: 'trace', traceId: event.traceId, valid: true, tab: 'triggers' };
  return { by: 'delivery', path: routePath(route) };
}
