/** Opens the configured store backend (DESIGN §8): SQLite at `<dataDir>/tooltrace.db`. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { openSqliteStore, type Store } from '@tooltrace/store';
import type { Config } from './config.ts';

export const SQLITE_FILE_NAME = 'tooltrace.db';

export async function openStore(config: Config): Promise<Store> {
  if (config.store !== 'sqlite') {
    throw new Error(`TOOLTRACE_STORE=${config.store} is not supported by this build yet`);
  }
  await fs.mkdir(config.dataDir, { recursive: true });
  return openSqliteStore({ path: path.join(config.dataDir, SQLITE_FILE_NAME) });
}
