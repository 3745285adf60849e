/** The OpenAPI 3.1 document, generated from the route table and its zod schemas. */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { ApiRoute } from './route.ts';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export function buildOpenApiDocument(routes: readonly ApiRoute[]): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'readKey', {
    type: 'http',
    scheme: 'bearer',
    description: "the project's read key (tt_read_…), strictly read-only; ingest keys are refused",
  });
  registry.registerComponent('securitySchemes', 'adminKey', {
    type: 'http',
    scheme: 'bearer',
    description: "the project's admin key (tt_admin_…): reads, and changes plan, retention, redaction and forwarding",
  });
  for (const route of routes) registry.registerPath(route.openapi);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'tooltrace query API',
      version: '1',
      license: { name: 'MIT', identifier: 'MIT' },
      description:
        'Read API behind the Tools and Triggers tabs. Trace IDs are accepted as 32 hex characters or as the requestId UUID. Errors are { error: { code, message } }.',
    },
    // Relative: the API is served by whichever tooltrace answered for this document.
    servers: [{ url: '/', description: 'this tooltrace server' }],
    security: [{ readKey: [] }, { adminKey: [] }],
  });
}
