import fs from 'node:fs/promises';
import path from 'node:path';
import { createForwarding, startCollector, testDestination } from '@tooltrace/collector';
import type { Logger } from '@tooltrace/conventions';
import { type ForwardingControl, startQueryApi } from '@tooltrace/query-api';
import type { Store } from '@tooltrace/store';
import type { Command } from 'commander';
import { type Config, loadConfig } from '../config.ts';
import { runDemo } from '../demo/index.ts';
import { type DemoKeys, ensureDemoProject, findDemoProject } from '../demo-project.ts';
import { createLogger } from '../logger.ts';
import { openStore } from '../open-store.ts';
import { webUiDir } from '../web-ui-dir.ts';

type Closers = Array<() => Promise<void>>;

/** The collector with its forwarding (outbox local to this process); its status also goes to the store. */
async function startCollectorPart(config: Config, store: Store, logger: Logger, closers: Closers) {
  await fs.mkdir(path.dirname(config.forwarding.outboxPath), { recursive: true });
  const forwarding = createForwarding({
    destinations: store.destinations,
    outboxPath: config.forwarding.outboxPath,
    allowPrivate: config.forwarding.allowPrivate,
    limits: { maxBytes: config.forwarding.maxQueueBytes, maxAgeMs: config.forwarding.maxQueueAgeMs },
    logger: logger.child({ component: 'forwarding' }),
  });
  // Shut down after the collector stopped taking requests (closers run in reverse).
  closers.push(() => forwarding.shutdown());
  const collector = await startCollector({
    store,
    host: config.host,
    port: config.collectorPort,
    grpcPort: config.grpcPort,
    maxBodyBytes: config.maxBodyBytes,
    maxInflightBytes: config.maxInflightBytes,
    maxRetryAfterSeconds: config.maxRetryAfterSeconds,
    decodeWorkers: config.decodeWorkers,
    // The store writes in a thread of its own (either backend): one batch waits there while another is written.
    writeQueue: { concurrency: 2 },
    accepted: forwarding,
    logger: logger.child({ component: 'collector' }),
  });
  closers.push(() => collector.close());
  return { collector, forwarding };
}

/**
 * Forwarding as an API alone sees it (TOOLTRACE_SERVE=api): status from the
 * reports the collector writes to the store, the test probe sent from here.
 */
function forwardingFromApi(config: Config): ForwardingControl {
  const allowPrivate = config.forwarding.allowPrivate;
  return {
    allowPrivate,
    test: (destination) => testDestination(destination, { allowPrivate }),
    // The collector's cache of destinations expires by itself (2 s).
    invalidate: () => undefined,
  };
}

/** The composition root: the store, the collector, the query API and the UI; one process, or one part each. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'run the collector, the query API and the web UI in one process (config from TOOLTRACE_* env; TOOLTRACE_SERVE=collector|api runs one part)',
    )
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      const say = (line: string) => process.stdout.write(`${line}\n`);
      // Closed in reverse order on shutdown, or when start-up fails half-way.
      const closers: Closers = [];
      const closeAll = async () => {
        for (const close of closers.reverse()) await close().catch(() => undefined);
      };
      // The demo sends to the collector and links to the UI: it needs both parts here.
      const demoHere = config.demo && config.serve === 'all';

      let collectorUrl: string | null = null;
      let grpcAddress = '';
      let apiUrl: string | null = null;
      let demo: DemoKeys | null = null;
      try {
        const store = await openStore(config, logger.child({ component: 'store' }), { writerThread: true });
        closers.push(() => store.close());
        let forwarding: ForwardingControl = forwardingFromApi(config);
        if (config.serve !== 'api') {
          const part = await startCollectorPart(config, store, logger, closers);
          forwarding = part.forwarding;
          collectorUrl = part.collector.url;
          grpcAddress = part.collector.grpc?.address ?? '';
        }
        if (config.serve !== 'collector') {
          const api = await startQueryApi({
            store,
            host: config.host,
            port: config.apiPort,
            webDistDir: webUiDir(),
            logger,
            forwarding,
            rateLimit: config.apiRateLimit === null ? false : { limit: config.apiRateLimit, windowMs: 60_000 },
          });
          closers.push(() => api.close());
          apiUrl = api.url;
          // Without the demo, a link is printed only for a demo project that already exists.
          demo = demoHere
            ? await ensureDemoProject(store, config.dataDir)
            : await findDemoProject(store, config.dataDir);
        }
      } catch (error) {
        await closeAll();
        throw error;
      }

      if (collectorUrl !== null) {
        say(`collector  ${collectorUrl}`);
        say(`grpc       ${grpcAddress}`);
      }
      if (apiUrl !== null && demo) {
        say(`ui         ${apiUrl}/#readKey=${demo.readKey}`);
        say(`ingest key ${demo.ingestKey}`);
        say(`read key   ${demo.readKey}`);
        say(`admin key  ${demo.adminKey}`);
        say(`ui (admin) ${apiUrl}/#adminKey=${demo.adminKey}`);
      } else if (apiUrl !== null) {
        say(
          `ui         ${apiUrl}/ (sign in with a project's read key: tooltrace project create --name NAME prints one)`,
        );
      }
      say(`data       ${config.store === 'sqlite' ? config.dataDir : new URL(config.elasticsearchUrl ?? '').origin}`);

      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        say(`received ${signal}, shutting down`);
        await closeAll();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));

      if (demoHere && demo && collectorUrl !== null && apiUrl !== null) {
        // The demo only fills the UI; if it fails the servers keep running.
        try {
          const sent = await runDemo({ collectorUrl, ingestKey: demo.ingestKey, uiBaseUrl: apiUrl });
          say(`demo       done: ${sent.toolCalls} tool calls, ${sent.triggerEvents} trigger events`);
        } catch (error) {
          say(`demo       failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    });
}
