/**
 * `tooltrace store init`: prepares the configured store. For Elasticsearch it
 * puts the ILM policies and index templates and creates the indices and data
 * streams (every step create-or-update, so it is safe at every start); for
 * SQLite it creates or migrates the database file. `--wait` keeps retrying
 * while the cluster is still starting (docker compose runs it as a one-shot).
 */
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { openStore } from '../open-store.ts';

interface InitOptions {
  wait: string;
  prefix?: string;
}

export function registerStoreCommands(program: Command): void {
  const store = program.command('store').description('prepare and inspect the configured store');
  store
    .command('init')
    .description('create or update the store schema (Elasticsearch: ILM policies, templates, data streams); idempotent')
    .option('--wait <seconds>', 'keep retrying this long while the store is unreachable', '0')
    .option('--prefix <prefix>', 'Elasticsearch resource prefix', 'tooltrace')
    .action(async (options: InitOptions) => {
      const waitMs = parseWait(options.wait) * 1000;
      const config = loadConfig();
      if (config.store === 'sqlite') {
        const opened = await openStore(config);
        await opened.close();
        say(`sqlite store ready in ${config.dataDir}`);
        return;
      }
      const { initElasticsearch } = await import('@tooltrace/store/elasticsearch');
      const node = config.elasticsearchUrl as string;
      const report = await retryUntil(waitMs, () => initElasticsearch({ node, prefix: options.prefix })).catch(
        (error: unknown) => {
          throw new Error(`store init on Elasticsearch ${redact(node)} failed: ${(error as Error).message}`);
        },
      );
      say(`elasticsearch ${redact(node)} ready (prefix ${options.prefix})`);
      say(`  retention         ${report.summary}`);
      say(`  ILM policies      ${report.policies.join(', ') || '(none: the cluster has no ILM)'}`);
      say(`  index templates   ${report.indexTemplates.join(', ')}`);
      say(`  created           ${report.created.join(', ') || '(nothing new)'}`);
      say(`  mappings updated  ${report.updated.join(', ') || '(none)'}`);
    });
}

function parseWait(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new Error(`--wait must be a number of seconds (0 or more), got ${JSON.stringify(value)}`);
  }
  return seconds;
}

/** Retries only while the cluster is unreachable or not ready yet; a rejected request fails at once. */
async function retryUntil<T>(waitMs: number, operation: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      const status = (error as { meta?: { statusCode?: number } })?.meta?.statusCode;
      const transient = status === undefined || status === 503 || status === 429;
      if (!transient || Date.now() >= deadline) throw error;
      process.stderr.write(`tooltrace: store not ready (${(error as Error).message}); retrying\n`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

/** Never print credentials embedded in the URL. */
function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}
