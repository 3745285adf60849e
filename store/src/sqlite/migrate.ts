import type Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './schema.ts';

/**
 * Brings the database to the newest schema version. Runs under an IMMEDIATE
 * transaction so two processes opening a fresh file at once cannot both apply
 * the same migration: the second waits (busy_timeout), then sees it applied.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const apply = db.transaction(() => {
    const current = currentVersion(db);
    const newest = migrations.at(-1)?.version ?? 0;
    if (current > newest) {
      throw new Error(`database schema version ${current} is newer than this tooltrace (${newest}); upgrade tooltrace`);
    }
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
