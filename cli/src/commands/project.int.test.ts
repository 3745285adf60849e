/**
 * Runs the real `tooltrace` binary as a child process against a temp data dir,
 * while this test process keeps the same SQLite database open and writes to
 * it, the way `tooltrace start` would.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openSqliteStore, type Store } from '@tooltrace/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/tooltrace.js');
const run = promisify(execFile);

let dataDir: string;

async function tooltrace(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'project', ...args], {
      env: { ...process.env, TOOLTRACE_DATA_DIR: dataDir },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-cli-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

// Child processes start slowly on a busy two-core machine; these limits are not assertions.
describe('tooltrace project (child processes on a temp data dir)', { timeout: 120_000 }, () => {
  it('creates a project as JSON whose keys authenticate in another process holding the database open', async () => {
    // Create the database first so this process can hold it open for the rest of the test.
    const first = await tooltrace('create', '--name', 'first', '--plan', 'pro', '--json');
    expect(first.code).toBe(0);
    const held: Store = openSqliteStore({ path: path.join(dataDir, 'tooltrace.db'), retentionSweepIntervalMs: 0 });
    try {
      const writer = await held.createProject({ name: 'busy', plan: 'pro' });
      // Keep writing while the CLI runs, like a collector would.
      let writing = true;
      const writes = (async () => {
        let n = 0;
        while (writing) {
          await held.write(writer.project.projectId, {
            toolCalls: [],
            triggers: [],
            deliveryAttempts: [],
            logs: [
              {
                id: `l${n}`,
                traceId: 'ab'.repeat(16),
                spanId: null,
                parentSpanId: null,
                source: 'log_record',
                timeMs: Date.now(),
                subMsNanos: 0,
                level: 'info',
                kind: null,
                name: null,
                message: `tick ${n}`,
                attributes: {},
                durationMs: null,
                body: null,
                serviceName: null,
              },
            ],
          });
          n += 1;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        return n;
      })();

      const result = await tooltrace('create', '--name', 'x', '--plan', 'trial', '--json');
      writing = false;
      expect(await writes).toBeGreaterThan(0);

      expect(result.code, result.stderr).toBe(0);
      const parsed = JSON.parse(result.stdout) as Record<string, string>;
      expect(Object.keys(parsed)).toEqual(['projectId', 'ingestKey', 'readKey', 'adminKey']);
      expect(parsed.ingestKey).toMatch(/^tt_ingest_/);
      expect(parsed.readKey).toMatch(/^tt_read_/);
      expect(parsed.adminKey).toMatch(/^tt_admin_/);
      expect((await held.authenticate(parsed.adminKey!))?.role).toBe('admin');

      const ingest = await held.authenticate(parsed.ingestKey!);
      const read = await held.authenticate(parsed.readKey!);
      expect(ingest).toMatchObject({
        role: 'ingest',
        project: { projectId: parsed.projectId, name: 'x', plan: 'trial' },
      });
      expect(read).toMatchObject({ role: 'read', project: { projectId: parsed.projectId } });
    } finally {
      await held.close();
    }
  });

  it('when run on a data dir that does not exist yet, then it names the directory and says it is new and empty', async () => {
    const saved = dataDir;
    dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-cli-new-')), 'data');
    try {
      const fresh = await tooltrace('list');
      expect(fresh.code, fresh.stderr).toBe(0);
      expect(fresh.stderr).toContain(`data dir ${dataDir} (SQLite tooltrace.db)`);
      expect(fresh.stderr).toMatch(/new and empty.*\n.*TOOLTRACE_DATA_DIR/);
      const again = await tooltrace('list', '--json');
      expect(again.stderr).toContain(`data dir ${dataDir}`);
      expect(again.stderr).not.toContain('new and empty');
      expect(JSON.parse(again.stdout)).toEqual([]);
    } finally {
      fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
      dataDir = saved;
    }
  });

  it('lists projects, as a table and as JSON', async () => {
    const created = JSON.parse((await tooltrace('create', '--name', 'listed', '--plan', 'pro', '--json')).stdout);
    const table = await tooltrace('list');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^PROJECT ID\s+NAME\s+PLAN\s+RETENTION\s+KEYS\s+CREATED/);
    expect(table.stdout).toContain(created.projectId);
    expect(table.stdout).toContain('ingest, read, admin');
    expect(table.stdout).toContain('30 days or 1,000,000 logs');
    const json = await tooltrace('list', '--json');
    const projects = JSON.parse(json.stdout) as { projectId: string; plan: string }[];
    expect(projects.find((p) => p.projectId === created.projectId)).toMatchObject({
      plan: 'pro',
      name: 'listed',
      keyRoles: ['ingest', 'read', 'admin'],
    });
  });

  it('rotates keys: the new ones work, the old ones no longer do', async () => {
    const created = JSON.parse((await tooltrace('create', '--name', 'rot', '--plan', 'trial', '--json')).stdout);
    const rotated = await tooltrace('rotate-keys', created.projectId, '--json');
    expect(rotated.code, rotated.stderr).toBe(0);
    const keys = JSON.parse(rotated.stdout);
    expect(Object.keys(keys)).toEqual(['projectId', 'ingestKey', 'readKey', 'adminKey']);
    expect(keys.projectId).toBe(created.projectId);
    const store = openSqliteStore({ path: path.join(dataDir, 'tooltrace.db'), retentionSweepIntervalMs: 0 });
    try {
      expect(await store.authenticate(created.ingestKey)).toBeNull();
      expect(await store.authenticate(created.readKey)).toBeNull();
      expect(await store.authenticate(created.adminKey)).toBeNull();
      expect((await store.authenticate(keys.adminKey))?.role).toBe('admin');
      expect((await store.authenticate(keys.ingestKey))?.role).toBe('ingest');
      expect((await store.authenticate(keys.readKey))?.role).toBe('read');
    } finally {
      await store.close();
    }
    const human = await tooltrace('rotate-keys', created.projectId);
    expect(human.stdout).toMatch(/ingest key tt_ingest_\S+\nread key {3}tt_read_\S+\nadmin key {2}tt_admin_\S+/);
    expect(human.stdout).toMatch(/ui \(admin\) http:\/\/\S+\/#adminKey=tt_admin_\S+/);
  });

  it('adds and removes redaction key names and patterns; a bad pattern is refused by name, changing nothing', async () => {
    const { projectId } = JSON.parse((await tooltrace('create', '--name', 'red', '--plan', 'pro', '--json')).stdout);
    const added = await tooltrace(
      'redaction',
      projectId,
      '--add-key',
      'ssn',
      '--add-key',
      'x-internal-auth',
      '--add-pattern',
      'acct_[0-9]{6}',
      '--json',
    );
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toEqual({ keys: ['ssn', 'x-internal-auth'], patterns: ['acct_[0-9]{6}'] });
    const bad = await tooltrace('redaction', projectId, '--add-pattern', '(?<=a)b');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"(?<=a)b" is not a valid RE2 expression');
    const removed = await tooltrace('redaction', projectId, '--remove-key', 'ssn');
    expect(removed.stdout).toMatch(/keys\s+x-internal-auth\npatterns\s+acct_\[0-9\]\{6\}/);
  });

  it('sets plans and enterprise limits', async () => {
    const { projectId } = JSON.parse(
      (await tooltrace('create', '--name', 'plans', '--plan', 'trial', '--json')).stdout,
    );
    const pro = await tooltrace('set-plan', projectId, '--plan', 'pro');
    expect(pro.code, pro.stderr).toBe(0);
    expect(pro.stdout).toContain('now on plan pro: 30 days or 1,000,000 logs');
    const ent = await tooltrace(
      'set-plan',
      projectId,
      '--plan',
      'enterprise',
      '--days',
      '90',
      '--max-logs',
      'none',
      '--json',
    );
    expect(ent.code, ent.stderr).toBe(0);
    expect(JSON.parse(ent.stdout)).toMatchObject({ plan: 'enterprise', limits: { maxAgeDays: 90, maxLogs: null } });
  });

  it('refuses bad input with a clear message and exit code 1, changing nothing', async () => {
    const { projectId } = JSON.parse((await tooltrace('create', '--name', 'bad', '--plan', 'pro', '--json')).stdout);
    const cases: [string[], RegExp][] = [
      [['create', '--name', 'x', '--plan', 'gold'], /unknown plan "gold": expected one of trial, pro, enterprise/],
      [['create', '--name', 'x'], /--plan/],
      [
        ['create', '--name', 'x', '--plan', 'trial', '--days', '3'],
        /--days and --max-logs apply only to --plan enterprise/,
      ],
      [['set-plan', projectId, '--plan', 'enterprise', '--days', '-1'], /--days must be a whole number/],
      [['set-plan', projectId, '--plan', 'enterprise', '--max-logs', '1.5'], /--max-logs must be a whole number/],
      [['set-plan', projectId, '--plan', 'trial', '--days', '3'], /apply only to --plan enterprise/],
      [['set-plan', 'prj_nope', '--plan', 'pro'], /project "prj_nope" does not exist/],
      [['rotate-keys', 'prj_nope'], /project "prj_nope" does not exist/],
    ];
    // Each child process takes seconds to start; run them side by side.
    const results = await Promise.all(cases.map(([args]) => tooltrace(...args)));
    for (const [i, [args, message]] of cases.entries()) {
      const result = results[i]!;
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stdout).toBe('');
    }
    const listed = JSON.parse((await tooltrace('list', '--json')).stdout) as { projectId: string; plan: string }[];
    expect(listed.find((p) => p.projectId === projectId)?.plan).toBe('pro');
  });

  it('names the database file when it is corrupt', async () => {
    const badDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-cli-bad-'));
    try {
      fs.writeFileSync(
        path.join(badDir, 'tooltrace.db'),
        'this is not a database, just text long enough to look like a header',
      );
      const { stdout, stderr, code } = await run(process.execPath, [BIN, 'project', 'list'], {
        env: { ...process.env, TOOLTRACE_DATA_DIR: badDir },
      }).then(
        (r) => ({ ...r, code: 0 }),
        (e: { stdout: string; stderr: string; code: number }) => e,
      );
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toContain(path.join(badDir, 'tooltrace.db'));
    } finally {
      fs.rmSync(badDir, { recursive: true, force: true });
    }
  });
});
