/**
 * Demo traffic: runs a small ActionKit-like service instrumented with the
 * tooltrace SDK against fake providers and a fake customer webhook, drives
 * realistic traffic through it, and exports everything to a collector over
 * real OTLP/HTTP. Resolves once every span and log has been flushed.
 *
 * The traffic is dated over the last ~24 hours (see time-shift.ts), so the
 * UI opens on a day of history; the newest steps happen now.
 *
 * The SDK is process-global, so runDemo starts it and shuts it down again; it
 * refuses to run while the process already has a tooltrace SDK running.
 */
import { randomBytes } from 'node:crypto';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { init } from '@tooltrace/instrumentation';
import { INTEGRATIONS, type Integration } from './catalog.ts';
import { startCustomerWebhooks } from './customer-webhooks.ts';
import { type FakeProvider, startFakeProvider } from './fake-providers.ts';
import { seededRandom } from './random.ts';
import { CONNECTIONS, PROVIDER_CONDITIONS, RECEIVER_PATTERN, runScenario } from './scenario.ts';
import { startDemoService } from './service.ts';
import { TimeShift } from './time-shift.ts';
import { spreadOverDay } from './timeline.ts';

export interface RunDemoOptions {
  /** Collector base URL, e.g. `http://127.0.0.1:4318`. */
  collectorUrl: string;
  /** Ingest key of the project the traffic belongs to. */
  ingestKey: string;
  /** tooltrace UI base URL; the demo's error bodies then link to their trace. */
  uiBaseUrl?: string;
  /** Progress lines; silent by default. */
  log?: (line: string) => void;
  /** Seed of the traffic's choices (IDs, parameters, record names, when each step happened). */
  seed?: number;
}

export interface DemoSummary {
  /** Tool calls made (each one ToolCall record). */
  toolCalls: number;
  /** Trigger events plus subscriptions traced (each one TriggerEvent record). */
  triggerEvents: number;
}

export const DEFAULT_DEMO_SEED = 20_261_128;
/** Mixed into the seed for dating the steps, so the timeline's PRNG does not replay the story's. */
const TIMELINE_SEED_SALT = 0x7_1e11e;

export class DemoExportError extends Error {
  override readonly name = 'DemoExportError';
}

export async function runDemo(options: RunDemoOptions): Promise<DemoSummary> {
  const log = options.log ?? (() => {});
  const random = seededRandom(options.seed ?? DEFAULT_DEMO_SEED);
  // The story is seeded; IDs also carry a per-run tag so a second run into the same store never reuses an event ID.
  const runTag = randomBytes(3).toString('hex');
  let sequence = 0;
  const newId = (prefix: string) => `${prefix}_${runTag}${random.hex(8)}${(sequence++).toString(36).padStart(3, '0')}`;

  const providers = {} as Record<Integration, FakeProvider>;
  for (const integration of INTEGRATIONS) {
    providers[integration] = await startFakeProvider(integration, PROVIDER_CONDITIONS[integration]);
  }
  const integrationByPort = new Map(
    INTEGRATIONS.map((integration) => [String(providers[integration].port), integration]),
  );

  const arrivals = new Map<string, (typeof RECEIVER_PATTERN)[number]>();
  const customer = await startCustomerWebhooks((deliveryId) => {
    let behaviour = arrivals.get(deliveryId);
    if (!behaviour) {
      behaviour = RECEIVER_PATTERN[arrivals.size % RECEIVER_PATTERN.length]!;
      arrivals.set(deliveryId, behaviour);
    }
    return behaviour;
  });

  const exportErrors: Error[] = [];
  const onExportError = (error: Error) => exportErrors.push(error);
  // The demo's own OTLP pipeline (the SDK's, plus the time shift). `init` runs its guarding processors
  // (redaction, response-body stripping) before these extra ones, so what is exported is guarded the same.
  const shift = new TimeShift();
  const collector = options.collectorUrl.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${options.ingestKey}` };
  const handle = init({
    serviceName: 'actionkit-demo',
    endpoint: options.collectorUrl, // init checks the URL; the exporters below send to it
    ...(options.uiBaseUrl ? { uiBaseUrl: options.uiBaseUrl } : {}),
    integrationOf: (url) => integrationByPort.get(url.port),
    exportToOtlp: false,
    spanProcessors: [
      shift.binder,
      new BatchSpanProcessor(
        shift.spanExporter(new OTLPTraceExporter({ url: `${collector}/v1/traces`, headers }), onExportError),
      ),
    ],
    logRecordProcessors: [
      shift.logBinder,
      new BatchLogRecordProcessor({
        exporter: shift.logExporter(new OTLPLogExporter({ url: `${collector}/v1/logs`, headers }), onExportError),
      }),
    ],
  });

  const service = await startDemoService({
    providers: Object.fromEntries(INTEGRATIONS.map((i) => [i, providers[i].url])) as Record<Integration, string>,
    connections: CONNECTIONS,
    newId,
  });
  let counts: DemoSummary;
  try {
    // Its own PRNG, so dating the steps does not change the story's choices.
    const timeline = seededRandom((options.seed ?? DEFAULT_DEMO_SEED) ^ TIMELINE_SEED_SALT);
    let secondsAgo: number[] = [];
    counts = await runScenario({
      service,
      providers,
      customer,
      random,
      log,
      beforeStep: (index, steps) => {
        if (index === 0) secondsAgo = spreadOverDay(steps, timeline);
        shift.shiftNewTracesBy(secondsAgo[index]!);
      },
    });
  } finally {
    // Shutting down is the final flush; its failures are already in exportErrors.
    await handle.shutdown().catch(() => {});
    await Promise.allSettled([service.close(), customer.close(), ...INTEGRATIONS.map((i) => providers[i].close())]);
  }
  if (exportErrors.length > 0) {
    throw new DemoExportError(
      `demo traffic did not reach the collector at ${options.collectorUrl}: ${exportErrors[0]!.message}`,
      { cause: exportErrors[0] },
    );
  }
  log(`exported to ${options.collectorUrl}`);
  return counts;
}
