import { buildSpanTree } from '@tooltrace/conventions';
import { NotFoundError } from '../errors.ts';
import { type ApiRoute, defineRoute } from '../route.ts';
import { TraceDetail, TraceIdPath } from '../schemas.ts';
import type { RouteDeps } from './deps.ts';

export function traceRoutes({ store }: RouteDeps): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/traces/{traceId}',
      summary: 'Any trace of the project, whatever its kind (what a pasted requestId opens)',
      auth: true,
      params: TraceIdPath,
      ok: { description: 'the trace', schema: TraceDetail },
      async handle({ params }, { project }) {
        const trace = await store.getTrace(project.projectId, params.traceId);
        if (!trace) throw new NotFoundError(`no trace ${params.traceId} in this project`);
        return { ...trace, ...buildSpanTree(trace.logs) };
      },
    }),
  ];
}
