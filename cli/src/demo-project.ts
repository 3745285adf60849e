/**
 * The demo project `tooltrace start` signs the UI in to. Keys are stored hashed,
 * so the clear keys are kept beside the database (owner-only) to print the same
 * link on every start.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Store } from '@tooltrace/store';
import { z } from 'zod';

// adminKey is optional so a file saved before admin keys existed still names its project; it is then rotated.
const DemoKeysSchema = z.object({
  projectId: z.string(),
  ingestKey: z.string(),
  readKey: z.string(),
  adminKey: z.string().optional(),
});
export type DemoKeys = Required<z.infer<typeof DemoKeysSchema>>;

export const DEMO_PROJECT_FILE = 'demo-project.json';

/** The saved demo project when it still exists with those keys; never creates one (TOOLTRACE_DEMO=off). */
export async function findDemoProject(store: Store, dataDir: string): Promise<DemoKeys | null> {
  const saved = await readSavedKeys(path.join(dataDir, DEMO_PROJECT_FILE));
  if (saved?.adminKey && (await keysStillValid(store, { ...saved, adminKey: saved.adminKey }))) {
    return { ...saved, adminKey: saved.adminKey };
  }
  return null;
}

export async function ensureDemoProject(store: Store, dataDir: string): Promise<DemoKeys> {
  const file = path.join(dataDir, DEMO_PROJECT_FILE);
  const found = await findDemoProject(store, dataDir);
  if (found) return found;
  const saved = await readSavedKeys(file);

  const created = saved
    ? await store.rotateKeys(saved.projectId).catch(() => store.createProject({ name: 'demo', plan: 'trial' }))
    : await store.createProject({ name: 'demo', plan: 'trial' });
  const keys: DemoKeys = {
    projectId: created.project.projectId,
    ingestKey: created.ingestKey,
    readKey: created.readKey,
    adminKey: created.adminKey,
  };
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}

async function readSavedKeys(file: string): Promise<z.infer<typeof DemoKeysSchema> | null> {
  try {
    const parsed = DemoKeysSchema.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function keysStillValid(store: Store, keys: DemoKeys): Promise<boolean> {
  const found = await Promise.all([keys.ingestKey, keys.readKey, keys.adminKey].map((key) => store.authenticate(key)));
  return (['ingest', 'read', 'admin'] as const).every(
    (role, i) => found[i]?.role === role && found[i]?.project.projectId === keys.projectId,
  );
}
