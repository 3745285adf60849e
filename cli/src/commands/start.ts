import fs from 'node:fs/promises';
import path from 'node:path';
import { createForwarding, startCollector } from '@tooltrace/collector';
import { startQueryApi } from '@tooltrace/query-api';
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { runDemo } from '../demo/index.ts';
import { type DemoKeys, ensureDemoProject, findDemoProject } from '../demo-project.ts';
import { createLogger } from '../logger.ts';
import { openStore } from '../open-store.ts';
import { webUiDir } from '../web-ui-dir.ts';

/** The composition root: one process with the store, the collector, the query API and the UI. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run the collector, the query API and the web UI in one process (config from TOOLTRACE_* env)')
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      const say = (line: string) => process.stdout.write(`${line}\n`);
      // Closed in reverse order on shutdown, or when start-up fails half-way.
      const closers: Array<() => Promise<void>> = [];
      const closeAll = async () => {
        for (const close of closers.reverse()) await close().catch(() => undefined);
      };

      let collectorUrl: string;
      let grpcAddress: string;
      let apiUrl: string;
      let demo: DemoKeys | null;
      try {
        const store = await openStore(config, logger.child({ component: 'store' }), { writerThread: true });
        closers.push(() => store.close());
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
          decodeWorkers: config.decodeWorkers,
          accepted: forwarding,
          logger: logger.child({ component: 'collector' }),
        });
        closers.push(() => collector.close());
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
        // Without the demo, a link is printed only for a demo project that already exists.
        demo = config.demo
          ? await ensureDemoProject(store, config.dataDir)
          : await findDemoProject(store, config.dataDir);
        collectorUrl = collector.url;
        grpcAddress = collector.grpc?.address ?? '';
        apiUrl = api.url;
      } catch (error) {
        await closeAll();
        throw error;
      }

      say(`collector  ${collectorUrl}`);
      say(`grpc       ${grpcAddress}`);
      if (demo) {
        say(`ui         ${apiUrl}/#readKey=${demo.readKey}`);
        say(`ingest key ${demo.ingestKey}`);
        say(`read key   ${demo.readKey}`);
        say(`admin key  ${demo.adminKey}`);
        say(`ui (admin) ${apiUrl}/#adminKey=${demo.adminKey}`);
      } else {
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

      if (config.demo && demo) {
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
