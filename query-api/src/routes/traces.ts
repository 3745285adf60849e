/** The trace detail views: any trace (what a pasted requestId opens) and a tool call's trace. */
import { buildSpanTree, type SpanTree } from '@tooltrace/conventions';
import type { Store } from '@tooltrace/store';
import type { z } from 'zod';
import { NotFoundError } from '../errors.ts';
import { type ApiRoute, defineRoute } from '../route.ts';
import { ToolCallTrace, TraceDetail, TraceIdPath } from '../schemas.ts';
import { traceJson } from '../serialise.ts';
import type { RouteDeps } from './deps.ts';

type TraceWithTree = ReturnType<typeof traceJson> & SpanTree;

/**
 * The stored trace with its span tree and warnings, built here, once, from its logs (DESIGN §6);
 * a NotFoundError when the project has no such trace.
 */
async function traceWithTree(store: Store, projectId: string, traceId: string): Promise<TraceWithTree> {
  const trace = await store.getTrace(projectId, traceId);
  if (!trace) throw new NotFoundError(`no trace ${traceId} in this project`);
  const json = traceJson(trace);
  return { ...json, ...buildSpanTree(json.logs) };
}

export function traceRoutes({ store }: RouteDeps): ApiRoute[] {
  const traceRoute = <R extends z.ZodType>(
    path: string,
    summary: string,
    ok: { description: string; schema: R },
    answer: (trace: TraceWithTree) => z.input<R>,
  ) =>
    defineRoute({
      method: 'get',
      path,
      summary,
      auth: true,
      params: TraceIdPath,
      ok,
      handle: async ({ params }, { project }) => answer(await traceWithTree(store, project.projectId, params.traceId)),
    });
  return [
    traceRoute(
      '/api/v1/traces/{traceId}',
      'Any trace of the project, whatever its kind (what a pasted requestId opens)',
      { description: 'the trace', schema: TraceDetail },
      (trace) => trace,
    ),
    traceRoute(
      '/api/v1/tool-calls/{traceId}',
      'The tool call(s) of one trace, its logs and span tree',
      { description: 'the trace of a tool call', schema: ToolCallTrace },
      ({ toolCalls, logs, spans, warnings }) => ({ toolCalls, logs, spans, warnings }),
    ),
  ];
}
