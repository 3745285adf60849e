/**
 * `init()`: starts the OpenTelemetry NodeSDK that exports tooltrace spans and
 * logs over OTLP/HTTP protobuf.
 *
 * NodeSDK registers process-wide globals (tracer/logger providers, context
 * manager, propagator), so there is one active SDK per process: `init()` throws
 * while another is running, and `shutdown()` flushes, then unregisters
 * everything so a later `init()` (the next test, the next demo run) starts clean.
 *
 * Precedence for the exporters: options here, then the standard
 * `OTEL_EXPORTER_OTLP_*` variables (endpoint, headers, timeout, compression),
 * then the OTLP defaults.
 */

import type { Attributes } from '@opentelemetry/api';
import { context, propagation, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createProviderFetchInstrumentation, type IntegrationResolver, installFetchBodyCapture } from './auto-fetch.ts';
import { createHttpInstrumentation } from './auto-http.ts';
import { type ExportFailureKind, ExportFailureNotices } from './export-failures.ts';
import { GuardingLogRecordProcessor, GuardingSpanProcessor } from './processors.ts';
import type { Redactor } from './redaction.ts';
import { type ExportFailureListener, reportingExporter } from './reporting-exporter.ts';
import { applySettings, resetSettings, settings } from './settings.ts';
import type { ToolRoute } from './tool-routes.ts';

export interface InitOptions {
  serviceName: string;
  /** Collector base URL, e.g. `http://127.0.0.1:4318`; else `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  endpoint?: string;
  /** Project ingest key, sent as `Authorization: Bearer`; else whatever `OTEL_EXPORTER_OTLP_HEADERS` holds. */
  apiKey?: string;
  /** tooltrace UI base URL; error bodies then carry `meta.traceUrl`. */
  uiBaseUrl?: string;
  /** Maps attributes to what may be exported; defaults to masking authorization/token/password/secret keys. */
  redact?: Redactor;
  /** Cap of recorded error bodies, payloads and parameters, in bytes (default 16 KiB). */
  maxResponseBodyBytes?: number;
  /**
   * Trace outgoing HTTP requests made inside tool calls and triggers as provider requests: `fetch`/undici
   * and the `http`/`https` modules, through the official OpenTelemetry instrumentations (default true).
   */
  autoInstrumentFetch?: boolean;
  /**
   * Also trace incoming HTTP requests (SERVER spans) and Express routing, with the official
   * instrumentations (default false; `--import @tooltrace/instrumentation/register` turns it on).
   * They patch modules as they load, so the app's `http`/`express` must load after `init()`.
   */
  traceIncomingHttp?: boolean;
  /** Incoming requests that are tool calls, without code: see `parseToolRoutes` (needs `traceIncomingHttp`). */
  toolRoutes?: readonly ToolRoute[];
  /** Names the integration of an auto-traced provider URL. */
  integrationOf?: IntegrationResolver;
  resourceAttributes?: Attributes;
  /** Extra processors, after tooltrace's own (e.g. an in-memory exporter in tests). */
  spanProcessors?: SpanProcessor[];
  logRecordProcessors?: LogRecordProcessor[];
  /** Called for every batch of spans or logs that could not be exported. */
  onExportError?: ExportFailureListener;
  /**
   * Say the first export failure of each kind (wrong key, collector unreachable, batch too large or
   * rejected) once through `diag` and `console.warn`, with the collector's message (default true).
   */
  warnOnExportError?: boolean;
  /** Set false to export only to the extra processors (unit tests, a custom pipeline). Default true. */
  exportToOtlp?: boolean;
}

export interface TooltraceHandle {
  readonly sdk: NodeSDK;
  /** Exports everything ended so far. */
  forceFlush(): Promise<void>;
  /** Export failures so far, by kind. */
  exportFailures(): Partial<Record<ExportFailureKind, number>>;
  /** Flushes, stops the SDK and unregisters its globals. Safe to call twice. */
  shutdown(): Promise<void>;
}

let active: TooltraceHandle | null = null;

export class AlreadyInitializedError extends Error {
  override readonly name = 'AlreadyInitializedError';
  constructor() {
    super(
      'tooltrace init() was already called in this process; call shutdown() on its handle before calling init() again',
    );
  }
}

/** The handle of the running SDK, if `init()` was called and not shut down. */
export function activeHandle(): TooltraceHandle | null {
  return active;
}

