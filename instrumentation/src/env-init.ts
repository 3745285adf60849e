/**
 * The SDK configured from the environment alone, for
 * `node --import @tooltrace/instrumentation/register app.js`.
 */
import type { InitOptions } from './init.ts';
import { parseToolRoutes } from './tool-routes.ts';

/** OpenTelemetry's name for a service that did not say its name. */
export const UNKNOWN_SERVICE = 'unknown_service:node';

/**
 * `OTEL_SERVICE_NAME`, `TOOLTRACE_INGEST_KEY` (else `OTEL_EXPORTER_OTLP_HEADERS`), `TOOLTRACE_UI_URL`,
 * `TOOLTRACE_TOOL_ROUTES`; the endpoint and the rest of `OTEL_EXPORTER_OTLP_*` the exporters read themselves.
 */
export function optionsFromEnvironment(env: NodeJS.ProcessEnv): InitOptions {
  const routes = env.TOOLTRACE_TOOL_ROUTES?.trim();
  return {
    serviceName: env.OTEL_SERVICE_NAME?.trim() || UNKNOWN_SERVICE,
    ...(env.TOOLTRACE_INGEST_KEY ? { apiKey: env.TOOLTRACE_INGEST_KEY.trim() } : {}),
    ...(env.TOOLTRACE_UI_URL ? { uiBaseUrl: env.TOOLTRACE_UI_URL.trim() } : {}),
    traceIncomingHttp: true,
    toolRoutes: routes ? parseToolRoutes(routes) : [],
  };
}
