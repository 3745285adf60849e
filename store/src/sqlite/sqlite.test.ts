import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { attempt, batch, DAY, HOUR, toolCallTrace, triggerTrace } from '../conformance/fixtures.ts';
import { runStoreConformance } from '../conformance/index.ts';
import { type Store, StoreUnavailableError } from '../store.ts';
import { openSqliteStore } from './index.ts';
import { currentVersion, migrate } from './migrate.ts';
import { MIGRATIONS } from './schema.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tooltrace-sqlite-'));
let n = 0;
const newFile = () => path.join(dir, `db-${++n}.db`);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

runStoreConformance('sqlite', async ({ now }) =>
  openSqliteStore({ path: newFile(), now, retentionSweepIntervalMs: 0 }),
);

describe('SQLite backend specifics', () => {
  const open: Store[] = [];
  const track = (store: Store) => {
    open.push(store);
    return store;
  };
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  describe('migrations', () => {
    it('applies every migration once and records it in the version table', async () => {
      const file = newFile();
      track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      const db = new Database(file, { readonly: true });
      try {
        const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
        expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      } finally {
        db.close();
      }
    });

    it('upgrades an older database and keeps its data', async () => {
      const file = newFile();
      const old = new Database(file);
      migrate(old, MIGRATIONS.slice(0, 1));
      expect(currentVersion(old)).toBe(1);
      old
        .prepare(
          'INSERT INTO projects (project_id, name, plan, max_age_days, max_logs, created_at) VALUES (?,?,?,?,?,?)',
        )
        .run('prj_old', 'old', 'pro', 30, 1_000_000, Date.now());
      old.close();
      const store = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      expect(await store.getProject('prj_old')).toMatchObject({ name: 'old', plan: 'pro' });
      const db = new Database(file, { readonly: true });
      expect(currentVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
      db.close();
    });

    it('a project from before admin keys keeps its keys and gets an admin key on its next rotation', async () => {
      const file = newFile();
      const old = new Database(file);
      migrate(
        old,
        MIGRATIONS.filter((m) => m.version < 4),
      );
      old
        .prepare(
          'INSERT INTO projects (project_id, name, plan, max_age_days, max_logs, created_at) VALUES (?,?,?,?,?,?)',
        )
        .run('prj_old', 'old', 'pro', 30, 1_000_000, Date.now());
      const readKey = 'tt_read_from-before-admin-keys-0123456789abcdefghijklmnop';
      old
        .prepare('INSERT INTO api_keys (key_hash, project_id, role, created_at) VALUES (?,?,?,?)')
        .run(createHash('sha256').update(readKey).digest(), 'prj_old', 'read', Date.now());
      old.close();
      const store = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      expect((await store.authenticate(readKey))?.role).toBe('read');
      expect(await store.keyRoles('prj_old')).toEqual(['read']);
      const rotated = await store.rotateKeys('prj_old');
      expect((await store.authenticate(rotated.adminKey))?.role).toBe('admin');
      expect(await store.keyRoles('prj_old')).toEqual(['ingest', 'read', 'admin']);
    });

    it('opens a current database while another connection holds the write lock (no migration due)', async () => {
      const file = newFile();
      const first = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      const pid = (await first.createProject({ name: 'busy', plan: 'pro' })).project.projectId;
      // As `tooltrace start` in the middle of a long write: the lock is held for the whole open.
      const writer = new Database(file);
      writer.exec('BEGIN IMMEDIATE');
      writer.prepare('UPDATE projects SET name = ? WHERE project_id = ?').run('renamed, not committed', pid);
      try {
        const second = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0, busyTimeoutMs: 50 }));
        expect((await second.getProject(pid))?.name).toBe('busy');
      } finally {
        writer.exec('ROLLBACK');
        writer.close();
      }
    });

    it('a due migration still takes the write lock, and a migration applied meanwhile is not applied twice', () => {
      const file = newFile();
      const old = new Database(file);
      migrate(old, MIGRATIONS.slice(0, 1));
      old.exec('BEGIN IMMEDIATE');
      try {
        // The lock holder could be another process migrating the same file: the open must not go around it.
        expect(() => openSqliteStore({ path: file, retentionSweepIntervalMs: 0, busyTimeoutMs: 50 })).toThrow(
          StoreUnavailableError,
        );
        // The lock holder finishes the migration; the next open finds nothing left to do.
        migrate(old);
      } finally {
        old.exec('COMMIT');
        old.close();
      }
      track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      const db = new Database(file, { readonly: true });
      const rows = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
      db.close();
      expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    });

    it('refuses a database written by a newer tooltrace, naming the file', () => {
      const file = newFile();
      track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      const db = new Database(file);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '')").run();
      db.close();
      expect(() => openSqliteStore({ path: file })).toThrow(StoreUnavailableError);
      expect(() => openSqliteStore({ path: file })).toThrow(/newer than this tooltrace/);
      expect(() => openSqliteStore({ path: file })).toThrow(file);
    });
  });

  describe('unusable files', () => {
    it('a file that is not a database gives StoreUnavailableError naming it', () => {
      const file = newFile();
      fs.writeFileSync(file, 'definitely not an SQLite database file, just some text that is long enough');
      expect(() => openSqliteStore({ path: file })).toThrow(StoreUnavailableError);
      expect(() => openSqliteStore({ path: file })).toThrow(file);
      // Nothing was written over it.
      expect(fs.readFileSync(file, 'utf8')).toMatch(/^definitely not/);
    });

    it('a database corrupted after creation gives StoreUnavailableError naming it', async () => {
      const file = newFile();
      const store = openSqliteStore({ path: file, retentionSweepIntervalMs: 0 });
      const pid = (await store.createProject({ name: 'c', plan: 'pro' })).project.projectId;
      for (let i = 0; i < 20; i += 1) await store.write(pid, toolCallTrace({ at: Date.now() - i * HOUR }, 5).batch);
      await store.close();
      // Scribble over every page after the header page (schema and data, not the file header).
      const bytes = fs.readFileSync(file);
      for (let i = 4096; i < bytes.length; i += 1) bytes[i] = (i * 31) & 0xff;
      fs.writeFileSync(file, bytes);
      let error: unknown;
      try {
        const reopened = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
        await reopened.listToolCalls(pid, {}, { limit: 10 });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toContain(file);
    });

    it('a missing directory gives StoreUnavailableError naming the file', () => {
      const file = path.join(dir, 'no-such-dir', 'x.db');
      expect(() => openSqliteStore({ path: file })).toThrow(StoreUnavailableError);
      expect(() => openSqliteStore({ path: file })).toThrow(file);
    });

    it('a database locked by another connection for longer than the busy timeout gives StoreUnavailableError', async () => {
      const file = newFile();
      const store = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0, busyTimeoutMs: 50 }));
      const pid = (await store.createProject({ name: 'l', plan: 'pro' })).project.projectId;
      const locker = new Database(file);
      locker.exec('BEGIN EXCLUSIVE');
      try {
        const write = store.write(pid, toolCallTrace({ at: Date.now() }, 1).batch);
        await expect(write).rejects.toThrow(StoreUnavailableError);
        await expect(store.write(pid, batch({}))).rejects.toThrow(file);
      } finally {
        locker.exec('ROLLBACK');
        locker.close();
      }
      // Once the lock is gone, the store works again and nothing half-written is left.
      await store.write(pid, toolCallTrace({ at: Date.now() }, 1).batch);
      expect((await store.retentionStatus(pid)).logCount).toBe(2);
    });
  });

  describe('concurrency', () => {
    it('runs in WAL mode', () => {
      const file = newFile();
      track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      const db = new Database(file, { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    });

    it('two connections (as two processes would) see each other’s writes and can both write', async () => {
      const file = newFile();
      const a = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      const b = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      const created = await a.createProject({ name: 'shared', plan: 'pro' });
      expect((await b.authenticate(created.ingestKey))?.project.projectId).toBe(created.project.projectId);
      const pid = created.project.projectId;
      const traces = Array.from({ length: 10 }, (_, i) => toolCallTrace({ at: Date.now() - i * 1000 }, 1));
      await Promise.all(traces.map((t, i) => (i % 2 === 0 ? a : b).write(pid, t.batch)));
      for (const store of [a, b]) {
        expect((await store.listToolCalls(pid, {}, { limit: 50 })).items).toHaveLength(10);
        expect((await store.retentionStatus(pid)).logCount).toBe(20);
      }
      // A reader holding an open read does not block the writer (WAL).
      const reader = new Database(file, { readonly: true });
      reader.exec('BEGIN');
      reader.prepare('SELECT COUNT(*) FROM tool_calls').get();
      await a.write(pid, toolCallTrace({ at: Date.now() }, 0).batch);
      reader.exec('COMMIT');
      reader.close();
      expect((await b.listToolCalls(pid, {}, { limit: 50 })).items).toHaveLength(11);
    });
  });

  describe('facet counts', () => {
    /** Writes, re-sends, changes and retention, then compares the kept counts with a scan of the records. */
    async function churn(store: Store, pid: string, now: number) {
      const traces = Array.from({ length: 30 }, (_, i) =>
        toolCallTrace(
          {
            at: now - (30 - i) * HOUR,
            userId: `u${i % 4}`,
            integration: i % 3 ? 'slack' : 'github',
            status: i % 5 ? 'success' : 'error',
          },
          1,
        ),
      );
      for (const t of traces) await store.write(pid, t.batch);
      await store.write(pid, traces[3]!.batch);
      const changed = { ...traces[29]!.call, status: 'error' as const, userId: 'u9', integration: null };
      await store.write(pid, batch({ toolCalls: [changed] }));
      for (let i = 0; i < 6; i += 1) {
        const event = triggerTrace({
          at: now - (6 - i) * HOUR,
          userId: `u${i % 2}`,
          failed: i === 2,
          deliveries: i % 3,
        });
        const [root, ...children] = [event.batch.triggers[0]!, ...event.batch.deliveryAttempts];
        // Children first, then the root, then everything again.
        await store.write(pid, batch({ deliveryAttempts: children as typeof event.batch.deliveryAttempts }));
        await store.write(pid, batch({ triggers: [root as (typeof event.batch.triggers)[0]] }));
        await store.write(pid, event.batch);
      }
      await store.setPlan(pid, 'enterprise', { maxLogs: 30 });
    }

    it('unfiltered facets (kept counts) equal a scan of the records after churn and retention', async () => {
      const now = Date.now();
      const store = track(openSqliteStore({ path: ':memory:', retentionSweepIntervalMs: 0 }));
      const pid = (await store.createProject({ name: 'f', plan: 'pro' })).project.projectId;
      await churn(store, pid, now);
      expect((await store.retentionStatus(pid)).logsDropped).toBeGreaterThan(0);
      // `from: 0` matches every record but forces the scanning path.
      expect(await store.toolCallFacets(pid, {})).toEqual(await store.toolCallFacets(pid, { from: 0 }));
      expect(await store.triggerEventFacets(pid, {})).toEqual(await store.triggerEventFacets(pid, { from: 0 }));
      const own = await store.toolCallFacets(pid, { integration: 'slack' });
      expect(own.integrations).toEqual(
        (await store.toolCallFacets(pid, { integration: 'slack', from: 0 })).integrations,
      );
      expect((await store.toolCallFacets(pid, {})).userIds.map((u) => u.value)).toContain('u9');
    });

    it('the migration that adds them counts the records already stored', async () => {
      const file = newFile();
      const now = Date.now();
      const store = openSqliteStore({ path: file, retentionSweepIntervalMs: 0 });
      const pid = (await store.createProject({ name: 'm', plan: 'pro' })).project.projectId;
      await churn(store, pid, now);
      const expected = {
        tools: await store.toolCallFacets(pid, { from: 0 }),
        triggers: await store.triggerEventFacets(pid, { from: 0 }),
      };
      await store.close();
      const db = new Database(file);
      // Back to schema version 2: undo version 6 (admin keys: the column), 5 (error groups), 4 (forwarding)
      // and 3 (facet counts), so reopening replays them.
      db.exec(`DROP INDEX tool_calls_by_error_group; DROP INDEX tool_calls_by_error_category;
        DROP INDEX tool_calls_by_error_code; DROP INDEX tool_calls_by_http_status;
        ALTER TABLE tool_calls DROP COLUMN error_category; ALTER TABLE tool_calls DROP COLUMN error_group;
        ALTER TABLE projects DROP COLUMN redaction_rules;
        DROP TABLE facet_counts; DROP TABLE forward_destinations; DELETE FROM schema_migrations WHERE version >= 3`);
      db.close();
      const reopened = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      expect(await reopened.toolCallFacets(pid, {})).toEqual(expected.tools);
      expect(await reopened.triggerEventFacets(pid, {})).toEqual(expected.triggers);
    });
  });

  describe('keys', () => {
    it('stores only SHA-256 hashes of the keys', async () => {
      const file = newFile();
      const store = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      const { ingestKey, readKey, adminKey } = await store.createProject({ name: 'k', plan: 'trial' });
      await store.close();
      const db = new Database(file, { readonly: true });
      const hashes = db.prepare('SELECT key_hash, role FROM api_keys').all() as { key_hash: Buffer; role: string }[];
      db.close();
      const sha = (key: string) => createHash('sha256').update(key).digest('hex');
      expect(hashes.map((h) => [h.role, h.key_hash.toString('hex')]).sort()).toEqual(
        [
          ['ingest', sha(ingestKey)],
          ['read', sha(readKey)],
          ['admin', sha(adminKey)],
        ].sort(),
      );
      const raw = Buffer.concat(
        [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)),
      ).toString('latin1');
      expect(raw).not.toContain(ingestKey.slice('tt_ingest_'.length));
      expect(raw).not.toContain(readKey.slice('tt_read_'.length));
      expect(raw).not.toContain(adminKey.slice('tt_admin_'.length));
    });
  });

  describe('retention on write and on a timer', () => {
    it('enforces the count limit right after a write and reports what it dropped', async () => {
      const store = track(openSqliteStore({ path: newFile(), retentionSweepIntervalMs: 0 }));
      const pid = (await store.createProject({ name: 'r', plan: 'enterprise', limits: { maxLogs: 5 } })).project
        .projectId;
      const now = Date.now();
      expect(await store.write(pid, toolCallTrace({ at: now - 2 * HOUR }, 2).batch)).toEqual({ logsDropped: 0 });
      expect(await store.write(pid, toolCallTrace({ at: now - HOUR }, 2).batch)).toEqual({ logsDropped: 3 });
      expect(await store.retentionStatus(pid)).toMatchObject({ logCount: 3, logsDropped: 3 });
    });

    it('works off a large backlog in several short steps, oldest first', async () => {
      const store = track(openSqliteStore({ path: newFile(), retentionSweepIntervalMs: 0 }));
      const pid = (await store.createProject({ name: 'big', plan: 'enterprise', limits: { maxLogs: null } })).project
        .projectId;
      const now = Date.now();
      const traces = Array.from({ length: 1300 }, (_, i) => toolCallTrace({ at: now - (1300 - i) * 1000 }, 0));
      await store.write(pid, {
        ...batch({}),
        toolCalls: traces.map((t) => t.call),
        logs: traces.flatMap((t) => t.logs),
      });
      await store.setPlan(pid, 'enterprise', { maxLogs: 100 });
      expect(await store.retentionStatus(pid)).toMatchObject({ logCount: 100, logsDropped: 1200 });
      const kept = await store.listToolCalls(pid, {}, { limit: 500 });
      expect(kept.items.map((c) => c.traceId)).toEqual(
        traces
          .slice(1200)
          .reverse()
          .map((t) => t.call.traceId),
      );
    });

    /** A project of 1 300 one-log traces, none due until `clock` moves past the age limit. */
    async function bigProject(clock: () => number) {
      const file = newFile();
      const store = track(openSqliteStore({ path: file, now: clock, retentionSweepIntervalMs: 0 }));
      const pid = (await store.createProject({ name: 'big', plan: 'enterprise', limits: { maxLogs: null } })).project
        .projectId;
      const at = clock();
      const traces = Array.from({ length: 1300 }, (_, i) => toolCallTrace({ at: at - (1300 - i) * 1000 }, 0));
      await store.write(pid, {
        ...batch({}),
        toolCalls: traces.map((t) => t.call),
        logs: traces.flatMap((t) => t.logs),
      });
      return { store, pid, file };
    }

    it('a big cut yields between its steps: other calls are answered while it runs', async () => {
      const { store, pid } = await bigProject(Date.now);
      const order: string[] = [];
      const cut = store.enforceRetention(pid, Date.now() + 31 * DAY).then((run) => {
        order.push('cut done');
        return run;
      });
      // Queued behind the cut's first step: a synchronous cut would finish before this call is even made.
      const meanwhile = new Promise((resolve) => setImmediate(resolve))
        .then(() => store.retentionStatus(pid))
        .then((status) => {
          order.push('status answered');
          return status.logCount;
        });
      const [run, logCountMidway] = await Promise.all([cut, meanwhile]);
      expect(order).toEqual(['status answered', 'cut done']);
      // The call saw a state between two whole steps: some traces gone, not yet all.
      expect(logCountMidway).toBeGreaterThan(0);
      expect(logCountMidway).toBeLessThan(1300);
      expect(logCountMidway % 500).toBe(1300 % 500);
      expect(run).toEqual({ tracesDeleted: 1300, logsDeleted: 1300 });
      expect(await store.retentionStatus(pid)).toMatchObject({ logCount: 0, logsDropped: 1300 });
    });

    it('a write that finds a big backlog answers after one step; the rest is worked off in the background', async () => {
      let clock = Date.now();
      const { store, pid } = await bigProject(() => clock);
      clock += 31 * DAY;
      const fresh = toolCallTrace({ at: clock }, 0);
      expect(await store.write(pid, fresh.batch)).toEqual({ logsDropped: 500 });
      // The background run and this one share the work; whole traces only, nothing deleted twice.
      await store.enforceRetention(pid);
      expect(await store.retentionStatus(pid)).toMatchObject({ logCount: 1, logsDropped: 1300 });
      expect(await store.getTrace(pid, fresh.call.traceId)).not.toBeNull();
    });

    it('closing the store stops a cut between steps and leaves whole traces', async () => {
      const { store, pid, file } = await bigProject(Date.now);
      const cut = store.enforceRetention(pid, Date.now() + 31 * DAY);
      await store.close();
      await expect(cut).rejects.toThrow(/closed/);
      // Only the first step (500 traces, run before the first yield) happened, and its counts agree with the rows.
      const reopened = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      expect(await reopened.retentionStatus(pid)).toMatchObject({ logCount: 800, logsDropped: 500 });
      const first = await reopened.listToolCalls(pid, {}, { limit: 500 });
      const rest = await reopened.listToolCalls(pid, {}, { limit: 500, cursor: first.nextCursor ?? undefined });
      expect(first.items.length + rest.items.length).toBe(800);
    });

    it('applies the age limit by the store clock, and the timer sweeps without a write', async () => {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      let clock = Date.parse('2026-01-01T00:00:00Z');
      const store = track(openSqliteStore({ path: newFile(), now: () => clock, retentionSweepIntervalMs: 60_000 }));
      const pid = (await store.createProject({ name: 't', plan: 'trial' })).project.projectId;
      const trace = toolCallTrace({ at: clock - DAY }, 1);
      await store.write(pid, trace.batch);
      clock += 5 * DAY;
      // The async variant lets each sweep (an async run) settle before the next tick.
      await vi.advanceTimersByTimeAsync(60_000);
      expect(await store.getTrace(pid, trace.call.traceId)).not.toBeNull();
      clock += 2 * DAY + 1;
      await vi.advanceTimersByTimeAsync(60_000);
      expect(await store.getTrace(pid, trace.call.traceId)).toBeNull();
      expect(await store.retentionStatus(pid)).toMatchObject({ logCount: 0, logsDropped: 2 });
    });

    it('the timer sweep checkpoints the WAL and cuts it to zero bytes', async () => {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      const file = newFile();
      const store = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 60_000 }));
      const pid = (await store.createProject({ name: 'w', plan: 'pro' })).project.projectId;
      for (let i = 0; i < 20; i++) await store.write(pid, toolCallTrace({ at: Date.now() - i * 1000 }, 3).batch);
      expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(fs.statSync(`${file}-wal`).size).toBe(0);
      expect((await store.listToolCalls(pid, {}, { limit: 50 })).items).toHaveLength(20);
    });

    it('close stops the sweep timer', async () => {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      const store = openSqliteStore({ path: newFile(), retentionSweepIntervalMs: 1000 });
      expect(vi.getTimerCount()).toBe(1);
      await store.close();
      expect(vi.getTimerCount()).toBe(0);
      await expect(store.listProjects()).rejects.toThrow(/closed/);
    });
  });

  describe('bad input', () => {
    it('rejects a malformed batch before writing anything', async () => {
      const store = track(openSqliteStore({ path: ':memory:', retentionSweepIntervalMs: 0 }));
      const pid = (await store.createProject({ name: 'b', plan: 'pro' })).project.projectId;
      const good = toolCallTrace({ at: Date.now() }, 1);
      const bad = toolCallTrace({ at: Date.now() }, 0);
      bad.call.startedAtMs = Number.NaN;
      await expect(store.write(pid, { ...good.batch, toolCalls: [...good.batch.toolCalls, bad.call] })).rejects.toThrow(
        /toolCall.startedAtMs/,
      );
      await expect(store.write(pid, batch({ logs: [{ ...good.logs[0]!, traceId: "' OR 1=1 --" }] }))).rejects.toThrow(
        /log.traceId/,
      );
      // Facts carry epoch ms: ISO text where a number belongs is refused, naming the field.
      const stale = attempt({ traceId: good.call.traceId, deliveryId: 'd', at: 0 });
      const isoTime = { ...stale, startedAtMs: new Date().toISOString() as unknown as number };
      await expect(store.write(pid, batch({ deliveryAttempts: [isoTime] }))).rejects.toThrow(
        /deliveryAttempt.startedAtMs/,
      );
      expect((await store.retentionStatus(pid)).logCount).toBe(0);
      expect((await store.listToolCalls(pid, {}, { limit: 10 })).items).toEqual([]);
    });

    it('rejects page limits and histogram ranges outside their bounds', async () => {
      const store = track(openSqliteStore({ path: ':memory:', retentionSweepIntervalMs: 0 }));
      const pid = (await store.createProject({ name: 'b', plan: 'pro' })).project.projectId;
      await expect(store.listToolCalls(pid, {}, { limit: 0 })).rejects.toThrow(/limit/);
      await expect(store.listTriggerEvents(pid, {}, { limit: 501 })).rejects.toThrow(/limit/);
      await expect(store.toolCallHistogram(pid, {}, { from: 10, to: 5, bucketMs: 1 })).rejects.toThrow(/range/);
      await expect(store.toolCallHistogram(pid, {}, { from: 0, to: DAY, bucketMs: 1 })).rejects.toThrow(/bucketMs/);
    });

    it('counts the same with the most buckets as with few', async () => {
      const from = Date.parse('2026-01-01T00:00:00Z');
      const store = track(openSqliteStore({ path: ':memory:', now: () => from + DAY, retentionSweepIntervalMs: 0 }));
      const pid = (await store.createProject({ name: 'h', plan: 'pro' })).project.projectId;
      const calls = Array.from({ length: 40 }, (_, i) =>
        toolCallTrace({ at: from + i * 7 * 60_000 + 13, status: i % 3 === 0 ? 'error' : 'success' }),
      );
      await store.write(pid, batch({ toolCalls: calls.map((c) => c.call) }));
      const to = from + 10 * HOUR;
      const fine = await store.toolCallHistogram(pid, {}, { from, to, bucketMs: 72_000 }); // 500 buckets
      const coarse = await store.toolCallHistogram(pid, {}, { from, to, bucketMs: HOUR }); // 10 buckets
      expect(fine).toHaveLength(500);
      const rollUp = coarse.map((bucket) => {
        const counts: Record<string, number> = {};
        for (const f of fine.filter((x) => x.start >= bucket.start && x.start < bucket.start + HOUR)) {
          for (const [status, n] of Object.entries(f.counts)) counts[status] = (counts[status] ?? 0) + n;
        }
        return counts;
      });
      expect(coarse.map((b) => b.counts)).toEqual(rollUp);
      expect(coarse.reduce((n, b) => n + (b.counts.error ?? 0) + (b.counts.success ?? 0), 0)).toBe(40);
      expect(coarse.reduce((n, b) => n + (b.counts.error ?? 0), 0)).toBe(14);
    });

    it('a cursor from the other list is refused', async () => {
      const store = track(openSqliteStore({ path: ':memory:', retentionSweepIntervalMs: 0 }));
      const pid = (await store.createProject({ name: 'b', plan: 'pro' })).project.projectId;
      for (let i = 0; i < 3; i += 1) await store.write(pid, toolCallTrace({ at: Date.now() - i }, 0).batch);
      const page = await store.listToolCalls(pid, {}, { limit: 1 });
      await expect(store.listTriggerEvents(pid, {}, { limit: 1, cursor: page.nextCursor! })).rejects.toThrow(
        /another list/,
      );
    });
  });
});
