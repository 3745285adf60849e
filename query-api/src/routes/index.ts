/** The whole route table, in matching order (`/stream` before `/{traceId}`). */
import { z } from 'zod';
import { buildOpenApiDocument, type OpenApiDocument } from '../openapi.ts';
import { type ApiRoute, defineRoute } from '../route.ts';
import { Health } from '../schemas.ts';
import type { RouteDeps } from './deps.ts';
import { errorGroupRoutes } from './error-groups.ts';
import { facetRoutes } from './facets.ts';
import { forwardingRoutes } from './forwarding.ts';
import { histogramRoutes } from './histograms.ts';
import { ingestRoutes } from './ingest.ts';
import { redactionRoutes } from './redaction.ts';
import { retentionRoutes } from './retention.ts';
import { toolCallRoutes } from './tool-calls.ts';
import { traceRoutes } from './traces.ts';
import { triggerEventRoutes } from './trigger-events.ts';

export type { RouteDeps } from './deps.ts';

export function createRoutes(deps: RouteDeps): ApiRoute[] {
  let document: OpenApiDocument | undefined;
  const routes: ApiRoute[] = [
    defineRoute({
      method: 'get',
      path: '/health',
      summary: 'Liveness probe',
      auth: false,
      ok: { description: 'the server is up', schema: Health },
      handle: async () => ({ status: 'ok' as const }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/openapi.json',
      summary: 'This OpenAPI 3.1 document',
      auth: false,
      ok: { description: 'the OpenAPI document', schema: z.record(z.string(), z.unknown()) },
      handle: async () => {
        document ??= buildOpenApiDocument(routes);
        // The generator's document type has no index signature; it is a plain JSON object all the same.
        return document as unknown as Record<string, unknown>;
      },
    }),
    ...toolCallRoutes(deps),
    ...errorGroupRoutes(deps),
    ...triggerEventRoutes(deps),
    ...traceRoutes(deps),
    ...facetRoutes(deps),
    ...histogramRoutes(deps),
    ...retentionRoutes(deps),
    ...ingestRoutes(deps),
    ...redactionRoutes(deps),
    ...forwardingRoutes(deps),
  ];
  return routes;
}
