/** The Triggers tab: list (with export), live feed, and the detail panel of one event. */
import { type TriggerEvent, TriggerEventSchema } from '@tooltrace/conventions';
import { NotFoundError } from '../errors.ts';
import { EXPORT_PAGE_SIZE } from '../export.ts';
import { serveLiveFeed } from '../live-feed.ts';
import { type ApiRoute, defineRoute, STREAMED } from '../route.ts';
import {
  EventIdPath,
  TriggerEventDetail,
  TriggerEventFiltersQuery,
  TriggerEventListQuery,
  TriggerEventPage,
  TriggerEvent as TriggerEventRecord,
} from '../schemas.ts';
import { type RouteDeps, windowFilters } from './deps.ts';
import { listOrExport } from './list-or-export.ts';

export const TRIGGER_EVENT_COLUMNS = Object.keys(TriggerEventSchema.shape);

export function triggerEventRoutes({ store, cursors, liveFeed, streams, now }: RouteDeps): ApiRoute[] {
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
      handle: listOrExport({ cursors, now }, 'trigger-events', TRIGGER_EVENT_COLUMNS, (projectId, filters, page) =>
        store.listTriggerEvents(projectId, filters, page),
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
      async handle({ query }, { project, req, res }) {
        await serveLiveFeed<TriggerEvent>(
          req,
          res,
          {
            event: 'trigger-event',
            recent: async (since) => {
              const filters = windowFilters(query, since);
              if (!filters) return [];
              return (await store.listTriggerEvents(project.projectId, filters, { limit: EXPORT_PAGE_SIZE })).items;
            },
            keyOf: (row) => row.traceId,
            timeOf: (row) => Date.parse(row.receivedAt),
          },
          liveFeed,
          streams.acquire(project.projectId),
          now,
        );
        return STREAMED;
      },
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
        return detail;
      },
    }),
  ];
}
