/** The Triggers tab: list (with export), live feed, and the detail panel of one event. */
import { TriggerEventSchema } from '@tooltrace/conventions';
import { NotFoundError } from '../errors.ts';
import { type ApiRoute, defineRoute } from '../route.ts';
import {
  EventIdPath,
  TriggerEventDetail,
  TriggerEventFiltersQuery,
  TriggerEventListQuery,
  TriggerEventPage,
  TriggerEvent as TriggerEventRecord,
} from '../schemas.ts';
import { pageJson, triggerEventDetailJson, triggerEventJson } from '../serialise.ts';
import type { RouteDeps } from './deps.ts';
import { listOrExport } from './list-or-export.ts';
import { liveFeedHandler } from './live-feed-route.ts';

export const TRIGGER_EVENT_COLUMNS = Object.keys(TriggerEventSchema.shape);

export function triggerEventRoutes(deps: RouteDeps): ApiRoute[] {
  const { store } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/trigger-events',
      summary: 'List trigger events and subscriptions, newest first',
      description:
        'One page of trigger events matching the filters; with format=csv|ndjson, a download of every matching row (userIds joined with ";" in CSV).',
      auth: true,
      query: TriggerEventListQuery,
      ok: { description: 'a page of trigger events', schema: TriggerEventPage },
      alternatives: [
        { description: 'CSV export (format=csv)', contentType: 'text/csv' },
        {
          description: 'NDJSON export, one TriggerEvent per line (format=ndjson)',
          contentType: 'application/x-ndjson',
        },
      ],
      handle: listOrExport(deps, 'trigger-events', TRIGGER_EVENT_COLUMNS, async (projectId, filters, page) =>
        pageJson(await store.listTriggerEvents(projectId, filters, page), triggerEventJson),
      ),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/trigger-events/stream',
      summary: 'Live feed of new and changed trigger events (Server-Sent Events)',
      description:
        'Sends `event: trigger-event` with a TriggerEvent as `data:` for each new row matching the filters, and again when its status or fields change.',
      auth: true,
      query: TriggerEventFiltersQuery,
      ok: {
        description: 'an event stream of TriggerEvent records',
        contentType: 'text/event-stream',
        schema: TriggerEventRecord,
      },
      handle: liveFeedHandler(deps, (projectId, filters, page) => store.listTriggerEvents(projectId, filters, page), {
        event: 'trigger-event',
        keyOf: (row) => row.traceId,
        timeOf: (row) => row.receivedAtMs,
        toJson: triggerEventJson,
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/trigger-events/{eventId}',
      summary: 'One trigger event with its deliveries and logs',
      auth: true,
      params: EventIdPath,
      ok: { description: 'the trigger event', schema: TriggerEventDetail },
      async handle({ params }, { project }) {
        const detail = await store.getTriggerEvent(project.projectId, params.eventId);
        if (!detail) throw new NotFoundError(`no trigger event ${JSON.stringify(params.eventId)} in this project`);
        return triggerEventDetailJson(detail);
      },
    }),
  ];
}
