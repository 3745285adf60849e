/**
 * The demo project `tooltrace start` signs the UI in to. Keys are stored hashed,
 * so the clear keys are kept beside the database (owner-only) to print the same
 * link on every start.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Store } from '@tooltrace/store';
import { z } from 'zod';

const DemoKeysSchema = z.object({ projectId: z.string(), ingestKey: z.string(), readKey: z.string() });
export type DemoKeys = z.infer<typeof DemoKeysSchema>;

export const DEMO_PROJECT_FILE = 'demo-project.json';

export async function ensureDemoProject(store: Store, dataDir: string): Promise<DemoKeys> {
  const file = path.join(dataDir, DEMO_PROJECT_FILE);
  const saved = await readSavedKeys(file);
  if (saved && (await keysStillValid(store, saved))) return saved;

  const created = saved
    ? await store.rotateKeys(saved.projectId).catch(() => store.createProject({ name: 'demo', plan: 'trial' }))
    : await store.createProject({ name: 'demo', plan: 'trial' });
  const keys: DemoKeys = {
    projectId: created.project.projectId,
    ingestKey: created.ingestKey,
    readKey: created.readKey,
  };
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}

async function readSavedKeys(file: string): Promise<DemoKeys | null> {
  try {
    const parsed = DemoKeysSchema.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function keysStillValid(store: Store, keys: DemoKeys): Promise<boolean> {
  const [ingest, read] = await Promise.all([store.authenticate(keys.ingestKey), store.authenticate(keys.readKey)]);
  return (
    ingest?.role === 'ingest' &&
    read?.role === 'read' &&
    ingest.project.projectId === keys.projectId &&
    read.project.projectId === keys.projectId
  );
}
