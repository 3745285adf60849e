import type Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './schema.ts';

/**
 * Brings the database to the newest schema version.
 *
 * A current schema (the usual open) is only read, so a second connection
 * opens while another holds the write lock, e.g. `tooltrace project list`
 * while `tooltrace start` ingests or sweeps. Only when a migration is due is
 * an IMMEDIATE transaction taken, and the version is read again inside it: two
 * processes opening a fresh file at once cannot both apply the same migration;
 * the second waits (busy_timeout), then sees it applied.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const newest = migrations.at(-1)?.version ?? 0;
  const seen = versionIfRecorded(db);
  checkNotNewer(seen, newest);
  if (seen === newest) return seen;
  const apply = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const current = currentVersion(db);
    checkNotNewer(current, newest);
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    }
    return currentVersion(db);
  });
  return apply.immediate();
}

export function currentVersion(db: Database.Database): number {
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

/** The recorded version without taking any lock; 0 for a file that has no version table yet. */
function versionIfRecorded(db: Database.Database): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  return table ? currentVersion(db) : 0;
}

function checkNotNewer(current: number, newest: number): void {
  if (current > newest) {
    throw new Error(`database schema version ${current} is newer than this tooltrace (${newest}); upgrade tooltrace`);
  }
}
