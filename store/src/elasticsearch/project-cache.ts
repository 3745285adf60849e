/**
 * The project documents a write needs (plan, limits), kept for a few seconds
 * instead of one GET per batch (issue 17). This store's own plan and key
 * changes invalidate the entry at once; a change made by another process
 * (`tooltrace project …` against the same cluster) is seen within `ttlMs`.
 */
import type { Cluster } from './cluster.ts';
import { type ProjectDocument, projectDocument } from './projects.ts';

export const PROJECT_CACHE_TTL_MS = 5_000;

export class ProjectCache {
  private readonly entries = new Map<string, { doc: Promise<ProjectDocument>; until: number }>();

  constructor(
    private readonly cluster: Cluster,
    private readonly ttlMs = PROJECT_CACHE_TTL_MS,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  get(projectId: string): Promise<ProjectDocument> {
    const now = this.clock();
    const entry = this.entries.get(projectId);
    if (entry && entry.until > now) return entry.doc;
    const doc = projectDocument(this.cluster, projectId);
    this.entries.set(projectId, { doc, until: now + this.ttlMs });
    // A failed read (unknown project, cluster away) is never served from the cache.
    doc.catch(() => {
      if (this.entries.get(projectId)?.doc === doc) this.entries.delete(projectId);
    });
    return doc;
  }

  invalidate(projectId: string): void {
    this.entries.delete(projectId);
  }
}
