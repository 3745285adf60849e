/**
 * `tooltrace forward add|list|remove|test PROJECT_ID …`: a project's
 * forwarding destinations (DESIGN §9), on the same store as `tooltrace start`
 * (also while it runs). `list` reads the live status from the outbox file the
 * running collector keeps in the data directory, or, when the collector runs
 * elsewhere (no outbox here), the status it last reported to the store.
 */
import fs from 'node:fs';
import { readForwardingStatus, testDestination } from '@tooltrace/collector';
import {
  type DestinationStatus,
  type ForwardDestination,
  InvalidDestinationError,
  parseDestinationInput,
  privateEndpointProblem,
  reportedStatusNow,
} from '@tooltrace/conventions';
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { collect, printTable, say, withStore } from './console.ts';

interface AddOptions {
  name: string;
  endpoint: string;
  header: string[];
  encoding?: string;
  compression?: string;
  filter?: string;
  disabled?: boolean;
  json?: boolean;
}

export function registerForwardCommands(program: Command): void {
  const forward = program
    .command('forward')
    .description("manage a project's forwarding destinations (OTLP/HTTP receivers of its own)");

  forward
    .command('add')
    .description('add a destination; /v1/traces and /v1/logs are appended to the endpoint')
    .argument('<projectId>')
    .requiredOption('--name <name>', 'a name to know it by')
    .requiredOption('--endpoint <url>', 'base URL of the OTLP/HTTP receiver, e.g. https://api.honeycomb.io')
    .option('--header <name=value>', 'a header to send (repeatable), e.g. x-honeycomb-team=KEY', collect, [])
    .option('--encoding <encoding>', 'protobuf | json (default protobuf)')
    .option('--compression <compression>', 'gzip | none (default gzip)')
    .option('--filter <filter>', 'all | tool_calls | trigger_events | errors_only (default all)')
    .option('--disabled', 'add it switched off')
    .option('--json', 'print the destination as JSON (header values omitted)')
    .action(async (projectId: string, options: AddOptions) => {
      const config = loadConfig();
      const input = destinationInput(options, config.forwarding.allowPrivate);
      const created = await withStore((store) => store.destinations.create(projectId, input), config);
      if (options.json) return say(JSON.stringify(publicView(created)));
      say(`destination ${created.id} (${created.name}) → ${created.endpoint}`);
      say(`test it: tooltrace forward test ${projectId} ${created.id}`);
    });

  forward
    .command('list')
    .description('list destinations with their status (state, sent, queued, lag, last error)')
    .argument('<projectId>')
    .option('--json', 'print a JSON array of destinations with their status (header values omitted)')
    .action(async (projectId: string, options: { json?: boolean }) => {
      const config = loadConfig();
      const local = fs.existsSync(config.forwarding.outboxPath);
      const { destinations, reports } = await withStore(async (store) => {
        if (!(await store.getProject(projectId)))
          throw new Error(`project ${JSON.stringify(projectId)} does not exist`);
        return {
          destinations: await store.destinations.list(projectId),
          reports: local ? {} : await store.destinations.reportedStatus(projectId),
        };
      }, config);
      const statuses = local
        ? readForwardingStatus(config.forwarding.outboxPath, destinations)
        : destinations.map((d) => reportedStatusNow(d.enabled, reports[d.id], Date.now()));
      const rows = destinations.map((d, i) => ({ ...publicView(d), status: statuses[i] as DestinationStatus }));
      if (options.json) return say(JSON.stringify(rows));
      if (rows.length === 0) return say(`no destinations: tooltrace forward add ${projectId} --name N --endpoint URL`);
      printTable(
        ['ID', 'NAME', 'ENDPOINT', 'STATE', 'SENT (SPANS/LOGS)', 'QUEUED', 'LAG', 'REJECTED', 'DROPPED', 'LAST ERROR'],
        rows.map(({ id, name, endpoint, status: s }) => [
          id,
          name,
          endpoint,
          s.state,
          `${s.spansSent}/${s.logsSent}`,
          `${s.batchesQueued} (${s.queueBytes} B)`,
          `${Math.round(s.lagMs / 1000)} s`,
          String(s.batchesRejected),
          String(s.batchesDropped),
          s.lastError ? `${s.lastError.at} ${s.lastError.message}` : '-',
        ]),
      );
    });

  forward
    .command('remove')
    .description('delete a destination (what is still queued for it is dropped)')
    .argument('<projectId>')
    .argument('<destinationId>')
    .action(async (projectId: string, destinationId: string) => {
      const deleted = await withStore((store) => store.destinations.delete(projectId, destinationId));
      if (!deleted) throw new Error(`project ${projectId} has no destination ${JSON.stringify(destinationId)}`);
      say(`destination ${destinationId} removed`);
    });

  forward
    .command('test')
    .description('send one marked span to a destination and print its answer')
    .argument('<projectId>')
    .argument('<destinationId>')
    .option('--json', 'print {"ok","httpStatus","message","durationMs"}')
    .action(async (projectId: string, destinationId: string, options: { json?: boolean }) => {
      const config = loadConfig();
      const destination = await withStore((store) => store.destinations.get(projectId, destinationId), config);
      if (!destination) throw new Error(`project ${projectId} has no destination ${JSON.stringify(destinationId)}`);
      const answer = await testDestination(destination, { allowPrivate: config.forwarding.allowPrivate });
      if (options.json) say(JSON.stringify(answer));
      else say(`${answer.ok ? 'ok' : 'failed'}: ${answer.message} (${answer.durationMs} ms)`);
      if (!answer.ok) process.exitCode = 1;
    });
}

/** Checks the flags before the store is opened; errors name the flag. */
export function destinationInput(options: AddOptions, allowPrivate: boolean) {
  const headers: Record<string, string> = {};
  for (const pair of options.header) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new InvalidDestinationError(`--header ${JSON.stringify(pair)}: write it as NAME=VALUE`);
    headers[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  const raw = {
    name: options.name,
    endpoint: options.endpoint,
    headers,
    ...(options.encoding ? { encoding: options.encoding } : {}),
    ...(options.compression ? { compression: options.compression } : {}),
    ...(options.filter ? { filter: options.filter } : {}),
    ...(options.disabled ? { enabled: false } : {}),
  };
  let input: ReturnType<typeof parseDestinationInput>;
  try {
    input = parseDestinationInput(raw);
  } catch (error) {
    if (!(error instanceof InvalidDestinationError)) throw error;
    // The schema names the field (`headers.x: …`); the user typed flags.
    throw new InvalidDestinationError(`--${error.message.replace(/^headers\./, 'header ')}`);
  }
  const problem = privateEndpointProblem(input.endpoint, allowPrivate);
  if (problem) throw new InvalidDestinationError(`--endpoint: ${problem}`);
  return input;
}

function publicView({ headers, ...rest }: ForwardDestination) {
  return { ...rest, headerNames: Object.keys(headers) };
}
