/** The SQLite backend: the conformance suite, then what only SQLite has (migrations, unusable files, two connections). */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { batch, HOUR, toolCallTrace } from '../conformance/fixtures.ts';
import { runStoreConformance } from '../conformance/index.ts';
import { StoreUnavailableError } from '../store.ts';
import { openSqliteStore } from './index.ts';
import { currentVersion, migrate } from './migrate.ts';
import { MIGRATIONS } from './schema.ts';
import { tempStores } from './testing/temp-stores.ts';

const { newFile, track } = tempStores();

runStoreConformance('sqlite', async ({ now }) =>
  openSqliteStore({ path: newFile(), now, retentionSweepIntervalMs: 0 }),
);

describe('SQLite backend specifics', () => {
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

    it('gives every index of the record tables planner statistics, so the newest-first page reads one range', () => {
      const file = newFile();
      track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0 }));
      const db = new Database(file, { readonly: true });
      try {
        // An index without a row looks ~10 rows per project to the planner, which then prefers it for any
        // `project_id = ?` query and sorts the whole project (it happened to the tool call ID index).
        const missing = db
          .prepare(
            `SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND tbl_name NOT IN
             ('forward_destinations', 'api_keys', 'projects', 'schema_migrations', 'ingest_status')
             AND name NOT IN (SELECT idx FROM sqlite_stat1 WHERE idx IS NOT NULL)`,
          )
          .all();
        expect(missing).toEqual([]);
        const plan = db
          .prepare(
            `EXPLAIN QUERY PLAN SELECT t.* FROM tool_calls t WHERE t.project_id = ?
             ORDER BY t.started_at DESC, t.trace_id DESC, t.span_id DESC LIMIT 51`,
          )
          .all('prj_x') as { detail: string }[];
        expect(plan.map((p) => p.detail)).toEqual([expect.stringContaining('tool_calls_by_time')]);
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

    it('answers the ingest status while another connection holds the write lock (a read, not a write)', async () => {
      const file = newFile();
      const store = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0, busyTimeoutMs: 50 }));
      const pid = (await store.createProject({ name: 'busy', plan: 'pro' })).project.projectId;
      const counts = { accepted: 2, rejected: 0, throttled: 0 };
      await store.ingestStatus.record(pid, { atMs: Date.now(), bySender: { api: counts }, byReason: {} });
      // As the writer thread of `tooltrace start` in the middle of a long write.
      const writer = new Database(file);
      writer.exec('BEGIN IMMEDIATE');
      try {
        expect((await store.ingestStatus.summary(pid)).last24h.totals).toEqual(counts);
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
      const file = path.join(path.dirname(newFile()), 'no-such-dir', 'x.db');
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
});
