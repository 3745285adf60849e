/**
 * Project commands say which store they use, so a command run from another
 * directory than `tooltrace start` cannot silently work on a fresh `./data` of
 * its own (whose keys the running collector would refuse).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.ts';
import { SQLITE_FILE_NAME } from './open-store.ts';

export interface StoreLocation {
  /** One line naming the store, e.g. `data dir /srv/tooltrace/data (SQLite tooltrace.db)`. */
  description: string;
  /** True when opening it will create a new, empty store. */
  isNew: boolean;
}

/** Where the configured store is, and whether it exists yet; call before opening it. */
export function storeLocation(config: Config): StoreLocation {
  if (config.store === 'elasticsearch') {
    return { description: `store Elasticsearch at ${config.elasticsearchUrl}`, isNew: false };
  }
  return {
    description: `data dir ${config.dataDir} (SQLite ${SQLITE_FILE_NAME})`,
    isNew: !fs.existsSync(path.join(config.dataDir, SQLITE_FILE_NAME)),
  };
}

/** The lines a project command prints (on stderr, so `--json` output stays clean). */
export function storeNotice(location: StoreLocation): string[] {
  if (!location.isNew) return [location.description];
  return [
    location.description,
    'This data dir was new and empty. If `tooltrace start` runs elsewhere, it uses its own data dir (it prints it',
    'as "data …" when it starts): point TOOLTRACE_DATA_DIR at that directory, or keys made here will be refused.',
  ];
}