function otlpUrl(endpoint: string, signalPath: string): string {
  return `${endpoint.replace(/\/+$/, '')}/${signalPath}`;
}

export function init(options: InitOptions): TooltraceHandle {
  if (active) throw new AlreadyInitializedError();
  if (!options.serviceName) throw new TypeError('init: serviceName is required');
  if (options.endpoint !== undefined && !/^https?:$/.test(URL.parse(options.endpoint)?.protocol ?? '')) {
    throw new TypeError(
      `init: endpoint must be an absolute URL like http://127.0.0.1:4318, got ${JSON.stringify(options.endpoint)}`,
    );
  }
  if (
    options.maxResponseBodyBytes !== undefined &&
    !(Number.isInteger(options.maxResponseBodyBytes) && options.maxResponseBodyBytes > 0)
  ) {
    throw new TypeError(`init: maxResponseBodyBytes must be a positive integer, got ${options.maxResponseBodyBytes}`);
  }
  applySettings({
    uiBaseUrl: options.uiBaseUrl,
    redact: options.redact,
    maxResponseBodyBytes: options.maxResponseBodyBytes,
  });

  const headers = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : undefined;
  const exportToOtlp = options.exportToOtlp ?? true;
  const notices = new ExportFailureNotices(options.warnOnExportError === false ? () => {} : undefined);
  const onExportError: ExportFailureListener = (error, signal) => {
    notices.report(error, signal);
    options.onExportError?.(error, signal);
  };
  const spanProcessors: SpanProcessor[] = [new GuardingSpanProcessor(() => settings().redact)];
  const logRecordProcessors: LogRecordProcessor[] = [new GuardingLogRecordProcessor(() => settings().redact)];
  if (exportToOtlp) {
    spanProcessors.push(
      new BatchSpanProcessor(
        reportingExporter(
          new OTLPTraceExporter({
            ...(options.endpoint ? { url: otlpUrl(options.endpoint, 'v1/traces') } : {}),
            ...(headers ? { headers } : {}),
          }),
          'traces',
          onExportError,
        ),
      ),
    );
    logRecordProcessors.push(
      new BatchLogRecordProcessor({
        exporter: reportingExporter(
          new OTLPLogExporter({
            ...(options.endpoint ? { url: otlpUrl(options.endpoint, 'v1/logs') } : {}),
            ...(headers ? { headers } : {}),
          }),
          'logs',
          onExportError,
        ),
      }),
    );
  }
  spanProcessors.push(...(options.spanProcessors ?? []));
  logRecordProcessors.push(...(options.logRecordProcessors ?? []));

  const autoFetch = options.autoInstrumentFetch ?? true;
  const incoming = options.traceIncomingHttp ?? false;
  const instrumentations: Instrumentation[] = [];
  if (autoFetch || incoming) {
    instrumentations.push(
      createHttpInstrumentation({
        incoming,
        outgoing: autoFetch,
        toolRoutes: options.toolRoutes ?? [],
        integrationOf: options.integrationOf,
      }),
    );
  }
  if (autoFetch) instrumentations.push(createProviderFetchInstrumentation(options.integrationOf));
  if (incoming) instrumentations.push(new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }));
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    resource: resourceFromAttributes(options.resourceAttributes ?? {}),
    spanProcessors,
    logRecordProcessors,
    instrumentations,
    // tooltrace reads traces and logs only; without this NodeSDK would also export metrics to the OTLP default.
    metricReaders: [],
  });
  sdk.start();
  const uninstallFetch = autoFetch ? installFetchBodyCapture() : () => {};

  let stopped: Promise<void> | null = null;
  const handle: TooltraceHandle = {
    sdk,
    exportFailures: () => notices.counts(),
    async forceFlush() {
      await Promise.all([...spanProcessors, ...logRecordProcessors].map((processor) => processor.forceFlush()));
    },
    shutdown() {
      stopped ??= (async () => {
        uninstallFetch();
        try {
          await sdk.shutdown();
        } finally {
          // NodeSDK leaves its instrumentations subscribed and its globals registered.
          for (const instrumentation of instrumentations) instrumentation.disable();
          trace.disable();
          logs.disable();
          context.disable();
          propagation.disable();
          resetSettings();
          if (active === handle) active = null;
        }
      })();
      return stopped;
    },
  };
  active = handle;
  return handle;
}
