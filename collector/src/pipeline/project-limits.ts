/**
 * The project settings mapping needs (its age limit), read from the store
 * and kept for a few seconds, so a busy project costs one lookup per window
 * and a plan change applies within it. When the store cannot answer, the
 * last known limit (or none) applies: ingest does not fail over a setting.
 */
import type { Store } from '@tooltrace/store';

export interface ProjectLimits {
  maxAgeDays(projectId: string): Promise<number | null>;
}

export function createProjectLimits(store: Pick<Store, 'getProject'>, ttlMs = 5_000, now = Date.now): ProjectLimits {
  const known = new Map<string, { maxAgeDays: number | null; fetchedAtMs: number }>();
  return {
    async maxAgeDays(projectId) {
      const cached = known.get(projectId);
      if (cached && now() - cached.fetchedAtMs < ttlMs) return cached.maxAgeDays;
      try {
        const project = await store.getProject(projectId);
        const maxAgeDays = project?.limits.maxAgeDays ?? null;
        known.set(projectId, { maxAgeDays, fetchedAtMs: now() });
        return maxAgeDays;
      } catch {
        return cached?.maxAgeDays ?? null;
      }
    },
  };
}
