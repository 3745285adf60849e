import type { Command } from 'commander';
import { runDemo } from '../demo/index.ts';

/** `tooltrace demo`: sends the demo traffic through the real SDK to a running collector. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('send demo tool calls and trigger events to a running collector, through the tooltrace SDK')
    .requiredOption('--collector <url>', 'collector base URL, e.g. http://127.0.0.1:4318')
    .requiredOption('--key <ingestKey>', "the project's ingest key (tt_ingest_…)")
    .option('--ui <url>', 'tooltrace UI base URL, for traceUrl links in error bodies')
    .option('--seed <number>', 'seed of the traffic', (value) => {
      const seed = Number(value);
      if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${JSON.stringify(value)}`);
      return seed;
    })
    .action(async (options: { collector: string; key: string; ui?: string; seed?: number }) => {
      if (!URL.canParse(options.collector) || !/^https?:/.test(options.collector)) {
        throw new Error(
          `--collector must be an http(s) URL like http://127.0.0.1:4318, got ${JSON.stringify(options.collector)}`,
        );
      }
      const say = (line: string) => process.stdout.write(`${line}\n`);
      const sent = await runDemo({
        collectorUrl: options.collector,
        ingestKey: options.key,
        ...(options.ui ? { uiBaseUrl: options.ui } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        log: (line) => say(`demo: ${line}`),
      });
      say(`demo       done: ${sent.toolCalls} tool calls, ${sent.triggerEvents} trigger events`);
    });
}
