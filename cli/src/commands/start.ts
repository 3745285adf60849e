import path from 'node:path';
import { startCollector } from '@tooltrace/collector';
import { startQueryApi } from '@tooltrace/query-api';
import type { Command } from 'commander';
import { pino } from 'pino';
import { loadConfig } from '../config.ts';
import { runDemo } from '../demo/index.ts';
import { ensureDemoProject } from '../demo-project.ts';
import { openStore } from '../open-store.ts';

const WEB_DIST_DIR = path.resolve(import.meta.dirname, '../../../web/dist');

/** The composition root: one process with the store, the collector, the query API and the UI. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run the collector, the query API and the web UI in one process (config from TOOLTRACE_* env)')
    .action(async () => {
      const config = loadConfig();
      const store = await openStore(config);
      const collector = await startCollector({
        store,
        host: config.host,
        port: config.collectorPort,
        maxBodyBytes: config.maxBodyBytes,
      });
      const logger = pino({ name: 'tooltrace', level: config.logLevel }, pino.destination(2));
      const api = await startQueryApi({
        store,
        host: config.host,
        port: config.apiPort,
        webDistDir: WEB_DIST_DIR,
        logger,
      });
      const demo = await ensureDemoProject(store, config.dataDir);

      const say = (line: string) => process.stdout.write(`${line}\n`);
      say(`collector  ${collector.url}`);
      say(`ui         ${api.url}/#readKey=${demo.readKey}`);
      say(`ingest key ${demo.ingestKey}`);
      say(`read key   ${demo.readKey}`);
      say(`data       ${config.store === 'sqlite' ? config.dataDir : config.elasticsearchUrl}`);

      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        say(`received ${signal}, shutting down`);
        await Promise.allSettled([collector.close(), api.close()]);
        await store.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));

      if (config.demo) {
        const sent = await runDemo({ collectorUrl: collector.url, ingestKey: demo.ingestKey, uiBaseUrl: api.url });
        say(`demo       done: ${sent.toolCalls} tool calls, ${sent.triggerEvents} trigger events`);
      }
    });
}
