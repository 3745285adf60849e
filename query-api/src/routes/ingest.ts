/** What arrived for the project and what became of it (the collector records it; see collector README). */
import { ProjectIngestSchema } from '@tooltrace/conventions';
import { type ApiRoute, defineRoute } from '../route.ts';
import type { RouteDeps } from './deps.ts';

export function ingestRoutes({ store }: RouteDeps): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/project/ingest',
      summary: 'Items accepted, rejected and throttled over the last 24 h and 7 d, by reason and by sender',
      description:
        'Counts are spans and log records where the request was decoded; a request refused before that ' +
        '(wrong media type, too large, throttled) counts as one under the sender "(refused before decoding)". ' +
        '`lastRejections` holds the newest message of each kind. Log records outside a trace are rejected ' +
        '(kind `log_without_trace`): tooltrace keeps logs per trace. Each sender row carries `sampleTraces`: its ' +
        'newest traces (up to 3) in which none of its spans was a tool call or trigger event.',
      auth: true,
      ok: { description: 'the ingest status', schema: ProjectIngestSchema.meta({ id: 'ProjectIngest' }) },
      handle: (_input, { project }) => store.ingestStatus.summary(project.projectId),
    }),
  ];
}
