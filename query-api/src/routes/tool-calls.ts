/** The Tools tab: list (with export), live feed, and the Log Trace view of one trace. */
import { ToolCallSchema } from '@tooltrace/conventions';
import { compareWithLastSuccess } from '../compare.ts';
import { type ApiRoute, defineRoute } from '../route.ts';
import {
  CompareQuery,
  ToolCallComparison,
  ToolCallFiltersQuery,
  ToolCallListQuery,
  ToolCallPage,
  ToolCall as ToolCallRecord,
  TraceIdPath,
} from '../schemas.ts';
import { pageJson, toolCallJson } from '../serialise.ts';
import type { RouteDeps } from './deps.ts';
import { listOrExport } from './list-or-export.ts';
import { liveFeedHandler } from './live-feed-route.ts';

export const TOOL_CALL_COLUMNS = Object.keys(ToolCallSchema.shape);

export function toolCallRoutes(deps: RouteDeps): ApiRoute[] {
  const { store } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/tool-calls',
      summary: 'List tool calls, newest first',
      description:
        'One page of tool calls matching the filters; with format=csv|ndjson, a download of every matching row.',
      auth: true,
      query: ToolCallListQuery,
      ok: { description: 'a page of tool calls', schema: ToolCallPage },
      alternatives: [
        { description: 'CSV export (format=csv)', contentType: 'text/csv' },
        { description: 'NDJSON export, one ToolCall per line (format=ndjson)', contentType: 'application/x-ndjson' },
      ],
      handle: listOrExport(deps, 'tool-calls', TOOL_CALL_COLUMNS, async (projectId, filters, page) =>
        pageJson(await store.listToolCalls(projectId, filters, page), toolCallJson),
      ),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/tool-calls/stream',
      summary: 'Live feed of new tool calls (Server-Sent Events)',
      description:
        'Sends `event: tool-call` with a ToolCall as `data:` for each new row matching the filters; comment lines as heartbeats.',
      auth: true,
      query: ToolCallFiltersQuery,
      ok: {
        description: 'an event stream of ToolCall records',
        contentType: 'text/event-stream',
        schema: ToolCallRecord,
      },
      handle: liveFeedHandler(deps, (projectId, filters, page) => store.listToolCalls(projectId, filters, page), {
        event: 'tool-call',
        keyOf: (row) => `${row.traceId}:${row.spanId}`,
        timeOf: (row) => row.startedAtMs,
        toJson: toolCallJson,
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/tool-calls/{traceId}/compare',
      summary: 'A call beside the last successful call of the same tool before it',
      description:
        "The call (spanId, else the trace's first failed call) and the last success of the same tool and integration before it, for the same user when the call has one: a structural diff of the parameters (last success → this call) and both calls' provider requests aligned by method, host and path. baseline is null when there is no earlier success.",
      auth: true,
      params: TraceIdPath,
      query: CompareQuery,
      ok: { description: 'the comparison', schema: ToolCallComparison },
      handle: ({ params, query }, { project }) =>
        compareWithLastSuccess(store, project.projectId, params.traceId, query.spanId),
    }),
  ];
}
