/**
 * `tooltrace project …`: create projects, list them, rotate their keys and
 * change their plan. Works on the same store as `tooltrace start`, also while
 * it runs (SQLite in WAL mode lets both processes in).
 */
import {
  InvalidPlanError,
  mergeRedactionRules,
  type Plan,
  parsePlan,
  type RedactionRules,
  type RetentionLimits,
} from '@tooltrace/conventions';
import type { Project, ProjectWithKeys } from '@tooltrace/store';
import type { Command } from 'commander';
import { type Config, loadConfig } from '../config.ts';
import { collect, printTable, say, withStore } from './console.ts';

interface LimitOptions {
  days?: string;
  maxLogs?: string;
}

export function registerProjectCommands(program: Command): void {
  const project = program.command('project').description('manage projects and their ingest/read/admin keys');

  project
    .command('create')
    .description('create a project and print its ingest, read and admin keys (shown once) and signed-in UI links')
    .requiredOption('--name <name>', 'project name')
    .requiredOption('--plan <plan>', 'trial | pro | enterprise')
    .option('--days <n>', "enterprise only: keep logs this many days ('none' for no age limit)")
    .option('--max-logs <n>', "enterprise only: keep at most this many logs ('none' for no count limit)")
    .option('--json', 'print {"projectId","ingestKey","readKey","adminKey"}')
    .action(async (options: { name: string; plan: string; json?: boolean } & LimitOptions) => {
      const { plan, limits } = parsePlanOptions(options.plan, options);
      const config = loadConfig();
      const created = await withStore((store) => store.createProject({ name: options.name, plan, limits }), config);
      printKeys(created, options.json, config);
    });

  project
    .command('list')
    .description('list projects with their plan, retention limits and which keys they hold')
    .option('--json', 'print a JSON array of projects, each with keyRoles')
    .action(async (options: { json?: boolean }) => {
      const projects = await withStore(async (store) => {
        const all = await store.listProjects();
        return Promise.all(all.map(async (p) => ({ ...p, keyRoles: await store.keyRoles(p.projectId) })));
      });
      if (options.json) return say(JSON.stringify(projects));
      if (projects.length === 0) return say('no projects yet: tooltrace project create --name NAME --plan trial');
      const rows = projects.map((p) => [
        p.projectId,
        p.name,
        p.plan,
        describeLimits(p),
        p.keyRoles.includes('admin') ? p.keyRoles.join(', ') : `${p.keyRoles.join(', ')} (no admin key: rotate-keys)`,
        p.createdAt,
      ]);
      printTable(['PROJECT ID', 'NAME', 'PLAN', 'RETENTION', 'KEYS', 'CREATED'], rows);
    });

  project
    .command('rotate-keys')
    .description(
      'replace all three keys of a project (a project without an admin key gets one); the old keys stop working at once and open live feeds close within seconds',
    )
    .argument('<projectId>')
    .option('--json', 'print {"projectId","ingestKey","readKey","adminKey"}')
    .action(async (projectId: string, options: { json?: boolean }) => {
      const config = loadConfig();
      const rotated = await withStore((store) => store.rotateKeys(projectId), config);
      printKeys(rotated, options.json, config);
    });

  project
    .command('redaction')
    .description(
      "show or extend a project's own redaction rules (beyond the default secret key names); patterns are RE2 (linear-time)",
    )
    .argument('<projectId>')
    .option('--add-key <name>', 'also redact values under this key name (repeatable)', collect, [])
    .option('--add-pattern <re>', 'also redact every match of this RE2 pattern (repeatable)', collect, [])
    .option('--remove-key <name>', 'stop redacting this key name of the project’s own (repeatable)', collect, [])
    .option('--remove-pattern <re>', 'remove this pattern of the project’s own (repeatable)', collect, [])
    .option('--json', 'print the rules as JSON')
    .action(async (projectId: string, options: RedactionOptions) => {
      const rules = await withStore(async (store) => {
        const current = await store.getRedactionRules(projectId);
        const changed = editRules(current, options);
        return changed ? store.setRedactionRules(projectId, changed) : current;
      });
      if (options.json) return say(JSON.stringify(rules));
      say(`keys      ${rules.keys.length ? rules.keys.join(', ') : '(none beyond the defaults)'}`);
      say(`patterns  ${rules.patterns.length ? rules.patterns.join('  ') : '(none)'}`);
    });

  project
    .command('set-plan')
    .description('change the plan (and, for enterprise, the retention limits) of a project')
    .argument('<projectId>')
    .requiredOption('--plan <plan>', 'trial | pro | enterprise')
    .option('--days <n>', "enterprise only: keep logs this many days ('none' for no age limit)")
    .option('--max-logs <n>', "enterprise only: keep at most this many logs ('none' for no count limit)")
    .option('--json', 'print the updated project as JSON')
    .action(async (projectId: string, options: { plan: string; json?: boolean } & LimitOptions) => {
      const { plan, limits } = parsePlanOptions(options.plan, options);
      const updated = await withStore((store) => store.setPlan(projectId, plan, limits));
      if (options.json) return say(JSON.stringify(updated));
      say(`project ${updated.projectId} is now on plan ${updated.plan}: ${describeLimits(updated)}`);
    });
}

interface RedactionOptions {
  addKey: string[];
  addPattern: string[];
  removeKey: string[];
  removePattern: string[];
  json?: boolean;
}

/** The rules after the flags' additions and removals; null when the flags change nothing. */
function editRules(current: RedactionRules, options: RedactionOptions): RedactionRules | null {
  const edits = options.addKey.length + options.addPattern.length + options.removeKey.length;
  if (edits + options.removePattern.length === 0) return null;
  const added = mergeRedactionRules(current, { keys: options.addKey, patterns: options.addPattern });
  return {
    keys: added.keys.filter((k) => !options.removeKey.includes(k)),
    patterns: added.patterns.filter((p) => !options.removePattern.includes(p)),
  };
}

/** Validates the plan flags before the store is opened, so bad input never touches the data. */
export function parsePlanOptions(
  planName: string,
  options: LimitOptions,
): { plan: Plan; limits: Partial<RetentionLimits> | undefined } {
  const plan = parsePlan(planName);
  const custom = options.days !== undefined || options.maxLogs !== undefined;
  if (!custom) return { plan, limits: undefined };
  if (plan !== 'enterprise') {
    throw new InvalidPlanError(`--days and --max-logs apply only to --plan enterprise (${plan} has fixed limits)`);
  }
  const limits: Partial<RetentionLimits> = {};
  if (options.days !== undefined) limits.maxAgeDays = parseLimit('--days', options.days, 3650);
  if (options.maxLogs !== undefined) limits.maxLogs = parseLimit('--max-logs', options.maxLogs, 1_000_000_000);
  return { plan, limits };
}

function parseLimit(flag: string, value: string, max: number): number | null {
  if (value === 'none') return null;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new InvalidPlanError(
      `${flag} must be a whole number from 1 to ${max} or 'none', got ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
}

function describeLimits(project: Project): string {
  const { maxAgeDays, maxLogs } = project.limits;
  const age = maxAgeDays === null ? 'no age limit' : `${maxAgeDays} days`;
  const count = maxLogs === null ? 'no log limit' : `${maxLogs.toLocaleString('en-US')} logs`;
  return `${age} or ${count}, whichever first`;
}

function printKeys(result: ProjectWithKeys, json: boolean | undefined, config: Config): void {
  const { ingestKey, readKey, adminKey } = result;
  if (json) {
    say(JSON.stringify({ projectId: result.project.projectId, ingestKey, readKey, adminKey }));
    return;
  }
  const ui = `http://${config.host}:${config.apiPort}/`;
  say(`project    ${result.project.projectId} (${result.project.name}, ${result.project.plan})`);
  say(`retention  ${describeLimits(result.project)}`);
  say(`ingest key ${ingestKey}`);
  say(`read key   ${readKey}`);
  say(`admin key  ${adminKey}`);
  say(`ui (read)  ${ui}#readKey=${readKey}`);
  say(`ui (admin) ${ui}#adminKey=${adminKey}`);
  say('The keys are shown only now; they are stored hashed. Share the read link; keep the admin key to yourself.');
}
